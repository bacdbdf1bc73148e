"""Registrations (never over capacity), check-in (idempotent) and participants' feedback."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.incubation.error_codes import IncubationErrorCode
from jusoor.incubation.models import Activity, AgeBand, Attendance, Feedback, Registration, Sex
from jusoor.incubation.services.base import error
from jusoor.organizations.models import Organization

Status = Activity.Status


def _check_person(name: str, sex: str, age_band: str) -> str:
    name = (name or "").strip()
    if not name:
        raise error(_("Give the participant's name."), IncubationErrorCode.NAME_REQUIRED, "name")
    if sex and sex not in Sex.values:
        raise error(_("Choose a value from the list."), IncubationErrorCode.NAME_REQUIRED, "sex")
    if age_band and age_band not in AgeBand.values:
        raise error(_("Choose a value from the list."), IncubationErrorCode.NAME_REQUIRED, "age_band")
    return name


@transaction.atomic
def registration_create(
    *,
    activity: Activity,
    acting_user: Any,
    name: str,
    email: str = "",
    organization: Organization | None = None,
    sex: str = "",
    age_band: str = "",
) -> Registration:
    """Register someone for a planned activity. The activity row is locked while seats are counted, so two
    registrations for the last seat cannot both succeed."""
    activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    name = _check_person(name, sex, age_band)
    email = (email or "").strip().lower()
    if activity.status != Status.PLANNED:
        raise error(_("Registrations are closed for this activity."), IncubationErrorCode.ACTIVITY_CLOSED)
    if email and Registration.objects.filter(activity=activity, email=email).exists():
        raise error(
            _("Someone is already registered with this e-mail address."),
            IncubationErrorCode.ALREADY_REGISTERED,
            "email",
        )
    if activity.capacity is not None and Registration.objects.filter(activity=activity).count() >= activity.capacity:
        raise error(_("This activity is full."), IncubationErrorCode.ACTIVITY_FULL)
    registration = Registration.objects.create(
        activity=activity,
        organization=organization,
        name=name,
        email=email,
        sex=sex,
        age_band=age_band,
        registered_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    audit_log(
        actor=acting_user,
        action="incubation.registration.created",
        target=registration,
        changes={"activity": {"old": None, "new": activity.pk}, "organization": {"old": None, "new": organization}},
    )
    return registration


def _ensure_checkin_open(activity: Activity) -> None:
    if activity.status == Status.CANCELLED:
        raise error(_("This activity was cancelled."), IncubationErrorCode.ACTIVITY_CLOSED)


@transaction.atomic
def attendance_check_in(*, registration: Registration, acting_user: Any, method: str) -> tuple[Attendance, bool]:
    """Check a registered person in. Checking in twice changes nothing: the first attendance is returned, with
    `False` ("not new")."""
    registration = (
        Registration.objects.select_for_update(of=("self",)).select_related("activity").get(pk=registration.pk)
    )
    existing = Attendance.objects.filter(registration=registration).first()
    if existing is not None:
        return existing, False
    _ensure_checkin_open(registration.activity)
    attendance = Attendance.objects.create(
        activity=registration.activity,
        registration=registration,
        checked_in_at=timezone.now(),
        method=method,
        checked_in_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    audit_log(
        actor=acting_user,
        action="incubation.attendance.checked_in",
        target=attendance,
        changes={"registration": {"old": None, "new": registration.pk}, "method": {"old": None, "new": method}},
    )
    return attendance, True


@transaction.atomic
def attendance_walk_in(
    *, activity: Activity, acting_user: Any, name: str, sex: str = "", age_band: str = ""
) -> Attendance:
    """Someone who came without registering, written on the sign-in sheet."""
    activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    _ensure_checkin_open(activity)
    name = _check_person(name, sex, age_band)
    attendance = Attendance.objects.create(
        activity=activity,
        name=name,
        sex=sex,
        age_band=age_band,
        checked_in_at=timezone.now(),
        method=Attendance.Method.SHEET,
        checked_in_by=acting_user,
    )
    audit_log(
        actor=acting_user,
        action="incubation.attendance.walk_in",
        target=attendance,
        changes={"name": {"old": None, "new": name}},
    )
    return attendance


@transaction.atomic
def feedback_give(
    *, activity: Activity, user: Any, rating: int, comment: str = "", anonymous: bool = False
) -> Feedback:
    """A participant's rating (1–5) of an activity that was held. Signed-in users give it once; `anonymous`
    feedback keeps no link to the person."""
    if activity.status != Status.HELD:
        raise error(_("Feedback can be given once the activity has taken place."), IncubationErrorCode.NOT_HELD)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise error(_("Give a rating from 1 to 5."), IncubationErrorCode.RATING, "rating")
    signed_in = getattr(user, "is_authenticated", False)
    author = user if signed_in and not anonymous else None
    if author is not None and Feedback.objects.filter(activity=activity, user=author).exists():
        raise error(_("You have already given your feedback."), IncubationErrorCode.FEEDBACK_TWICE)
    feedback = Feedback.objects.create(
        activity=activity, user=author, rating=rating, comment=(comment or "").strip(), anonymous=author is None
    )
    audit_log(
        actor=author,
        action="incubation.feedback.given",
        target=feedback,
        changes={"activity": {"old": None, "new": activity.pk}, "rating": {"old": None, "new": rating}},
    )
    return feedback
