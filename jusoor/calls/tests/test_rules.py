"""Permission matrix: every actor × every calls permission, on an open call and an application in each status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jusoor.calls.models import Application
from jusoor.calls.tests.factories import ApplicationFactory
from jusoor.calls.tests.helpers import ACTORS, make_actor

MANAGERS = {"manager", "programme_manager", "platform_admin"}
TEAM = MANAGERS | {"reviewer", "coach", "juror"}
ORG_ADMINS = {"owner", "admin"}

CALL_PERMISSIONS = {
    "calls.view_call": set(ACTORS),
    "calls.change_call": MANAGERS,
    "calls.add_call": MANAGERS,
    "calls.apply": ORG_ADMINS | {"other_admin"},
    "calls.list_applications": MANAGERS,
}
APPLICATION_PERMISSIONS = {
    "calls.view_application": ORG_ADMINS | {"member"} | MANAGERS,  # reviewers only through the reviews app
    "calls.decide_application": MANAGERS,
}


@pytest.mark.parametrize("kind", ACTORS)
@pytest.mark.parametrize("permission", list(CALL_PERMISSIONS))
def test_call_permissions_on_an_open_call(call, organization, kind, permission):
    actor = make_actor(kind, organization=organization, programme=call.programme)
    target = call.programme if permission == "calls.add_call" else call
    assert actor.has_perm(permission, target) is (kind in CALL_PERMISSIONS[permission])


@pytest.mark.parametrize("kind", ACTORS)
def test_a_draft_call_is_seen_by_the_programme_team_only(call, organization, kind):
    call.published = False
    call.save(update_fields=["published"])
    actor = make_actor(kind, organization=organization, programme=call.programme)
    assert actor.has_perm("calls.view_call", call) is (kind in TEAM)
    assert actor.has_perm("calls.apply", call) is False


@pytest.mark.parametrize("kind", ACTORS)
def test_nobody_applies_to_a_closed_call(call, organization, kind):
    call.opens_at, call.closes_at = timezone.now() - timedelta(days=3), timezone.now() - timedelta(days=1)
    call.save(update_fields=["opens_at", "closes_at"])
    actor = make_actor(kind, organization=organization, programme=call.programme)
    assert actor.has_perm("calls.apply", call) is False


@pytest.mark.parametrize("status", Application.Status.values)
@pytest.mark.parametrize("kind", ACTORS)
def test_application_permissions_by_status(call, organization, kind, status):
    application = ApplicationFactory(call=call, organization=organization, status=status)
    actor = make_actor(kind, organization=organization, programme=call.programme)
    for permission, allowed in APPLICATION_PERMISSIONS.items():
        assert actor.has_perm(permission, application) is (kind in allowed), permission
    assert actor.has_perm("calls.change_application", application) is (kind in ORG_ADMINS and status == "draft")
    withdrawable = Application.Status.WITHDRAWN in Application.TRANSITIONS.get(status, frozenset())
    assert actor.has_perm("calls.withdraw_application", application) is (kind in ORG_ADMINS and withdrawable)


def test_a_manager_of_another_programme_has_no_rights(call, organization):
    from jusoor.calls.tests.factories import ProgrammeFactory

    outsider = make_actor("manager", organization=organization, programme=ProgrammeFactory())
    application = ApplicationFactory(call=call, organization=organization, status="eligible")
    assert not outsider.has_perm("calls.change_call", call)
    assert not outsider.has_perm("calls.view_application", application)
    assert not outsider.has_perm("calls.decide_application", application)
