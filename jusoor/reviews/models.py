"""Review of applications: a rubric per call (weighted criteria on a scale), conflicts of interest declared by
reviewers, assignments of reviewers to applications and their scores.

A review is a `ReviewAssignment`: assigned, then submitted once every non-optional criterion is scored. Its total is
Σ weight × score / Σ weight over the non-optional criteria (`selectors/ranking.py`). Criterion labels and guidance are
short texts in a JSON per-language field (`{"ar": …, "fr": …, "en": …}`), like the organisations' taxonomies.
Conflicts derived from the registry are computed (`selectors/conflicts.py`), never stored; only declarations are rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jusoor.calls.models import Application, Call
from jusoor.common.i18nfield import localized
from jusoor.common.models import BaseModel
from jusoor.organizations.models import Organization


class Rubric(BaseModel):
    call = models.OneToOneField(Call, verbose_name=_("call for applications"), on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return str(self.call)


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    label = models.JSONField(_("criterion"), help_text=_('{"ar": …, "fr": …, "en": …}'))
    guidance = models.JSONField(_("guidance for reviewers"), default=dict, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3, default=Decimal("1"))
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    optional = models.BooleanField(
        _("optional"), default=False, help_text=_("Shown to reviewers but left out of the total.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=models.Q(scale_max__gt=models.F("scale_min")), name="criterion_scale"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localized(self.label)

    @property
    def guidance_text(self) -> str:
        return localized(self.guidance)


class ConflictDeclaration(BaseModel):
    """A reviewer says they are in conflict with an organisation (any call it applies to)."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name=_("organisation"), on_delete=models.CASCADE)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "organization"], name="conflict_declaration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} ≠ {self.organization_id}"


class ReviewAssignment(BaseModel):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("To review")
        SUBMITTED = "submitted", _("Submitted")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="review_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_assignment_unique"),
            models.CheckConstraint(
                condition=models.Q(status="assigned", submitted_at__isnull=True)
                | models.Q(status="submitted", submitted_at__isnull=False),
                name="review_assignment_submitted_at",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "status"])]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.reviewer_id}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class CriterionScore(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="criterion_score_unique"),
        ]
