from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jusoor.calls.models import Application, Call
from jusoor.common.models import BaseModel
from jusoor.organizations.models import Organization
from jusoor.programmes.models import Programme


class Cohort(BaseModel):
    """The organisations a programme incubates together, usually those selected in one call."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cohorts"
    )
    call = models.ForeignKey(
        Call, verbose_name=_("call for applications"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    organizations = models.ManyToManyField(
        Organization, through="CohortMembership", related_name="cohorts", verbose_name=_("organisations")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["programme", "-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="cohort_unique_name")]

    def __str__(self) -> str:
        return self.name


class CohortMembership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="cohort_memberships")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="cohort_memberships"
    )
    joined_at = models.DateTimeField(_("joined"))

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "organization"], name="cohort_membership_unique"),
        ]
        indexes = [models.Index(fields=["organization", "joined_at"])]
