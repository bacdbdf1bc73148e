from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from jusoor.incubation.models import Activity, Attendance, Feedback, Registration
from jusoor.incubation.selectors.access import hidden_from
from jusoor.programmes.models import Programme


def activity_list(*, programme: Programme, viewer: Any, status: str = "") -> QuerySet[Activity]:
    """The programme's activities with their seat and attendance counts, soonest first (the view has checked
    `incubation.list_activities`)."""
    activities = (
        Activity.objects.filter(programme=programme)
        .select_related("territory", "cohort", "local_team")
        .annotate(
            registered=Count("registrations", distinct=True),
            attended=Count("attendances", distinct=True),
        )
        .order_by("starts_at", "id")
    )
    if status:
        activities = activities.filter(status=status)
    return activities


def activity_get(*, activity_id: int, viewer: Any, permission: str = "incubation.view_activity") -> Activity:
    """The activity if `viewer` has `permission` on it; the same 404 whether missing or not allowed."""
    activity = (
        Activity.objects.select_related("programme", "territory", "cohort", "local_team")
        .prefetch_related("facilitators")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None or hidden_from(viewer, permission, activity):
        raise Http404
    return activity


def activity_by_token(*, token: str) -> Activity:
    activity = Activity.objects.select_related("programme").filter(checkin_token=token).first() if token else None
    if activity is None:
        raise Http404
    return activity


def activity_registrations(*, activity: Activity) -> list[Registration]:
    """Registrations with their attendance (if any) and organisation, by name."""
    return list(
        Registration.objects.filter(activity=activity)
        .select_related("organization", "attendance")
        .order_by("name", "id")
    )


def activity_walk_ins(*, activity: Activity) -> list[Attendance]:
    return list(Attendance.objects.filter(activity=activity, registration__isnull=True).order_by("checked_in_at", "id"))


def activity_feedback(*, activity: Activity) -> list[Feedback]:
    return list(Feedback.objects.filter(activity=activity).select_related("user").order_by("-created_at", "-id"))


def registration_for_checkin(*, activity: Activity, registration_id: int) -> Registration:
    registration = Registration.objects.filter(activity=activity, pk=registration_id).first()
    if registration is None:
        raise Http404
    return registration


def activity_get_public(*, activity_id: int | None) -> Activity:
    """The activity of a valid feedback link: title, dates and place only are shown."""
    activity = Activity.objects.filter(pk=activity_id).first() if activity_id is not None else None
    if activity is None or activity.status == Activity.Status.CANCELLED:
        raise Http404
    return activity
