"""Permission matrix: every actor × every organisation permission, on organisations of each status."""

import pytest
from django.contrib.auth.models import AnonymousUser

from jusoor.accounts.models import Role
from jusoor.accounts.tests.factories import RoleGrantFactory, UserFactory
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory

ACTORS = ["anonymous", "user", "member", "admin", "owner", "partner", "verifier", "platform_admin"]
OWN, A, M, P, V, X = "owner", "admin", "member", "partner", "verifier", "platform_admin"
OBJECT_PERMISSIONS = {
    "organizations.change_organization": {OWN, A, X},
    "organizations.view_private_contact": {OWN, A, M, P, V, X},
    "organizations.view_documents": {OWN, A, V, X},
    "organizations.upload_document": {OWN, A},
    "organizations.submit_organization": {OWN, A},
    "organizations.verify_organization": {V, X},
    "organizations.view_membership": {OWN, A, M, X},
    "organizations.invite_member": {OWN, A},
    "organizations.change_membership": {OWN, A},
    "organizations.transfer_ownership": {OWN},
    "organizations.leave_organization": {OWN, A, M},
}


def make_actor(kind, organization):
    if kind == "anonymous":
        return AnonymousUser()
    user = UserFactory()
    if kind in {"member", "admin", "owner"}:
        MembershipFactory(organization=organization, user=user, role=MembershipRole(kind))
    elif kind == "partner":
        MembershipFactory(user=user, organization=OrganizationFactory(status="verified"))
    elif kind == "verifier":
        RoleGrantFactory(user=user, role=Role.VERIFIER)
    elif kind == "platform_admin":
        RoleGrantFactory(user=user, role=Role.PLATFORM_ADMIN)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ACTORS)
@pytest.mark.parametrize("permission", list(OBJECT_PERMISSIONS))
def test_object_permission_matrix(kind, permission):
    organization = OrganizationFactory(status=Organization.Status.VERIFIED)
    actor = make_actor(kind, organization)
    assert actor.has_perm(permission, organization) is (kind in OBJECT_PERMISSIONS[permission])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "kind", "allowed"),
    [
        ("unverified", "anonymous", False),
        ("unverified", "user", False),
        ("unverified", "member", True),
        ("unverified", "verifier", True),
        ("pending", "anonymous", True),
        ("verified", "anonymous", True),
        ("suspended", "anonymous", False),
        ("suspended", "partner", False),
        ("suspended", "owner", True),
    ],
)
def test_who_sees_an_organisation_by_status(status, kind, allowed):
    organization = OrganizationFactory(status=status)
    actor = make_actor(kind, organization)
    assert actor.has_perm("organizations.view_organization", organization) is allowed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "add", "import_", "export"),
    [
        ("anonymous", False, False, True),
        ("user", True, False, True),
        ("verifier", True, True, True),
        ("platform_admin", True, True, True),
    ],
)
def test_global_permissions(kind, add, import_, export):
    actor = make_actor(kind, None)
    assert actor.has_perm("organizations.add_organization") is add
    assert actor.has_perm("organizations.import_organizations") is import_
    assert actor.has_perm("organizations.export_organizations") is export
