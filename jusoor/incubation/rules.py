"""Who may do what in incubation. Names follow `incubation.<verb>_<model>`.

Managers (of the programme, or platform programme managers/admins) plan everything. Facilitators of an activity and
the programme's coaches check people in. A coach logs sessions only for the organisations assigned to them (the
permission object is the `CoachAssignment`), or for a local team whose certified coach they are. The owners and
administrators of the coached organisation confirm or dispute its sessions and see its timeline. The public sees
nothing here: participants give feedback through a signed link, and check in through a QR code shown by a facilitator.
"""

from __future__ import annotations

from typing import Any

import rules

from jusoor.incubation.models import Activity, CoachAssignment, CoachingSession, LocalTeam, LocalTeamMember
from jusoor.incubation.selectors.timeline import organization_programme_ids
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.organizations.selectors.memberships import user_organization_roles
from jusoor.programmes.models import ProgrammeMember, ProgrammeRole
from jusoor.programmes.rules import is_coach, is_manager, is_programme_admin, is_team_member

ADMIN_ROLES = frozenset({MembershipRole.OWNER, MembershipRole.ADMIN})


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_facilitator(user: Any, activity: Activity | None) -> bool:
    if not isinstance(activity, Activity) or not _authenticated(user):
        return False
    return activity.facilitators.filter(pk=user.pk).exists()


@rules.predicate
def is_assigned_coach(user: Any, assignment: CoachAssignment | None) -> bool:
    return isinstance(assignment, CoachAssignment) and _authenticated(user) and assignment.coach_id == user.pk


def _team_role(user: Any, team_id: int | None) -> str | None:
    if team_id is None or not _authenticated(user):
        return None
    cached: dict[int, str | None] = user.__dict__.setdefault("_local_team_roles", {})
    if team_id not in cached:
        cached[team_id] = (
            LocalTeamMember.objects.filter(team_id=team_id, user_id=user.pk).values_list("role", flat=True).first()
        )
    return cached[team_id]


@rules.predicate
def is_team_certified_coach(user: Any, team: LocalTeam | None) -> bool:
    return isinstance(team, LocalTeam) and _team_role(user, team.pk) == LocalTeamMember.Role.COACH


@rules.predicate
def is_local_team_member(user: Any, team: LocalTeam | None) -> bool:
    return isinstance(team, LocalTeam) and _team_role(user, team.pk) is not None


@rules.predicate
def is_session_coach(user: Any, session: CoachingSession | None) -> bool:
    return isinstance(session, CoachingSession) and _authenticated(user) and session.coach_id == user.pk


@rules.predicate
def is_session_confirmer(user: Any, session: CoachingSession | None) -> bool:
    """An owner/administrator of the coached organisation, or a commune official of the coached local team."""
    if not isinstance(session, CoachingSession) or not _authenticated(user):
        return False
    if session.organization_id is not None:
        return user_organization_roles(user).get(session.organization_id) in ADMIN_ROLES
    return _team_role(user, session.local_team_id) == LocalTeamMember.Role.OFFICIAL


@rules.predicate
def is_session_organization_member(user: Any, session: CoachingSession | None) -> bool:
    if not isinstance(session, CoachingSession) or session.organization_id is None:
        return False
    return session.organization_id in user_organization_roles(user)


@rules.predicate
def is_organization_admin(user: Any, organization: Organization | None) -> bool:
    return isinstance(organization, Organization) and user_organization_roles(user).get(organization.pk) in ADMIN_ROLES


@rules.predicate
def follows_organization(user: Any, organization: Organization | None) -> bool:
    """A manager or coach of a programme the organisation applied to, belongs to (cohort) or is coached in."""
    if not isinstance(organization, Organization) or not _authenticated(user):
        return False
    return ProgrammeMember.objects.filter(
        user_id=user.pk,
        role__in=[ProgrammeRole.MANAGER, ProgrammeRole.COACH],
        programme_id__in=organization_programme_ids(organization=organization),
    ).exists()


rules.add_perm("incubation.add_cohort", is_manager)
rules.add_perm("incubation.view_cohort", is_manager | is_coach)
rules.add_perm("incubation.list_activities", is_team_member)
rules.add_perm("incubation.plan_activity", is_manager)
rules.add_perm("incubation.change_activity", is_manager)
rules.add_perm("incubation.view_activity", is_manager | is_coach | is_facilitator)
rules.add_perm("incubation.register_activity", is_manager | is_facilitator)
rules.add_perm("incubation.check_in_activity", is_manager | is_coach | is_facilitator)
rules.add_perm("incubation.view_feedback", is_manager | is_facilitator)
rules.add_perm("incubation.assign_coach", is_manager)
rules.add_perm("incubation.log_session", is_assigned_coach)
rules.add_perm("incubation.log_team_session", is_team_certified_coach)
rules.add_perm("incubation.list_sessions", is_manager | is_coach)
rules.add_perm("incubation.view_session", is_manager | is_session_coach | is_session_organization_member)
rules.add_perm("incubation.confirm_session", is_session_confirmer)
rules.add_perm("incubation.correct_session", is_session_coach)
rules.add_perm("incubation.add_milestone", is_manager | is_coach)
rules.add_perm("incubation.view_timeline", is_organization_admin | is_programme_admin | follows_organization)
rules.add_perm("incubation.manage_local_team", is_manager)
rules.add_perm("incubation.view_local_team", is_manager | is_coach | is_local_team_member)
