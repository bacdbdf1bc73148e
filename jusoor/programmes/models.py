"""Support programmes (TAMURI-like): operator, funders, territories, budget envelope, team and results framework.

Indicators are either computed from the platform's own records — a *metric* registered by the app that owns those
records (`jusoor.programmes.metrics`) — or reported by hand with evidence and approved by a manager. Targets are
never overwritten: a revision is a new `IndicatorTarget` row with the next version number.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jusoor.common.i18nfield import localized, localized_column
from jusoor.common.models import BaseModel
from jusoor.organizations.models import Organization, Theme
from jusoor.organizations.models.documents import private_storage
from jusoor.territories.models import Territory


class TrilingualMixin:
    """`title` / `description` in the active language from `<field>_ar/_fr/_en` columns."""

    primary_language: str

    def _localized(self, field: str) -> str:
        return localized_column(self, field)

    @property
    def title(self) -> str:
        return self._localized("title")

    @property
    def description(self) -> str:
        return self._localized("description")


class Programme(TrilingualMixin, BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.ACTIVE}),
        Status.ACTIVE: frozenset({Status.CLOSED}),
    }

    operator = models.ForeignKey(
        Organization, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="operated_programmes"
    )
    funders = models.ManyToManyField(
        Organization, verbose_name=_("funders"), blank=True, related_name="funded_programmes"
    )
    funder_names = models.CharField(_("other funders"), max_length=300, blank=True)
    primary_language = models.CharField(_("primary language"), max_length=2, choices=settings.LANGUAGES, default="fr")
    title_ar = models.CharField(_("title in Arabic"), max_length=200, blank=True)
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    territories = models.ManyToManyField(Territory, verbose_name=_("territories"), blank=True, related_name="+")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    currency = models.CharField(_("currency"), max_length=3, default="MAD")
    budget_envelope = models.DecimalField(_("budget envelope"), max_digits=20, decimal_places=3, default=Decimal("0"))
    grant_minimum = models.DecimalField(_("smallest grant"), max_digits=20, decimal_places=3, null=True, blank=True)
    grant_maximum = models.DecimalField(_("largest grant"), max_digits=20, decimal_places=3, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title_ar="", title_fr="", title_en=""), name="programme_has_a_title"
            ),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="programme_period"),
            models.CheckConstraint(condition=models.Q(budget_envelope__gte=0), name="programme_envelope"),
        ]

    def __str__(self) -> str:
        return self.title

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())


class ProgrammeRole(models.TextChoices):
    MANAGER = "manager", _("Programme manager")
    REVIEWER = "reviewer", _("Reviewer")
    COACH = "coach", _("Coach")
    JUROR = "juror", _("Jury member")


class ProgrammeMember(models.Model):
    """Someone on the programme's team, in one role (a person can hold several rows)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles")
    role = models.CharField(_("role"), max_length=10, choices=ProgrammeRole.choices)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Most applications a reviewer takes in one call.")
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "role"], name="programme_member_unique_role")
        ]
        indexes = [models.Index(fields=["user", "role"])]


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Computed from the platform's records")
        MANUAL = "manual", _("Reported with evidence")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=40)
    name = models.JSONField(_("name"), help_text=_('{"ar": …, "fr": …, "en": …}'))
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=20, decimal_places=3, default=Decimal("0"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    metric = models.CharField(_("computed from"), max_length=60, blank=True)
    # Which breakdowns are reported: any of "sex", "age_band", "region".
    disaggregations = models.JSONField(_("disaggregation"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=models.Q(kind="manual", metric="") | models.Q(kind="computed") & ~models.Q(metric=""),
                name="indicator_metric_when_computed",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.name)


class IndicatorTarget(models.Model):
    """A target for a period, as set on a date from a source. Revisions add a version; nothing is overwritten."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_end = models.DateField(_("end of the period"))
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=3)
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(_("source"), max_length=200)
    set_on = models.DateField(_("set on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "period_end", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_end", "version"], name="indicator_target_version")
        ]


class IndicatorReport(BaseModel):
    """A value reported by hand for a manual indicator, with evidence, approved (or not) by a manager."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reports")
    period_end = models.DateField(_("end of the period"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=3)
    # One breakdown cell, e.g. {"sex": "women", "age_band": "15-24"}; the region is a column.
    disaggregation = models.JSONField(default=dict, blank=True)
    region = models.ForeignKey(Territory, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence = models.FileField(_("evidence"), upload_to="programmes/evidence/", storage=private_storage, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("indicator report")
        verbose_name_plural = _("indicator reports")
        indexes = [models.Index(fields=["indicator", "status", "period_end"])]
