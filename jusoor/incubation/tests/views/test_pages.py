from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from jusoor.incubation.links import feedback_path
from jusoor.incubation.models import Activity, Attendance, Feedback, Milestone
from jusoor.incubation.tests.factories import ActivityFactory, CoachingSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_activity_list_queries_do_not_grow(client, programme, manager, morocco, django_assert_num_queries):
    client.force_login(manager)
    url = reverse("incubation:activity_list", args=[programme.pk])
    ActivityFactory(programme=programme, territory=morocco["rabat"])
    client.get(url)
    with django_assert_num_queries(8) as first:
        client.get(url)
    for n in range(6):
        activity = ActivityFactory(
            programme=programme, territory=morocco["agadir"], starts_at=timezone.now() + timedelta(days=40 + n)
        )
        RegistrationFactory.create_batch(2, activity=activity)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.context["count"] == 7


def test_activity_detail_queries_do_not_grow(client, activity, manager, django_assert_num_queries):
    client.force_login(manager)
    url = reverse("incubation:activity_detail", args=[activity.pk])
    registration = RegistrationFactory(activity=activity)
    Attendance.objects.create(activity=activity, registration=registration, checked_in_at=timezone.now(), method="qr")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    RegistrationFactory.create_batch(2, activity=activity)
    Attendance.objects.create(activity=activity, name="Walk-in", checked_in_at=timezone.now(), method="sheet")
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert response.context["attended"] == 2


def test_coaching_list_queries_do_not_grow(client, programme, manager, coach, applicant, django_assert_num_queries):
    client.force_login(manager)
    url = reverse("incubation:coaching", args=[programme.pk])
    CoachingSessionFactory(programme=programme, coach=coach, organization=applicant)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    CoachingSessionFactory.create_batch(5, programme=programme, coach=coach)
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert len(response.context["sessions"]) == 6


def test_coach_sees_only_their_sessions(client, programme, coach, other_coach, applicant):
    CoachingSessionFactory(programme=programme, coach=coach, organization=applicant, topics="Mine")
    CoachingSessionFactory(programme=programme, coach=other_coach, topics="Theirs")
    client.force_login(coach)
    response = client.get(reverse("incubation:coaching", args=[programme.pk]))
    assert [session.topics for session in response.context["sessions"]] == ["Mine"]


def test_sign_in_sheet_pdf_in_arabic(client, activity, facilitator):
    RegistrationFactory(activity=activity, name="سلمى العلوي")
    client.force_login(facilitator)
    response = client.get(
        reverse("incubation:signin_sheet", args=[activity.pk]).replace("/fr/", "/ar/").replace("/en/", "/ar/")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_timeline_in_date_order(client, programme, applicant, applicant_admin, cohort, coach, manager):
    held = ActivityFactory(
        programme=programme, title="Bootcamp Rabat", status="held", starts_at=timezone.now() - timedelta(days=20)
    )
    registration = RegistrationFactory(activity=held, organization=applicant)
    Attendance.objects.create(activity=held, registration=registration, checked_in_at=held.starts_at, method="qr")
    CoachingSessionFactory(
        programme=programme,
        coach=coach,
        organization=applicant,
        topics="Diagnostic",
        date=timezone.localdate() - timedelta(days=10),
    )
    Milestone.objects.create(
        programme=programme,
        organization=applicant,
        date=timezone.localdate() - timedelta(days=5),
        label="Plan d'action validé",
        kind="action_plan",
    )
    client.force_login(applicant_admin)
    response = client.get(reverse("incubation:timeline", args=[applicant.pk]))
    kinds = [item.kind for item in response.context["items"]]
    assert kinds == ["application", "activity", "coaching", "milestone", "cohort"]
    assert response.context["form"] is None  # org admins read; managers and coaches add milestones

    client.force_login(manager)
    data = {"programme": programme.pk, "date": timezone.localdate().isoformat(), "label": "Pitch", "kind": "pitch"}
    assert client.post(reverse("incubation:timeline", args=[applicant.pk]), data).status_code == 302
    assert Milestone.objects.filter(label="Pitch").count() == 1


def test_feedback_link(client, activity):
    url = feedback_path(activity)
    assert client.post(url, {"rating": "5"}).status_code == 400  # not held yet
    Activity.objects.filter(pk=activity.pk).update(status="held")
    response = client.post(url, {"rating": "5", "comment": "Bravo"})
    assert response.status_code == 302
    assert list(Feedback.objects.values_list("rating", "comment", "user", "anonymous")) == [(5, "Bravo", None, True)]
    forged = reverse("incubation:feedback", args=[signing.dumps(activity.pk, salt="other")])
    assert client.get(forged).status_code == 404
