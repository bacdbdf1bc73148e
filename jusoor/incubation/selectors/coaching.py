from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from jusoor.incubation.models import CoachAssignment, CoachingSession, Cohort, LocalTeam
from jusoor.incubation.selectors.access import hidden_from
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.programmes.models import Programme


def session_list(*, programme: Programme, viewer: Any, all_coaches: bool) -> QuerySet[CoachingSession]:
    """The programme's sessions, newest first: every coach's for a manager (`all_coaches`), the viewer's own for a
    coach."""
    sessions = CoachingSession.objects.filter(programme=programme).select_related(
        "organization", "local_team", "coach", "confirmed_by"
    )
    if not all_coaches:
        sessions = sessions.filter(coach_id=viewer.pk)
    return sessions.order_by("-date", "-id")


def sessions_to_confirm(*, viewer: Any) -> QuerySet[CoachingSession]:
    """Sessions with the organisations the viewer administers (or local teams where they are an official),
    waiting ones first."""
    admin_of = Q(
        organization__memberships__user_id=viewer.pk,
        organization__memberships__role__in=[MembershipRole.OWNER, MembershipRole.ADMIN],
    )
    official_of = Q(local_team__members__user_id=viewer.pk, local_team__members__role="official")
    return (
        CoachingSession.objects.filter(admin_of | official_of)
        .select_related("organization", "local_team", "coach", "programme")
        .annotate(
            waiting=Case(
                When(status=CoachingSession.Status.LOGGED, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("waiting", "-date", "-id")
        .distinct()
    )


def session_get(*, session_id: int, viewer: Any, permission: str = "incubation.view_session") -> CoachingSession:
    session = (
        CoachingSession.objects.select_related("programme", "organization", "local_team", "coach")
        .filter(pk=session_id)
        .first()
    )
    if session is None or hidden_from(viewer, permission, session):
        raise Http404
    return session


def assignment_list(*, programme: Programme, viewer: Any, all_coaches: bool) -> QuerySet[CoachAssignment]:
    assignments = CoachAssignment.objects.filter(programme=programme).select_related("coach", "organization")
    if not all_coaches:
        assignments = assignments.filter(coach_id=viewer.pk)
    return assignments.order_by("organization__name_fr", "organization__name_ar", "id")


def assignment_get(*, assignment_id: int, viewer: Any, permission: str) -> CoachAssignment:
    assignment = (
        CoachAssignment.objects.select_related("programme", "organization", "coach").filter(pk=assignment_id).first()
    )
    if assignment is None or hidden_from(viewer, permission, assignment):
        raise Http404
    return assignment


def cohort_get(*, cohort_id: int, viewer: Any) -> Cohort:
    cohort = Cohort.objects.select_related("programme", "call").filter(pk=cohort_id).first()
    if cohort is None or hidden_from(viewer, "incubation.view_cohort", cohort):
        raise Http404
    return cohort


def cohort_members(*, cohort: Cohort) -> list[Any]:
    return list(
        cohort.memberships.select_related("organization__territory", "application").order_by(
            "organization__name_fr", "organization__name_ar", "id"
        )
    )


def programme_cohorts(*, programme: Programme) -> QuerySet[Cohort]:
    return Cohort.objects.filter(programme=programme).annotate(size=Count("memberships")).order_by("-created_at", "-id")


def local_team_list(*, programme: Programme, viewer: Any) -> QuerySet[LocalTeam]:
    return (
        LocalTeam.objects.filter(programme=programme)
        .select_related("territory")
        .annotate(size=Count("members", distinct=True), sessions=Count("coaching_sessions", distinct=True))
        .order_by("name", "id")
    )


def local_team_get(*, team_id: int, viewer: Any, permission: str = "incubation.view_local_team") -> LocalTeam:
    team = LocalTeam.objects.select_related("programme", "territory").filter(pk=team_id).first()
    if team is None or hidden_from(viewer, permission, team):
        raise Http404
    return team


def organization_for_timeline(*, organization_id: int, viewer: Any) -> Organization:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or hidden_from(viewer, "incubation.view_timeline", organization):
        raise Http404
    return organization


def local_team_page(*, team: LocalTeam) -> dict[str, Any]:
    """What a team's page shows: members, sessions (newest first) and trainings (activities linked to the team)."""
    return {
        "members": list(team.members.select_related("user").order_by("role", "name", "id")),
        "sessions": list(team.coaching_sessions.select_related("coach").order_by("-date", "-id")),
        "trainings": list(team.activities.order_by("starts_at", "id")),
    }
