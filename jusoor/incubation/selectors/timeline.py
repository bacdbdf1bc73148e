"""An organisation's path through the programmes: applications, cohort entry, activities attended, coaching sessions,
milestones — and whatever later apps add (grants) through `register_timeline_source`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from jusoor.calls.models import Application
from jusoor.incubation.models import Attendance, CoachAssignment, CoachingSession, CohortMembership, Milestone
from jusoor.organizations.models import Organization


@dataclass(frozen=True)
class TimelineItem:
    """One dated step. `kind` picks the icon and wording in the template ("application", "cohort", "activity",
    "coaching", "milestone", or a later app's own kind); `status` is a display label or ""."""

    day: date
    kind: str
    title: str
    detail: str = ""
    status: str = ""
    order: int = 0


# A source takes the organisation and the viewer and returns its items (one query, please).
TimelineSource = Callable[[Organization, Any], list[TimelineItem]]
_SOURCES: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> TimelineSource:
    """Let another app (e.g. grants, in its `AppConfig.ready`) add its steps to every organisation's timeline."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def _day(value: date | datetime) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


def organization_programme_ids(*, organization: Organization) -> set[int]:
    """The programmes the organisation applied to, belongs to (cohort), or is coached in."""
    ids = set(Application.objects.filter(organization=organization).values_list("call__programme_id", flat=True))
    ids |= set(
        CohortMembership.objects.filter(organization=organization).values_list("cohort__programme_id", flat=True)
    )
    ids |= set(CoachAssignment.objects.filter(organization=organization).values_list("programme_id", flat=True))
    return ids


def _applications(organization: Organization) -> list[TimelineItem]:
    applications = Application.objects.filter(organization=organization).exclude(status=Application.Status.DRAFT)
    return [
        TimelineItem(
            day=_day(application.submitted_at or application.created_at),
            kind="application",
            title=application.call.title,
            status=application.get_status_display(),
            order=0,
        )
        for application in applications.select_related("call")
    ]


def _cohorts(organization: Organization) -> list[TimelineItem]:
    memberships = CohortMembership.objects.filter(organization=organization).select_related("cohort__programme")
    return [
        TimelineItem(
            day=_day(membership.joined_at),
            kind="cohort",
            title=membership.cohort.name,
            detail=membership.cohort.programme.title,
            order=1,
        )
        for membership in memberships
    ]


def _activities(organization: Organization) -> list[TimelineItem]:
    attendances = Attendance.objects.filter(registration__organization=organization).select_related(
        "activity", "registration"
    )
    return [
        TimelineItem(
            day=_day(attendance.activity.starts_at),
            kind="activity",
            title=attendance.activity.title,
            detail=attendance.activity.get_kind_display(),
            order=2,
        )
        for attendance in attendances
    ]


def _sessions(organization: Organization) -> list[TimelineItem]:
    sessions = CoachingSession.objects.filter(organization=organization).select_related("coach")
    return [
        TimelineItem(
            day=session.date,
            kind="coaching",
            title=session.topics,
            detail=f"{session.coach} · {session.duration_minutes} min · {session.get_modality_display()}",
            status=session.get_status_display(),
            order=3,
        )
        for session in sessions
    ]


def _milestones(organization: Organization) -> list[TimelineItem]:
    return [
        TimelineItem(
            day=milestone.date, kind="milestone", title=milestone.label, detail=milestone.get_kind_display(), order=4
        )
        for milestone in Milestone.objects.filter(organization=organization)
    ]


def organization_timeline(*, organization: Organization, viewer: Any) -> list[TimelineItem]:
    """Every step, oldest first (the view has checked `incubation.view_timeline`)."""
    items: list[TimelineItem] = []
    for source in (_applications, _cohorts, _activities, _sessions, _milestones):
        items += source(organization)
    for extra in _SOURCES:
        items += extra(organization, viewer)
    return sorted(items, key=lambda item: (item.day, item.order))
