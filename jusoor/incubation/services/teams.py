"""Territorial coaching teams (a commune's officials and young animators supervised by a certified coach)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.incubation.error_codes import IncubationErrorCode
from jusoor.incubation.models import LocalTeam, LocalTeamMember
from jusoor.incubation.services.base import error
from jusoor.programmes.models import Programme
from jusoor.territories.models import Kind, Territory

LOCAL_KINDS = frozenset({Kind.COMMUNE, Kind.MUNICIPALITY})


@transaction.atomic
def local_team_create(
    *, programme: Programme, territory: Territory, name: str, acting_user: Any, partner: str = ""
) -> LocalTeam:
    name = (name or "").strip()
    if not name:
        raise error(_("Give the team a name."), IncubationErrorCode.NAME_REQUIRED, "name")
    if territory.kind not in LOCAL_KINDS:
        raise error(_("A local team works in one commune."), IncubationErrorCode.NOT_A_COMMUNE, "territory")
    if LocalTeam.objects.filter(programme=programme, name=name).exists():
        raise error(_("The programme already has a team with this name."), IncubationErrorCode.NAME_REQUIRED, "name")
    team = LocalTeam.objects.create(
        programme=programme, territory=territory, name=name, partner=partner.strip(), created_by=acting_user
    )
    audit_log(
        actor=acting_user,
        action="incubation.local_team.created",
        target=team,
        changes={"name": {"old": None, "new": name}, "territory": {"old": None, "new": territory.pk}},
    )
    return team


@transaction.atomic
def local_team_member_add(
    *, team: LocalTeam, name: str, role: str, acting_user: Any, user: Any = None
) -> LocalTeamMember:
    name = (name or "").strip() or (getattr(user, "full_name", "") if user is not None else "")
    if not name:
        raise error(_("Give the member's name."), IncubationErrorCode.NAME_REQUIRED, "name")
    if role not in LocalTeamMember.Role.values:
        raise error(_("Choose a value from the list."), IncubationErrorCode.NAME_REQUIRED, "role")
    if user is not None and LocalTeamMember.objects.filter(team=team, user=user).exists():
        raise error(_("This person is already in the team."), IncubationErrorCode.ALREADY_REGISTERED, "user")
    member = LocalTeamMember.objects.create(team=team, user=user, name=name, role=role)
    audit_log(
        actor=acting_user,
        action="incubation.local_team.member_added",
        target=team,
        changes={"member": {"old": None, "new": name}, "role": {"old": None, "new": role}},
    )
    return member
