"""Applications: start, answers, submission against the clock, eligibility, and every transition."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from jusoor.calls.models import Answer, Application
from jusoor.calls.services.applications import (
    application_override_eligibility,
    application_reject,
    application_save_answers,
    application_select,
    application_shortlist,
    application_start,
    application_start_review,
    application_start_review_bulk,
    application_submit,
    application_waitlist,
    application_withdraw,
)
from jusoor.calls.tests.factories import ApplicationFactory
from jusoor.common.exceptions import ApplicationError, PermissionDeniedError
from jusoor.common.models import AuditEvent

S = Application.Status


def _close(call):
    call.opens_at = timezone.now() - timedelta(days=2)
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save(update_fields=["opens_at", "closes_at"])


def _state():
    return (
        list(Application.objects.order_by("pk").values_list("status", "submitted_at", "requested_amount")),
        Answer.objects.count(),
        AuditEvent.objects.count(),
    )


# --- Start ------------------------------------------------------------------------------------------------------


def test_an_admin_starts_one_draft_per_organisation(call, organization, team):
    first = application_start(call=call, organization=organization, acting_user=team["admin"])
    again = application_start(call=call, organization=organization, acting_user=team["owner"])
    assert again.pk == first.pk
    assert (first.status, first.language, first.created_by) == (S.DRAFT, "fr", team["admin"])
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["calls.application.started"]


@pytest.mark.parametrize("role", ["member", None])
def test_a_member_or_a_stranger_cannot_start(call, organization, team, user_factory, role):
    actor = team[role] if role else user_factory()
    with pytest.raises(PermissionDeniedError) as error:
        application_start(call=call, organization=organization, acting_user=actor)
    assert error.value.code == "not_organization_admin"
    assert str(error.value.message) == "Only the owners and administrators of an organisation can apply on its behalf."
    assert Application.objects.count() == 0


def test_no_start_after_the_deadline(call, organization, team):
    _close(call)
    with pytest.raises(ApplicationError) as error:
        application_start(call=call, organization=organization, acting_user=team["admin"])
    assert error.value.code == "deadline_passed"
    assert Application.objects.count() == 0


def test_no_start_on_an_unpublished_call(call, organization, team):
    call.published = False
    call.save(update_fields=["published"])
    with pytest.raises(ApplicationError) as error:
        application_start(call=call, organization=organization, acting_user=team["admin"])
    assert str(error.value.message) == "This call is not open for applications."


# --- Answers ----------------------------------------------------------------------------------------------------


def test_saving_answers_stores_typed_values_and_the_amount_requested(draft, questions, team):
    q = questions
    application_save_answers(
        application=draft,
        answers={
            q["short"].pk: "  Jeunes entrepreneurs  ",
            q["long"].pk: "Un deux trois quatre cinq",
            q["number"].pk: "1 500,5",
            q["single"].pk: "women",
            q["multiple"].pk: ["elders", "youth"],
            q["date"].pk: "2026-03-31",
            q["budget"].pk: [
                {"label": "Formation", "amount": "30000"},
                {"label": "", "amount": ""},
                {"label": "Matériel", "amount": Decimal("15000.50")},
            ],
        },
        acting_user=team["admin"],
    )
    values = dict(Answer.objects.filter(application=draft).values_list("question_id", "value"))
    assert values == {
        q["short"].pk: "Jeunes entrepreneurs",
        q["long"].pk: "Un deux trois quatre cinq",
        q["number"].pk: "1500.5",
        q["single"].pk: "women",
        q["multiple"].pk: ["youth", "elders"],
        q["date"].pk: "2026-03-31",
        q["budget"].pk: [{"label": "Formation", "amount": "30000.00"}, {"label": "Matériel", "amount": "15000.50"}],
    }
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("45000.50")


@pytest.mark.parametrize(("given", "stored"), [("100", "100"), ("120.0", "120"), ("2500", "2500"), ("0.250", "0.250")])
def test_whole_numbers_are_stored_in_plain_notation(draft, questions, team, given, stored):
    application_save_answers(application=draft, answers={questions["number"].pk: given}, acting_user=team["admin"])
    assert Answer.objects.get(application=draft).value == stored


def test_an_empty_value_removes_the_answer(draft, questions, team):
    application_save_answers(application=draft, answers={questions["short"].pk: "Nom"}, acting_user=team["admin"])
    application_save_answers(application=draft, answers={questions["short"].pk: " "}, acting_user=team["admin"])
    assert Answer.objects.filter(application=draft).count() == 0


BAD_ANSWERS = [
    ("short", "a" * 301, "Write one line of at most 300 characters."),
    ("short", "deux\nlignes", "Write one line of at most 300 characters."),
    ("long", "un deux trois quatre cinq six", "Write at most 5 words (you wrote 6)."),
    ("number", "douze", "Enter a number, such as 1500 or 12.5."),
    ("number", "1.2345", "Enter a number with at most 3 decimal places."),
    ("number", "NaN", "Enter a number, such as 1500 or 12.5."),
    ("single", "children", "Choose one of the answers offered."),
    ("single", ["youth", "women"], "Choose only one answer."),
    ("multiple", ["youth", "youth"], "Choose among the answers offered, each at most once."),
    ("multiple", ["youth", "martians"], "Choose among the answers offered, each at most once."),
    ("date", "31/03/2026", "Enter a date such as 2026-03-31."),
    ("budget", [{"label": "Formation", "amount": "-1"}], "Each budget line needs an amount of zero or more."),
    ("budget", [{"label": "Formation", "amount": "10.005"}], "Amounts in MAD have at most 2 decimal places."),
    ("budget", [{"label": "", "amount": "100"}], "Each budget line needs a label of at most 200 characters."),
    ("budget", "30000", "Give the budget as lines, each with a label and an amount."),
]


@pytest.mark.parametrize(("key", "value", "message"), BAD_ANSWERS)
def test_a_bad_answer_refuses_the_whole_save(draft, questions, team, key, value, message):
    before = _state()
    with pytest.raises(ApplicationError) as error:
        application_save_answers(
            application=draft,
            answers={questions["short"].pk: "Nom valide", questions[key].pk: value},
            acting_user=team["admin"],
        )
    assert error.value.code == "answer_invalid"
    assert error.value.extra["fields"] == {f"q{questions[key].pk}": [message]}
    assert _state() == before


def test_files_are_checked_by_content(draft, questions, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("statuts.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError) as error:
        application_save_answers(
            application=draft, answers={}, files={questions["file"].pk: fake}, acting_user=team["admin"]
        )
    assert error.value.extra["fields"] == {
        f"q{questions['file'].pk}": ["This file is not an accepted document. Upload a PDF, PNG, JPEG or WebP file."]
    }
    assert Answer.objects.count() == 0
    pdf = SimpleUploadedFile("statuts.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    application_save_answers(
        application=draft, answers={}, files={questions["file"].pk: pdf}, acting_user=team["admin"]
    )
    answer = Answer.objects.get(application=draft)
    assert answer.value == {"name": "statuts.pdf", "content_type": "application/pdf"}
    assert answer.file.name.endswith(".pdf")


def test_answers_cannot_change_after_the_deadline(draft, questions, team):
    _close(draft.call)
    with pytest.raises(ApplicationError) as error:
        application_save_answers(application=draft, answers={questions["short"].pk: "x"}, acting_user=team["admin"])
    assert error.value.code == "deadline_passed"
    assert Answer.objects.count() == 0


def test_a_question_of_another_call_is_refused(draft, team):
    from jusoor.calls.tests.factories import QuestionFactory

    other = QuestionFactory()
    with pytest.raises(ApplicationError) as error:
        application_save_answers(application=draft, answers={other.pk: "x"}, acting_user=team["admin"])
    assert str(error.value.message) == "This question is not part of the call's form."


# --- Submit -----------------------------------------------------------------------------------------------------


def test_submit_needs_every_required_answer(draft, questions, team):
    application_save_answers(application=draft, answers={questions["short"].pk: "Nom"}, acting_user=team["admin"])
    before = _state()
    with pytest.raises(ApplicationError) as error:
        application_submit(application=draft, acting_user=team["admin"])
    assert error.value.code == "answers_missing"
    assert error.value.extra["fields"][f"q{questions['budget'].pk}"] == ["This question needs an answer."]
    assert _state() == before


def test_submit_checks_eligibility_and_mails_the_admins_in_their_language(
    draft, complete_answers, team, django_capture_on_commit_callbacks
):
    application_save_answers(application=draft, answers=complete_answers, acting_user=team["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(application=draft, acting_user=team["admin"])
    application.refresh_from_db()
    assert application.status == S.ELIGIBLE
    assert application.submitted_at is not None
    reasons = {}
    for language in ("ar", "fr", "en"):
        with translation.override(language):
            reasons[language] = gettext("Your organisation is verified.")
    assert application.eligibility == [{"rule": "verified", "ok": True, "reason": reasons}]
    actions = list(AuditEvent.objects.filter(target_id=str(draft.pk)).order_by("pk").values_list("action", flat=True))
    assert actions == [
        "calls.application.answers_saved",
        "calls.application.submitted",
        "calls.application.eligibility_checked",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@horizon.ma", "owner@horizon.ma"]
    for message in mail.outbox:
        language = "fr" if message.to[0] == "admin@horizon.ma" else "ar"
        with translation.override(language):
            subject = gettext("Your application to “%(title)s”: %(status_label)s") % {
                "title": draft.call.title_fr if language == "fr" else draft.call.title_ar,
                "status_label": gettext("Eligible"),
            }
            assert message.subject == f"[{gettext('Jusoor')}] {subject}"
            assert f"✓ {reasons[language]}" in message.body


def test_an_amount_above_the_limit_makes_the_application_ineligible(draft, complete_answers, team):
    call = draft.call
    call.max_requested = Decimal("20000")
    call.save(update_fields=["max_requested"])
    application_save_answers(application=draft, answers=complete_answers, acting_user=team["admin"])
    application = application_submit(application=draft, acting_user=team["admin"])
    assert application.status == S.INELIGIBLE
    amount = [r for r in application.eligibility if r["rule"] == "amount"][0]
    assert amount["ok"] is False
    assert amount["reason"]["en"] == "The amount requested (MAD45,000.50) is above the limit of MAD20,000.00."


def test_a_crafted_submit_after_the_deadline_is_refused_and_writes_nothing(draft, complete_answers, team):
    application_save_answers(application=draft, answers=complete_answers, acting_user=team["admin"])
    _close(draft.call)
    before = _state()
    with pytest.raises(ApplicationError) as error:
        application_submit(application=draft, acting_user=team["admin"])
    assert error.value.code == "deadline_passed"
    assert str(error.value.message) == (
        "The deadline of this call has passed: applications can no longer be submitted or changed."
    )
    assert _state() == before
    assert mail.outbox == []


def test_submitting_twice_is_quiet(draft, complete_answers, team):
    application_save_answers(application=draft, answers=complete_answers, acting_user=team["admin"])
    application_submit(application=draft, acting_user=team["admin"])
    before = _state()
    assert application_submit(application=draft, acting_user=team["admin"]).status == S.ELIGIBLE
    assert _state() == before


def test_a_withdrawn_application_cannot_be_sent(draft, complete_answers, team):
    application_save_answers(application=draft, answers=complete_answers, acting_user=team["admin"])
    application_withdraw(application=draft, acting_user=team["admin"])
    before = _state()
    with pytest.raises(ApplicationError) as error:
        application_submit(application=draft, acting_user=team["admin"])
    assert error.value.code == "invalid_transition"
    assert _state() == before


def test_a_sent_application_cannot_change(draft, complete_answers, team, questions):
    application_save_answers(application=draft, answers=complete_answers, acting_user=team["admin"])
    application_submit(application=draft, acting_user=team["admin"])
    with pytest.raises(ApplicationError) as error:
        application_save_answers(application=draft, answers={questions["short"].pk: "x"}, acting_user=team["admin"])
    assert error.value.code == "not_editable"


# --- Transitions ------------------------------------------------------------------------------------------------

SERVICES = {
    "withdraw": (application_withdraw, S.WITHDRAWN),
    "eligible": (lambda **kw: application_override_eligibility(eligible=True, **kw), S.ELIGIBLE),
    "ineligible": (lambda **kw: application_override_eligibility(eligible=False, **kw), S.INELIGIBLE),
    "review": (application_start_review, S.UNDER_REVIEW),
    "shortlist": (application_shortlist, S.SHORTLISTED),
    "select": (application_select, S.SELECTED),
    "waitlist": (application_waitlist, S.WAITLISTED),
    "reject": (application_reject, S.REJECTED),
}
ALLOWED = {
    (S.DRAFT, "withdraw"),
    (S.SUBMITTED, "withdraw"),
    (S.SUBMITTED, "eligible"),
    (S.SUBMITTED, "ineligible"),
    (S.ELIGIBLE, "withdraw"),
    (S.ELIGIBLE, "ineligible"),
    (S.ELIGIBLE, "review"),
    (S.INELIGIBLE, "eligible"),
    (S.UNDER_REVIEW, "withdraw"),
    (S.UNDER_REVIEW, "shortlist"),
    (S.UNDER_REVIEW, "reject"),
    (S.SHORTLISTED, "withdraw"),
    (S.SHORTLISTED, "select"),
    (S.SHORTLISTED, "waitlist"),
    (S.SHORTLISTED, "reject"),
    (S.WAITLISTED, "select"),
    (S.WAITLISTED, "reject"),
}


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("action", list(SERVICES))
def test_every_transition_is_allowed_or_refused(
    call, organization, manager, team, status, action, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(call=call, organization=organization, status=status)
    service, target = SERVICES[action]
    before = _state()
    if (status, action) in ALLOWED:
        with django_capture_on_commit_callbacks(execute=True):
            result = service(application=application, acting_user=manager, reason="Décision du comité")
        application.refresh_from_db()
        assert (result.status, application.status, application.status_reason) == (target, target, "Décision du comité")
        event = AuditEvent.objects.latest("pk")
        assert event.changes["status"] == {"old": status, "new": target}
        assert len(mail.outbox) == 2  # owner and admin, not the member
    elif status == target:
        service(application=application, acting_user=manager, reason="Décision du comité")
        assert _state() == before
    else:
        with pytest.raises(ApplicationError) as error:
            service(application=application, acting_user=manager, reason="Décision du comité")
        assert error.value.code == "invalid_transition"
        assert _state() == before


@pytest.mark.parametrize("action", ["reject", "eligible"])
def test_rejections_and_overrides_need_a_reason(call, organization, manager, action):
    status = S.UNDER_REVIEW if action == "reject" else S.INELIGIBLE
    application = ApplicationFactory(call=call, organization=organization, status=status)
    before = _state()
    with pytest.raises(ApplicationError) as error:
        SERVICES[action][0](application=application, acting_user=manager, reason="  ")
    assert error.value.code == "reason_required"
    assert str(error.value.message) == "Give the reason: the applicant will read it."
    assert _state() == before


def test_the_whole_call_goes_under_review(call, manager):
    eligible = [ApplicationFactory(call=call, status=S.ELIGIBLE) for _ in range(3)]
    other = ApplicationFactory(call=call, status=S.INELIGIBLE)
    assert application_start_review_bulk(call=call, acting_user=manager) == 3
    assert set(Application.objects.filter(status=S.UNDER_REVIEW).values_list("pk", flat=True)) == {
        a.pk for a in eligible
    }
    other.refresh_from_db()
    assert other.status == S.INELIGIBLE
    assert AuditEvent.objects.filter(action="calls.application.review_started").count() == 3
    assert application_start_review_bulk(call=call, acting_user=manager) == 0
