"""Who may do what in programmes. Names follow `programmes.<verb>_<model>`.

The team predicates take a Programme, or any object with a `programme` attribute (a call), or with a `call`
(an application): every app of the programme family asks them the same way. Platform admins and programme
managers of the platform (role `programme_manager`) manage every programme.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import rules

from jusoor.accounts.models import Role
from jusoor.accounts.rules import has_role, is_platform_admin
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
