"""Roles × pages and actions: who gets the page, who gets 403, who is sent to log in, who does not see the programme
(404). A refused action changes nothing."""

import datetime
from decimal import Decimal

import pytest

from jusoor.common.models import AuditEvent
from jusoor.programmes.models import Indicator, IndicatorReport, IndicatorTarget, Programme, ProgrammeMember
from jusoor.programmes.tests.conftest import ROLES, make_actor, pdf_upload
from jusoor.programmes.tests.factories import IndicatorFactory, ReportFactory

pytestmark = pytest.mark.django_db
LOGIN, OK, DENIED, HIDDEN, DONE = "login", 200, 403, 404, 302
MANAGERS = {"manager": OK, "platform_admin": OK}
VIEWERS = {
    "manager": OK,
    "reviewer": OK,
    "coach": OK,
    "juror": OK,
    "platform_admin": OK,
    "operator_admin": OK,
    "funder_admin": OK,
}


def expect(default, **by_role):
    return {role: by_role.get(role, default) for role in ROLES}


def outcome(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


PAGES = [
    ("list", "/en/programmes/", expect(OK)),
    (
        "create",
        "/en/programmes/new/",
        expect(DENIED, anonymous=LOGIN, operator_admin=OK, funder_admin=OK, platform_admin=OK),
    ),
    ("detail", "/en/programmes/{pk}/", expect(OK)),
    ("edit", "/en/programmes/{pk}/edit/", expect(DENIED, anonymous=LOGIN, **MANAGERS)),
    ("team", "/en/programmes/{pk}/team/", expect(DENIED, anonymous=LOGIN, **MANAGERS)),
    ("indicators", "/en/programmes/{pk}/indicators/", expect(DENIED, anonymous=LOGIN, **VIEWERS)),
    ("new indicator", "/en/programmes/{pk}/indicators/new/", expect(DENIED, anonymous=LOGIN, **MANAGERS)),
    ("report", "/en/programmes/{pk}/reports/new/", expect(DENIED, anonymous=LOGIN, coach=OK, **MANAGERS)),
    ("queue", "/en/programmes/{pk}/reports/", expect(DENIED, anonymous=LOGIN, **MANAGERS)),
    ("dashboard", "/en/programmes/{pk}/dashboard/", expect(DENIED, anonymous=LOGIN, **VIEWERS)),
    ("xlsx", "/en/programmes/{pk}/dashboard.xlsx", expect(DENIED, anonymous=LOGIN, **VIEWERS)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_matrix(client, programme, role, name, path, expected):
    actor = make_actor(role, programme)
    if role != "anonymous":
        client.force_login(actor)
    assert outcome(client.get(path.format(pk=programme.pk))) == expected[role]


DRAFT_VIEWERS = {
    "manager": OK,
    "reviewer": OK,
    "coach": OK,
    "juror": OK,
    "platform_admin": OK,
    "operator_admin": OK,
    "funder_admin": OK,
}


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_hidden_from_outsiders(client, programme, role):
    Programme.objects.filter(pk=programme.pk).update(status="draft")
    actor = make_actor(role, programme)
    if role != "anonymous":
        client.force_login(actor)
    assert outcome(client.get(f"/en/programmes/{programme.pk}/")) == DRAFT_VIEWERS.get(role, HIDDEN)


def _counts():
    return (
        Programme.objects.filter(status="closed").count(),
        ProgrammeMember.objects.count(),
        Indicator.objects.count(),
        IndicatorTarget.objects.count(),
        IndicatorReport.objects.count(),
        IndicatorReport.objects.filter(status="approved").count(),
        AuditEvent.objects.count(),
    )


def _action(name, programme, indicator, report):
    pk = programme.pk
    return {
        "close": (f"/en/programmes/{pk}/status/", {"action": "close"}),
        "add member": (
            f"/en/programmes/{pk}/team/",
            {"action": "add", "email": "coach-new@example.org", "role": "coach"},
        ),
        "new indicator": (
            f"/en/programmes/{pk}/indicators/new/",
            {"code": "events", "name_fr": "Événements", "unit": "événements", "baseline": "0", "kind": "manual"},
        ),
        "target": (
            f"/en/programmes/{pk}/indicators/{indicator.pk}/",
            {
                "action": "target",
                "period_end": "2025-12-31",
                "value": "500",
                "source": "Programme",
                "set_on": "2022-01-01",
            },
        ),
        "report": (
            f"/en/programmes/{pk}/reports/new/",
            {"indicator": indicator.pk, "period_end": "2022-12-31", "value": "12", "evidence": pdf_upload()},
        ),
        "approve": (f"/en/programmes/{pk}/reports/", {"report_id": report.pk, "action": "approve"}),
    }[name]


ACTIONS = [
    ("close", expect(DENIED, anonymous=LOGIN, manager=DONE, platform_admin=DONE)),
    ("add member", expect(DENIED, anonymous=LOGIN, manager=DONE, platform_admin=DONE)),
    ("new indicator", expect(DENIED, anonymous=LOGIN, manager=DONE, platform_admin=DONE)),
    ("target", expect(DENIED, anonymous=LOGIN, manager=DONE, platform_admin=DONE)),
    ("report", expect(DENIED, anonymous=LOGIN, manager=DONE, coach=DONE, platform_admin=DONE)),
    ("approve", expect(DENIED, anonymous=LOGIN, manager=DONE, platform_admin=DONE)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "expected"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_action_matrix(client, programme, role, name, expected):
    from jusoor.accounts.tests.factories import UserFactory

    UserFactory(email="coach-new@example.org")
    indicator = IndicatorFactory(programme=programme, code="volunteers")
    report = ReportFactory(
        indicator=indicator, status="submitted", value=Decimal("5"), period_end=datetime.date(2022, 6, 30)
    )
    actor = make_actor(role, programme)
    if role != "anonymous":
        client.force_login(actor)
    before = _counts()
    path, data = _action(name, programme, indicator, report)
    result = outcome(client.post(path, data))
    assert result == expected[role]
    if result == DONE:
        assert _counts() != before
    else:
        assert _counts() == before
