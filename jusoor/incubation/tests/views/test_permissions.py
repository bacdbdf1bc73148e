"""Pages × roles: who gets the page, who gets 403/404 (and login for anonymous users); refused POSTs change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jusoor.common.models import AuditEvent
from jusoor.incubation.models import Activity, Attendance, CoachingSession, Registration
from jusoor.incubation.tests.factories import CoachingSessionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "applicant_admin", "other_admin", "coach", "other_coach", "manager", "facilitator"]


@pytest.fixture
def users(applicant_admin, other_admin, coach, other_coach, manager, facilitator):
    return {
        "anonymous": None,
        "applicant_admin": applicant_admin,
        "other_admin": other_admin,
        "coach": coach,
        "other_coach": other_coach,
        "manager": manager,
        "facilitator": facilitator,
    }


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _outcome(response) -> str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return str(response.status_code)


@pytest.fixture
def world(programme, cohort, activity, assignment, applicant, coach):
    session = CoachingSessionFactory(programme=programme, coach=coach, organization=applicant)
    return {
        "programme": programme,
        "cohort": cohort,
        "activity": activity,
        "assignment": assignment,
        "session": session,
        "applicant": applicant,
    }


PAGES = {
    # url name, argument → {role: outcome}; unlisted signed-in roles expect the default
    ("activity_list", "programme"): ({"manager": "200", "coach": "200", "other_coach": "200"}, "403"),
    ("activity_create", "programme"): ({"manager": "200"}, "403"),
    ("activity_detail", "activity"): (
        {"manager": "200", "coach": "200", "other_coach": "200", "facilitator": "200"},
        "404",
    ),
    ("activity_update", "activity"): (
        {"manager": "200", "coach": "403", "other_coach": "403", "facilitator": "403"},
        "404",
    ),
    ("signin_sheet", "activity"): (
        {"manager": "200", "coach": "200", "other_coach": "200", "facilitator": "200"},
        "404",
    ),
    ("cohort_list", "programme"): ({"manager": "200"}, "403"),
    ("cohort_detail", "cohort"): ({"manager": "200", "coach": "200", "other_coach": "200"}, "404"),
    ("coaching", "programme"): ({"manager": "200", "coach": "200", "other_coach": "200"}, "403"),
    ("session_log", "assignment"): ({"coach": "200"}, "404"),
    ("session_detail", "session"): ({"manager": "200", "coach": "200", "applicant_admin": "200"}, "404"),
    ("timeline", "applicant"): (
        {"manager": "200", "coach": "200", "other_coach": "200", "applicant_admin": "200"},
        "404",
    ),
}


@pytest.mark.parametrize(("name", "target"), list(PAGES))
def test_pages_by_role(client, users, world, name, target):
    expected, default = PAGES[name, target]
    url = reverse(f"incubation:{name}", args=[world[target].pk])
    outcomes = {}
    for role in ROLES:
        client.logout()
        outcomes[role] = _outcome(_client(client, users[role]).get(url))
    assert outcomes == {role: "login" if role == "anonymous" else expected.get(role, default) for role in ROLES}


def test_refused_registration_writes_nothing(client, users, activity):
    url = reverse("incubation:registration_create", args=[activity.pk])
    for role in ("anonymous", "applicant_admin", "other_admin", "coach"):
        client.logout()
        response = _client(client, users[role]).post(url, {"reg-name": "Intrus"})
        assert response.status_code in {302, 403, 404}
    assert Registration.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_refused_session_log_writes_nothing(client, users, assignment):
    url = reverse("incubation:session_log", args=[assignment.pk])
    data = {
        "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "duration_minutes": 60,
        "modality": "online",
        "topics": "Budget",
    }
    for role in ("anonymous", "applicant_admin", "other_coach", "manager", "facilitator"):
        client.logout()
        response = _client(client, users[role]).post(url, data)
        assert _outcome(response) in {"login", "404"}
    assert CoachingSession.objects.count() == 0
    client.logout()
    response = _client(client, users["coach"]).post(url, data)
    assert response.status_code == 302
    assert CoachingSession.objects.get().topics == "Budget"


def test_only_the_coached_organisation_confirms_over_http(client, users, world):
    session = world["session"]
    url = reverse("incubation:session_confirm", args=[session.pk])
    for role in ("anonymous", "other_admin", "coach", "other_coach", "manager", "facilitator"):
        client.logout()
        response = _client(client, users[role]).post(url)
        assert _outcome(response) in {"login", "403", "404"}
    session.refresh_from_db()
    assert (session.status, session.confirmed_by) == ("logged", None)
    client.logout()
    assert _client(client, users["applicant_admin"]).post(url).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.confirmed_by) == ("confirmed", users["applicant_admin"])


def test_refused_planning_writes_nothing(client, users, programme):
    url = reverse("incubation:activity_create", args=[programme.pk])
    starts = timezone.now() + timedelta(days=3)
    data = {
        "kind": "bootcamp",
        "title": "Bootcamp",
        "language": "fr",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    for role in ("anonymous", "applicant_admin", "coach", "facilitator"):
        client.logout()
        _client(client, users[role]).post(url, data)
    assert Activity.objects.filter(title="Bootcamp").count() == 0
    client.logout()
    assert _client(client, users["manager"]).post(url, data).status_code == 302
    assert Activity.objects.filter(title="Bootcamp").count() == 1


def test_refused_check_in_writes_nothing(client, users, activity):
    registration = RegistrationFactory(activity=activity)
    url = reverse("incubation:sheet_check_in", args=[activity.pk, registration.pk])
    for role in ("anonymous", "applicant_admin", "other_admin"):
        client.logout()
        _client(client, users[role]).post(url)
    assert Attendance.objects.count() == 0


def test_coach_corrects_a_disputed_session(client, users, world):
    session = world["session"]
    CoachingSession.objects.filter(pk=session.pk).update(status="disputed", dispute_reason="60 minutes")
    url = reverse("incubation:session_correct", args=[session.pk])
    data = {"date": session.date.isoformat(), "duration_minutes": 60, "modality": "online", "topics": "Budget"}
    for role in ("applicant_admin", "other_coach", "manager"):
        client.logout()
        assert _client(client, users[role]).post(url, data).status_code in {403, 404}
    assert CoachingSession.objects.get().duration_minutes == 90
    client.logout()
    client.force_login(users["coach"])
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.duration_minutes, session.topics) == ("logged", 60, "Budget")
