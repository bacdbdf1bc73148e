from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jusoor.common.models import BaseModel
from jusoor.incubation.models.teams import LocalTeam
from jusoor.organizations.models import Organization
from jusoor.programmes.models import Programme


class CoachAssignment(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="coach_assignments")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coach_assignments")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="coach_assignments")
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("coach assignment")
        verbose_name_plural = _("coach assignments")
        ordering = ["programme", "coach", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "coach", "organization"], name="coach_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.coach_id} → {self.organization_id}"


class CoachingSession(BaseModel):
    """A coaching session logged by the coach, then confirmed (or disputed) by the organisation — or, for a local
    team's session, by one of the team's commune officials."""

    class Modality(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        PHONE = "phone", _("Phone")

    class Status(models.TextChoices):
        LOGGED = "logged", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DISPUTED = "disputed", _("Disputed")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.LOGGED: frozenset({Status.CONFIRMED, Status.DISPUTED}),
        Status.DISPUTED: frozenset({Status.LOGGED}),  # the coach corrects the log
    }

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="coaching_sessions")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="coaching_sessions"
    )
    local_team = models.ForeignKey(
        LocalTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="coaching_sessions"
    )
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coaching_sessions")
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    modality = models.CharField(_("modality"), max_length=10, choices=Modality.choices)
    topics = models.TextField(_("topics"))
    agreed = models.TextField(_("what was agreed"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.LOGGED)
    dispute_reason = models.TextField(_("why the session is disputed"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0, duration_minutes__lte=720), name="coaching_session_duration"
            ),
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False) | models.Q(local_team__isnull=False),
                name="coaching_session_for_someone",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status", "date"]),
            models.Index(fields=["organization", "date"]),
            models.Index(fields=["coach", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date} ({self.duration_minutes} min)"

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())


class Milestone(models.Model):
    class Kind(models.TextChoices):
        DIAGNOSTIC = "diagnostic", _("Diagnostic done")
        ACTION_PLAN = "action_plan", _("Action plan agreed")
        PROJECT = "project", _("Project milestone")
        PITCH = "pitch", _("Pitch")
        FUNDING = "funding", _("Funding")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="milestones")
    date = models.DateField(_("date"))
    label = models.CharField(_("milestone"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["organization", "date", "id"]
        indexes = [models.Index(fields=["organization", "date"])]

    def __str__(self) -> str:
        return self.label
