"""The call pages: public list and detail, the applicant's journey, the managers' pages, who gets what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jusoor.calls.models import Answer, Application, Call, Question
from jusoor.calls.tests.factories import ApplicationFactory
from jusoor.calls.tests.helpers import ACTORS, make_actor
from jusoor.common.models import AuditEvent
from jusoor.organizations.tests.factories import OrganizationFactory

S = Application.Status


def test_public_list_and_detail(client, call, questions):
    response = client.get(reverse("calls:list"))
    assert response.status_code == 200
    assert call.title_fr in response.content.decode() or call.title_ar in response.content.decode()
    response = client.get(reverse("calls:list"), {"country": "DZ"})
    assert response.status_code == 400
    response = client.get(reverse("calls:detail", args=[call.pk]))
    assert response.status_code == 200
    assert "Log in to apply" in response.content.decode()


def test_the_form_renders_right_to_left_in_arabic(client, draft, team):
    from django.utils import translation

    client.force_login(team["owner"])
    with translation.override("ar"):
        url = reverse("calls:application_form", args=[draft.pk])
    response = client.get(url)
    content = response.content.decode()
    assert (response.status_code, url.startswith("/ar/")) == (200, True)
    assert 'dir="rtl"' in content
    assert 'name="action" value="submit"' in content


def test_an_unpublished_call_is_hidden(client, call):
    call.published = False
    call.save(update_fields=["published"])
    assert client.get(reverse("calls:detail", args=[call.pk])).status_code == 404


def test_the_detail_shows_each_organisation_how_it_fares(client, call, team):
    call.require_verified = True
    call.save(update_fields=["require_verified"])
    client.force_login(team["admin"])
    content = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
    assert "Your organisation is verified." in content
    assert reverse("calls:apply", args=[call.pk]) in content


def test_the_applicant_journey(client, call, organization, team, questions):
    client.force_login(team["admin"])
    response = client.post(reverse("calls:apply", args=[call.pk]), {"organization": organization.pk})
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:application_form", args=[application.pk])
    form = client.get(response["Location"])
    assert form.status_code == 200
    q = questions
    data = {
        f"q{q['short'].pk}": "Jeunes entrepreneurs",
        f"q{q['multiple'].pk}": ["youth", "women"],
        f"q{q['budget'].pk}_label": ["Formation", "Matériel"],
        f"q{q['budget'].pk}_amount": ["30000", "15000.50"],
        "action": "save",
    }
    response = client.post(reverse("calls:application_form", args=[application.pk]), data)
    assert response.status_code == 302
    assert Answer.objects.filter(application=application).count() == 3
    response = client.post(reverse("calls:application_form", args=[application.pk]), {**data, "action": "submit"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.ELIGIBLE
    detail = client.get(reverse("calls:application_detail", args=[application.pk])).content.decode()
    assert "Your organisation is verified." in detail
    assert "Withdraw the application" in detail


def test_a_bad_answer_shows_the_error_on_the_question(client, draft, team, questions):
    client.force_login(team["admin"])
    response = client.post(
        reverse("calls:application_form", args=[draft.pk]), {f"q{questions['number'].pk}": "douze", "action": "save"}
    )
    assert response.status_code == 400
    assert "Enter a number, such as 1500 or 12.5." in response.content.decode()
    assert Answer.objects.count() == 0


def test_a_crafted_post_after_the_deadline_writes_nothing(client, draft, team, questions, complete_answers):
    client.force_login(team["admin"])
    Call.objects.filter(pk=draft.call_id).update(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(minutes=1)
    )
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("calls:application_form", args=[draft.pk]),
        {
            f"q{questions['short'].pk}": "x",
            f"q{questions['budget'].pk}_label": "a",
            f"q{questions['budget'].pk}_amount": "1",
            "action": "submit",
        },
    )
    assert response.status_code == 400
    assert "The deadline of this call has passed" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, Answer.objects.count(), AuditEvent.objects.count()) == (S.DRAFT, 0, events)


def test_the_budget_table_gets_a_row_with_htmx(client, team, questions):
    client.force_login(team["admin"])
    response = client.get(reverse("calls:budget_row"), {"question": questions["budget"].pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'name="q{questions["budget"].pk}_label"' in response.content.decode()


def test_a_manager_builds_the_form_with_htmx(client, call, manager):
    client.force_login(manager)
    url = reverse("calls:questions", args=[call.pk])
    response = client.post(
        url,
        {
            "kind": "long_text",
            "label_fr": "Décrivez le projet",
            "label_ar": "صفوا المشروع",
            "required": "on",
            "word_limit": "300",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    question = Question.objects.get()
    assert (question.kind, question.label, question.word_limit) == (
        "long_text",
        {"ar": "صفوا المشروع", "fr": "Décrivez le projet"},
        300,
    )
    assert "Décrivez le projet" in response.content.decode()
    response = client.post(url, {"kind": "short_text"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Write the text in at least one language." in response.content.decode()
    assert Question.objects.count() == 1


def test_a_manager_creates_a_call(client, programme, manager):
    client.force_login(manager)
    response = client.post(
        reverse("calls:create", args=[programme.pk]),
        {
            "title_fr": "Appel 2026",
            "primary_language": "fr",
            "opens_at": "2026-12-01T09:00",
            "closes_at": "2027-01-15T18:00",
            "eligible_countries": ["MA"],
            "territory_codes": "",
            "require_verified": "on",
            "reviewers_per_application": "3",
            "disagreement_threshold": "1.5",
        },
    )
    call = Call.objects.get()
    assert response.status_code == 302
    assert (call.title_fr, call.eligible_countries, call.published) == ("Appel 2026", ["MA"], False)


def test_a_manager_decides_with_a_reason(client, call, organization, manager):
    application = ApplicationFactory(call=call, organization=organization, status=S.UNDER_REVIEW)
    client.force_login(manager)
    url = reverse("calls:application_decide", args=[application.pk])
    client.post(url, {"action": "reject", "reason": ""})
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    client.post(url, {"action": "shortlist", "reason": "Projet solide"})
    application.refresh_from_db()
    assert (application.status, application.status_reason) == (S.SHORTLISTED, "Projet solide")


def _add(call, commune, count):
    for _ in range(count):
        ApplicationFactory(
            call=call,
            organization=OrganizationFactory(country="MA", territory=commune),
            status=S.ELIGIBLE,
            submitted_at=timezone.now(),
        )


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode().count("/calls/applications/")


def test_the_managers_list_costs_the_same_queries_for_3_or_30_applications(client, call, manager, commune):
    client.force_login(manager)
    url = reverse("calls:applications", args=[call.pk])
    _add(call, commune, 3)
    client.get(url)  # the session is read and refreshed once
    queries_for_3, links_for_3 = _count_queries(client, url)
    _add(call, commune, 27)
    queries_for_30, links_for_30 = _count_queries(client, url)
    assert (links_for_3, links_for_30) == (3, 30)
    assert queries_for_30 == queries_for_3


CALL_PAGES = {"calls:update", "calls:questions", "calls:applications"}

PAGES = {
    "calls:update": (lambda call, application: [call.pk], {"manager", "programme_manager", "platform_admin"}),
    "calls:questions": (lambda call, application: [call.pk], {"manager", "programme_manager", "platform_admin"}),
    "calls:applications": (lambda call, application: [call.pk], {"manager", "programme_manager", "platform_admin"}),
    "calls:application_detail": (
        lambda call, application: [application.pk],
        {"member", "admin", "owner", "manager", "programme_manager", "platform_admin"},
    ),
    "calls:application_form": (lambda call, application: [application.pk], {"admin", "owner"}),
}


@pytest.mark.parametrize("kind", ACTORS)
@pytest.mark.parametrize("name", list(PAGES))
def test_who_opens_which_page(client, call, organization, questions, kind, name):
    application = ApplicationFactory(call=call, organization=organization, status=S.DRAFT)
    actor = make_actor(kind, organization=organization, programme=call.programme)
    if kind != "anonymous":
        client.force_login(actor)
    args, allowed = PAGES[name]
    response = client.get(reverse(name, args=args(call, application)))
    if kind in allowed:
        assert response.status_code == 200
    elif kind == "anonymous":
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        # Someone who may not see the application gets the same 404 as for a missing one; someone who sees it
        # (or the public call) without the permission gets 403.
        sees = name in CALL_PAGES or kind in PAGES["calls:application_detail"][1]
        assert response.status_code == (403 if sees else 404)


@pytest.mark.parametrize("kind", ["member", "other_admin", "reviewer", "coach", "juror", "user"])
def test_denied_decisions_change_nothing(client, call, organization, kind):
    application = ApplicationFactory(call=call, organization=organization, status=S.UNDER_REVIEW)
    client.force_login(make_actor(kind, organization=organization, programme=call.programme))
    events = AuditEvent.objects.count()
    response = client.post(reverse("calls:application_decide", args=[application.pk]), {"action": "shortlist"})
    assert response.status_code in {403, 404}
    application.refresh_from_db()
    assert (application.status, AuditEvent.objects.count()) == (S.UNDER_REVIEW, events)
