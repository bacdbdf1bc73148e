"""Permission matrix: every platform role × every platform-level permission."""

import pytest
from django.contrib.auth.models import AnonymousUser

from jusoor.accounts.models import Role
from jusoor.accounts.tests.factories import RoleGrantFactory, UserFactory

PERMISSIONS = ["accounts.view_user", "accounts.grant_role", "common.view_auditevent", "finance.view_dashboard"]

# role -> the permissions it grants (everything else is denied)
EXPECTED = {
    "anonymous": set(),
    "no_role": set(),
    "superuser": set(PERMISSIONS),
    Role.PLATFORM_ADMIN: set(PERMISSIONS),
    Role.PROGRAMME_MANAGER: set(),
    Role.REVIEWER: set(),
    Role.COACH: set(),
    Role.FINANCE_OFFICER: {"finance.view_dashboard"},
    Role.DONOR: set(),
    Role.MUNICIPALITY_OFFICIAL: set(),
}


def make_actor(kind):
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "no_role":
        return UserFactory()
    if kind == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    return RoleGrantFactory(role=kind).user


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_platform_permission_matrix(kind, permission):
    actor = make_actor(kind)
    assert actor.has_perm(permission) is (permission in EXPECTED[kind])


@pytest.mark.django_db
def test_change_profile_only_for_oneself():
    alice, bob = UserFactory(), UserFactory()
    admin = RoleGrantFactory(role=Role.PLATFORM_ADMIN).user
    assert alice.has_perm("accounts.change_profile", alice) is True
    assert alice.has_perm("accounts.change_profile", bob) is False
    assert admin.has_perm("accounts.change_profile", bob) is False
    assert AnonymousUser().has_perm("accounts.change_profile", alice) is False
