"""Calls and their form: create, update, publish; add, update, move and remove questions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jusoor.calls.models import Application, Call, Question
from jusoor.calls.services.calls import (
    call_create,
    call_publish,
    call_update,
    question_add,
    question_move,
    question_remove,
    question_update,
)
from jusoor.calls.tests.factories import ApplicationFactory, QuestionFactory
from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent


def _data(**overrides):
    now = timezone.now()
    data = {
        "title_fr": "Appel TAMURI 2026",
        "title_ar": "طلب ترشيحات تامري 2026",
        "description_fr": "Incubation et fonds d’amorçage.",
        "opens_at": now,
        "closes_at": now + timedelta(days=30),
        "eligible_countries": ["ma"],
        "max_requested": Decimal("100000"),
        "reviewers_per_application": 3,
    }
    data.update(overrides)
    return data


def test_a_manager_creates_an_unpublished_call(programme, manager, region):
    call = call_create(programme=programme, acting_user=manager, data={**_data(), "eligible_territories": [region]})
    assert (call.published, call.eligible_countries, call.created_by) == (False, ["MA"], manager)
    assert list(call.eligible_territories.all()) == [region]
    event = AuditEvent.objects.get(action="calls.call.created")
    assert event.changes["title_fr"] == {"old": None, "new": "Appel TAMURI 2026"}


BAD_CALLS = [
    ({"title_fr": " ", "title_ar": ""}, "title_required", "Give the call's title in at least one language."),
    ({"closes_at": timezone.now() - timedelta(days=1)}, "dates_invalid", "The call must close after it opens."),
    ({"eligible_countries": ["DZ"]}, "country_invalid", "These countries are not covered: DZ."),
    (
        {"max_requested": Decimal("0")},
        "amount_invalid",
        "The largest amount that can be requested must be greater than zero.",
    ),
    ({"max_requested": Decimal("10.001")}, "too_many_decimals", "Amounts in MAD have at most 2 decimal places."),
    (
        {"reviewers_per_application": 0},
        "review_settings_invalid",
        "Ask for between 1 and 10 reviewers per application.",
    ),
    (
        {"disagreement_threshold": Decimal("0")},
        "review_settings_invalid",
        "The disagreement threshold must be greater than zero.",
    ),
]


@pytest.mark.parametrize(("overrides", "code", "message"), BAD_CALLS)
def test_bad_call_data_is_refused_and_nothing_is_written(programme, manager, overrides, code, message):
    with pytest.raises(ApplicationError) as error:
        call_create(programme=programme, acting_user=manager, data=_data(**overrides))
    assert (error.value.code, str(error.value.message)) == (code, message)
    assert (Call.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_update_records_what_changed(call, manager):
    call_update(call=call, acting_user=manager, data={"title_en": "TAMURI call", "blind_review": True})
    call.refresh_from_db()
    assert (call.title_en, call.blind_review) == ("TAMURI call", True)
    event = AuditEvent.objects.get(action="calls.call.updated")
    assert event.changes == {
        "blind_review": {"old": False, "new": True},
        "title_en": {"old": "", "new": "TAMURI call"},
    }


def test_publishing_needs_a_question_and_is_quiet_the_second_time(call, manager):
    call.published = False
    call.save(update_fields=["published"])
    with pytest.raises(ApplicationError) as error:
        call_publish(call=call, acting_user=manager)
    assert str(error.value.message) == "Add at least one question to the application form before publishing the call."
    QuestionFactory(call=call)
    call_publish(call=call, acting_user=manager)
    call_publish(call=call, acting_user=manager)
    call.refresh_from_db()
    assert call.published is True
    assert AuditEvent.objects.filter(action="calls.call.published").count() == 1


def test_questions_are_added_in_order_with_their_translations(call, manager):
    first = question_add(
        call=call,
        acting_user=manager,
        data={"kind": "short_text", "label": {"fr": " Nom  du projet ", "ar": "اسم المشروع"}},
    )
    second = question_add(
        call=call,
        acting_user=manager,
        data={
            "kind": "single_choice",
            "label": {"fr": "Public"},
            "choices": [{"label": {"fr": "Jeunes"}}, {"value": "women", "label": {"fr": "Femmes", "ar": "النساء"}}],
            "word_limit": 50,
        },
    )
    assert (first.position, first.label) == (0, {"fr": "Nom du projet", "ar": "اسم المشروع"})
    assert (second.position, second.word_limit) == (1, None)
    assert second.choices == [
        {"value": "1", "label": {"fr": "Jeunes"}},
        {"value": "women", "label": {"fr": "Femmes", "ar": "النساء"}},
    ]


BAD_QUESTIONS = [
    ({"kind": "essay", "label": {"fr": "x"}}, "kind_invalid", "Choose a kind of question."),
    ({"kind": "short_text", "label": {"fr": " "}}, "label_invalid", "Write the text in at least one language."),
    ({"kind": "short_text", "label": {"de": "Name"}}, "label_invalid", "Give the text as a mapping of ar, fr and en."),
    ({"kind": "short_text", "label": "Nom"}, "label_invalid", "Give the text as a mapping of ar, fr and en."),
    (
        {"kind": "long_text", "label": {"fr": "x"}, "word_limit": 0},
        "word_limit_invalid",
        "The word limit must be between 1 and 10,000.",
    ),
    (
        {"kind": "single_choice", "label": {"fr": "x"}, "choices": [{"label": {"fr": "a"}}]},
        "choices_invalid",
        "A choice question needs between 2 and 30 choices.",
    ),
    (
        {
            "kind": "multiple_choice",
            "label": {"fr": "x"},
            "choices": [{"value": "a", "label": {"fr": "a"}}, {"value": "a", "label": {"fr": "b"}}],
        },
        "choices_invalid",
        "Two choices have the same value.",
    ),
]


@pytest.mark.parametrize(("data", "code", "message"), BAD_QUESTIONS)
def test_bad_questions_are_refused(call, manager, data, code, message):
    with pytest.raises(ApplicationError) as error:
        question_add(call=call, acting_user=manager, data=data)
    assert (error.value.code, str(error.value.message)) == (code, message)
    assert Question.objects.count() == 0


def test_move_update_and_remove(call, manager):
    a, b, c = (question_add(call=call, acting_user=manager, data={"kind": "number", "label": {"fr": n}}) for n in "abc")
    question_move(question=c, acting_user=manager, offset=-1)
    assert list(Question.objects.filter(call=call).order_by("position").values_list("label__fr", flat=True)) == [
        "a",
        "c",
        "b",
    ]
    question_move(question=a, acting_user=manager, offset=-1)  # already first: nothing moves
    question_update(question=b, acting_user=manager, data={"label": {"fr": "B", "en": "B"}, "required": False})
    b.refresh_from_db()
    assert (b.label, b.required) == ({"fr": "B", "en": "B"}, False)
    question_remove(question=c, acting_user=manager)
    assert list(Question.objects.filter(call=call).order_by("position").values_list("label__fr", "position")) == [
        ("a", 0),
        ("B", 1),
    ]


def test_the_form_is_frozen_once_an_application_is_sent(call, manager):
    question = question_add(call=call, acting_user=manager, data={"kind": "number", "label": {"fr": "n"}})
    ApplicationFactory(call=call, status=Application.Status.ELIGIBLE)
    events = AuditEvent.objects.count()
    for attempt in (
        lambda: question_add(call=call, acting_user=manager, data={"kind": "number", "label": {"fr": "m"}}),
        lambda: question_update(question=question, acting_user=manager, data={"label": {"fr": "x"}}),
        lambda: question_remove(question=question, acting_user=manager),
        lambda: question_move(question=question, acting_user=manager, offset=1),
    ):
        with pytest.raises(ApplicationError) as error:
            attempt()
        assert str(error.value.message) == "The form cannot change once applications have been submitted."
    assert list(Question.objects.values_list("label", flat=True)) == [{"fr": "n"}]
    assert AuditEvent.objects.count() == events
