"""Who may do what in programmes. Names follow `programmes.<verb>_<model>`.

The team predicates take a Programme, or any object with a `programme` attribute (a call), or with a `call`
(an application): every app of the programme family asks them the same way. Platform admins and programme
managers of the platform (role `programme_manager`) manage every programme.

Permissions: `add_programme` (platform programme admins, and administrators of an organisation, for a programme it
operates), `view_programme` (public once active; the team, the operator's and funders' administrators before),
`change_programme`, `manage_team`, `manage_indicators`, `approve_report` (managers), `submit_report` (managers and
coaches), `view_dashboard` (the team, platform admins and programme managers, the operator's and the funders'
administrators).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import rules

from jusoor.accounts.models import Role
from jusoor.accounts.rules import has_role, is_platform_admin
from jusoor.organizations.models import MembershipRole
from jusoor.organizations.selectors.memberships import user_organization_roles
from jusoor.programmes.models import Programme, ProgrammeMember, ProgrammeRole


def programme_of(obj: Any) -> Programme | None:
    """The programme an object belongs to: itself, `.programme`, or `.call.programme`."""
    if obj is None:
        return None
    if isinstance(obj, Programme):
        return obj
    if hasattr(obj, "programme_id"):
        return obj.programme  # type: ignore[no-any-return]
    if hasattr(obj, "call_id"):
        return obj.call.programme  # type: ignore[no-any-return]
    return None


def team_roles(user: Any, programme: Programme | None) -> frozenset[str]:
    """The user's roles on the programme's team (cached on the user object for the request)."""
    if programme is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached: dict[int, frozenset[str]] = user.__dict__.setdefault("_programme_roles", {})
    if programme.pk not in cached:
        cached[programme.pk] = frozenset(
            ProgrammeMember.objects.filter(programme=programme, user=user).values_list("role", flat=True)
        )
    return cached[programme.pk]


@cache
def has_team_role(role: str) -> rules.Predicate:
    @rules.predicate(name=f"has_team_role:{role}")
    def predicate(user: Any, obj: Any = None) -> bool:
        return role in team_roles(user, programme_of(obj))

    return predicate


is_programme_admin = is_platform_admin | has_role(Role.PROGRAMME_MANAGER)
is_manager = is_programme_admin | has_team_role(ProgrammeRole.MANAGER)
is_reviewer = has_team_role(ProgrammeRole.REVIEWER)
is_coach = has_team_role(ProgrammeRole.COACH)
is_juror = has_team_role(ProgrammeRole.JUROR)
is_team_member = is_manager | is_reviewer | is_coach | is_juror


# --- Organisations around the programme: its operator and its funders -------------------------------------------
_ADMIN_ROLES = frozenset({MembershipRole.OWNER, MembershipRole.ADMIN})


def _administered(user: Any) -> set[int]:
    return {pk for pk, role in user_organization_roles(user).items() if role in _ADMIN_ROLES}


@rules.predicate
def is_operator_admin(user: Any, obj: Any = None) -> bool:
    """An owner or administrator of the organisation that operates the programme."""
    programme = programme_of(obj)
    if programme is None or not getattr(user, "is_authenticated", False):
        return False
    return programme.operator_id in _administered(user)


@rules.predicate
def is_funder_admin(user: Any, obj: Any = None) -> bool:
    """An owner or administrator of one of the programme's funders (read once per user and programme)."""
    programme = programme_of(obj)
    if programme is None or not getattr(user, "is_authenticated", False):
        return False
    administered = _administered(user)
    if not administered:
        return False
    cached: dict[int, bool] = user.__dict__.setdefault("_programme_funder", {})
    if programme.pk not in cached:
        cached[programme.pk] = programme.funders.filter(pk__in=administered).exists()
    return cached[programme.pk]


@rules.predicate
def administers_an_organization(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and _administered(user))


@rules.predicate
def is_public_programme(user: Any, obj: Any = None) -> bool:
    programme = programme_of(obj)
    return programme is not None and programme.status in PUBLIC_STATUSES


PUBLIC_STATUSES = frozenset({Programme.Status.ACTIVE, Programme.Status.CLOSED})

rules.add_perm("programmes.add_programme", is_programme_admin | administers_an_organization)
rules.add_perm("programmes.view_programme", is_public_programme | is_team_member | is_operator_admin | is_funder_admin)
rules.add_perm("programmes.change_programme", is_manager)
rules.add_perm("programmes.manage_team", is_manager)
rules.add_perm("programmes.manage_indicators", is_manager)
rules.add_perm("programmes.approve_report", is_manager)
rules.add_perm("programmes.submit_report", is_manager | is_coach)
rules.add_perm("programmes.view_dashboard", is_team_member | is_operator_admin | is_funder_admin)
