from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jusoor.common.models import BaseModel
from jusoor.incubation.models.cohorts import Cohort
from jusoor.incubation.models.teams import LocalTeam
from jusoor.organizations.models import Organization
from jusoor.programmes.models import Programme
from jusoor.territories.models import Territory


def new_checkin_token() -> str:
    return secrets.token_urlsafe(24)


class Sex(models.TextChoices):
    """Values are those of the programmes' disaggregations ({"sex": {"women": …, "men": …}})."""

    WOMEN = "women", _("Woman")
    MEN = "men", _("Man")


class AgeBand(models.TextChoices):
    UNDER_15 = "0-14", _("Under 15")
    FROM_15_TO_24 = "15-24", _("15–24")
    FROM_25_TO_34 = "25-34", _("25–34")
    FROM_35_TO_54 = "35-54", _("35–54")
    FROM_55 = "55+", _("55 and over")


class Activity(BaseModel):
    class Kind(models.TextChoices):
        HACKATHON = "hackathon", _("Hackathon")
        BOOTCAMP = "bootcamp", _("Bootcamp")
        MASTERCLASS = "masterclass", _("Masterclass")
        TRAINING = "training", _("Training")
        NETWORKING = "networking", _("Networking event")
        DEMO_DAY = "demo_day", _("Demo Day")
        TEAM_TRAINING = "team_training", _("Coaching team training")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PLANNED: frozenset({Status.HELD, Status.CANCELLED}),
    }

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="activities"
    )
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    local_team = models.ForeignKey(
        LocalTeam,
        verbose_name=_("local team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="fr")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("facilitators"), blank=True, related_name="facilitated_activities"
    )
    facilitator_names = models.CharField(_("other facilitators"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("reason"), blank=True)
    # The secret of the phone check-in page and of the participants' QR codes.
    checkin_token = models.CharField(max_length=64, unique=True, default=new_checkin_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after"),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0), name="activity_capacity"
            ),
        ]
        indexes = [models.Index(fields=["programme", "status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())


class Registration(models.Model):
    """A seat at an activity: for an organisation's representative or a person (at least a name)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="activity_registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    sex = models.CharField(_("sex"), max_length=5, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["activity", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "email"], condition=~models.Q(email=""), name="registration_unique_email"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """Someone was there: a registration checked in, or a walk-in written on the sheet."""

    class Method(models.TextChoices):
        SHEET = "sheet", _("Sign-in sheet")
        QR = "qr", _("Phone check-in")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    registration = models.OneToOneField(
        Registration, null=True, blank=True, on_delete=models.CASCADE, related_name="attendance"
    )
    # For walk-ins (no registration).
    name = models.CharField(_("name"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=5, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"))
    method = models.CharField(_("method"), max_length=5, choices=Method.choices)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["activity", "checked_in_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration__isnull=False) | ~models.Q(name=""), name="attendance_who"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.registration_id)


class Feedback(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["activity", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"),
            models.UniqueConstraint(
                fields=["activity", "user"], condition=models.Q(user__isnull=False), name="feedback_once_per_user"
            ),
        ]
