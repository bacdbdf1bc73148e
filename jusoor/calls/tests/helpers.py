"""Actors in every role towards an application's call and organisation."""

from __future__ import annotations

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import AnonymousUser

from jusoor.accounts.models import Role
from jusoor.accounts.tests.factories import RoleGrantFactory, UserFactory
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory
from jusoor.programmes.models import Programme, ProgrammeMember

ACTORS = [
    "anonymous",
    "user",
    "member",
    "admin",
    "owner",
    "other_admin",
    "reviewer",
    "coach",
    "juror",
    "manager",
    "programme_manager",
    "platform_admin",
]


def make_actor(kind: str, *, organization: Organization, programme: Programme):
    if kind == "anonymous":
        return AnonymousUser()
    user = UserFactory()
    if kind in {"member", "admin", "owner"}:
        MembershipFactory(organization=organization, user=user, role=MembershipRole(kind))
    elif kind == "other_admin":
        MembershipFactory(organization=OrganizationFactory(), user=user, role=MembershipRole.ADMIN)
    elif kind in {"reviewer", "coach", "juror", "manager"}:
        ProgrammeMember.objects.create(programme=programme, user=user, role=kind)
    elif kind == "programme_manager":
        RoleGrantFactory(user=user, role=Role.PROGRAMME_MANAGER)
    elif kind == "platform_admin":
        RoleGrantFactory(user=user, role=Role.PLATFORM_ADMIN)
        TOTP.activate(user, generate_totp_secret())
    return user
