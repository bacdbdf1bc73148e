"""Activities of a programme: planned, updated, cancelled, marked as held. One service per move, audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log, diff
from jusoor.incubation.error_codes import IncubationErrorCode
from jusoor.incubation.models import Activity, Cohort, LocalTeam
from jusoor.incubation.services.base import error, invalid_transition
from jusoor.programmes.models import Programme
from jusoor.territories.models import Territory

Status = Activity.Status


@dataclass
class ActivityData:
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    language: str = "fr"
    description: str = ""
    place: str = ""
    online_link: str = ""
    territory: Territory | None = None
    capacity: int | None = None
    cohort: Cohort | None = None
    local_team: LocalTeam | None = None
    facilitator_names: str = ""
    facilitators: Iterable[Any] = field(default_factory=list)


FIELDS = (
    "kind",
    "title",
    "language",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "territory",
    "capacity",
    "cohort",
    "local_team",
    "facilitator_names",
)


def _check(programme: Programme, data: ActivityData) -> None:
    if not data.title.strip():
        raise error(_("Give the activity a title."), IncubationErrorCode.NAME_REQUIRED, "title")
    if data.kind not in Activity.Kind.values:
        raise error(_("Choose the kind of activity."), IncubationErrorCode.NAME_REQUIRED, "kind")
    if data.ends_at <= data.starts_at:
        raise error(_("The activity must end after it starts."), IncubationErrorCode.DATES, "ends_at")
    if data.capacity is not None and data.capacity <= 0:
        raise error(_("The capacity must be at least one seat."), IncubationErrorCode.CAPACITY, "capacity")
    for name, value in (("cohort", data.cohort), ("local_team", data.local_team)):
        if value is not None and value.programme_id != programme.pk:
            raise error(_("This belongs to another programme."), IncubationErrorCode.WRONG_PROGRAMME, name)


@transaction.atomic
def activity_plan(*, programme: Programme, acting_user: Any, data: ActivityData) -> Activity:
    _check(programme, data)
    activity = Activity(programme=programme, created_by=acting_user)
    for name in FIELDS:
        setattr(activity, name, getattr(data, name))
    activity.title = data.title.strip()
    activity.save()
    activity.facilitators.set(list(data.facilitators))
    audit_log(
        actor=acting_user,
        action="incubation.activity.planned",
        target=activity,
        changes=diff({}, {name: getattr(activity, name) for name in FIELDS}),
    )
    return activity


def _lock(activity: Activity) -> Activity:
    return Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)


@transaction.atomic
def activity_update(*, activity: Activity, acting_user: Any, data: ActivityData) -> Activity:
    """Change a planned activity. The capacity cannot drop below the seats already taken."""
    activity = _lock(activity)
    if activity.status != Status.PLANNED:
        raise error(_("Only a planned activity can be changed."), IncubationErrorCode.ACTIVITY_CLOSED)
    _check(activity.programme, data)
    taken = activity.registrations.count()
    if data.capacity is not None and data.capacity < taken:
        raise error(
            _("%(count)s people are already registered: the capacity cannot be lower.") % {"count": taken},
            IncubationErrorCode.CAPACITY,
            "capacity",
        )
    old = {name: getattr(activity, name) for name in FIELDS}
    for name in FIELDS:
        setattr(activity, name, getattr(data, name))
    activity.title = data.title.strip()
    activity.save(
        update_fields=[
            *(f"{name}_id" if name in {"territory", "cohort", "local_team"} else name for name in FIELDS),
            "updated_at",
        ]
    )
    activity.facilitators.set(list(data.facilitators))
    audit_log(
        actor=acting_user,
        action="incubation.activity.updated",
        target=activity,
        changes=diff(old, {name: getattr(activity, name) for name in FIELDS}),
    )
    return activity


def _move(activity: Activity, *, acting_user: Any, target: str, action: str, reason: str = "") -> Activity:
    changes: dict[str, Any] = {"status": {"old": activity.status, "new": target}}
    activity.status = target
    activity.status_changed_at = timezone.now()
    fields = ["status", "status_changed_at", "updated_at"]
    if reason:
        changes["cancel_reason"] = {"old": activity.cancel_reason, "new": reason}
        activity.cancel_reason = reason
        fields.append("cancel_reason")
    activity.save(update_fields=fields)
    audit_log(actor=acting_user, action=action, target=activity, changes=changes)
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity, acting_user: Any, reason: str) -> Activity:
    activity = _lock(activity)
    if activity.status == Status.CANCELLED:
        return activity
    if not activity.can_transition_to(Status.CANCELLED):
        raise invalid_transition(activity.get_status_display(), Status.CANCELLED.label)
    reason = (reason or "").strip()
    if not reason:
        raise error(_("Say why the activity is cancelled."), IncubationErrorCode.REASON_REQUIRED, "reason")
    return _move(
        activity,
        acting_user=acting_user,
        target=Status.CANCELLED,
        action="incubation.activity.cancelled",
        reason=reason,
    )


@transaction.atomic
def activity_mark_held(*, activity: Activity, acting_user: Any) -> Activity:
    """Record that the activity took place (it counts in "events held" from then on). Not before it starts."""
    activity = _lock(activity)
    if activity.status == Status.HELD:
        return activity
    if not activity.can_transition_to(Status.HELD):
        raise invalid_transition(activity.get_status_display(), Status.HELD.label)
    if activity.starts_at > timezone.now():
        raise error(_("An activity can be marked as held only once it has started."), IncubationErrorCode.DATES)
    return _move(activity, acting_user=acting_user, target=Status.HELD, action="incubation.activity.held")
