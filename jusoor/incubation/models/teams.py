from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jusoor.common.models import BaseModel
from jusoor.programmes.models import Programme
from jusoor.territories.models import Territory


class LocalTeam(BaseModel):
    """A territorial coaching team in a commune: one or two commune officials and young animators supervised by a
    certified coach. Its sessions and trainings are `CoachingSession`s and `Activity`s linked to it."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="local_teams"
    )
    territory = models.ForeignKey(Territory, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    partner = models.CharField(_("local partner"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("local team")
        verbose_name_plural = _("local teams")
        ordering = ["programme", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="local_team_unique_name")]

    def __str__(self) -> str:
        return self.name


class LocalTeamMember(models.Model):
    class Role(models.TextChoices):
        OFFICIAL = "official", _("Commune official")
        ANIMATOR = "animator", _("Young animator")
        COACH = "coach", _("Certified coach")

    team = models.ForeignKey(LocalTeam, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="local_teams"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=models.Q(user__isnull=False), name="local_team_member_unique_user"
            )
        ]

    def __str__(self) -> str:
        return self.name
