"""Demo Day juries and seed grants.

A `DemoDay` of a programme has `Pitch`es (one per organisation), a weighted rubric (`JuryCriterion`) and the
scores jurors give on their phones (`JurorScore`, one per pitch × juror × criterion). A juror in conflict with a
pitching organisation recuses (`Recusal`); a juror who is a member of that organisation is recused without saying
so (derived from the registry). The manager then awards a `Grant` (within the programme's range and envelope),
paid in `GrantTranche`s, each released against an approved `GrantReport`. Money moves through the ledger: see
`jusoor.grants.services.ledger`.

Criterion labels are short admin-entered texts: one JSON column {"ar", "fr", "en"} (`jusoor.common.i18nfield`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jusoor.calls.models import Application
from jusoor.common.i18nfield import localized
from jusoor.common.models import BaseModel
from jusoor.donations.models import MatchingPot
from jusoor.organizations.models import Organization
from jusoor.organizations.models.documents import private_storage
from jusoor.programmes.models import Programme


def envelope_key(programme_id: int) -> str:
    """Ledger account: what grants drew on the programme's envelope (see `services/ledger.py`)."""
    return f"programme:{programme_id}:envelope"


def committed_key(grant_id: int) -> str:
    return f"grant:{grant_id}:committed"


def disbursed_key(grant_id: int) -> str:
    return f"grant:{grant_id}:disbursed"


class DemoDay(BaseModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        LIVE = "live", _("Scoring open")
        HELD = "held", _("Held")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PLANNED: frozenset({Status.LIVE}),
        Status.LIVE: frozenset({Status.HELD}),
        Status.HELD: frozenset(),
    }

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="demo_days")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("Demo Day")
        verbose_name_plural = _("Demo Days")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE


class Pitch(models.Model):
    demo_day = models.ForeignKey(DemoDay, on_delete=models.CASCADE, related_name="pitches")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="pitches")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="pitches"
    )
    title = models.CharField(_("project"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("pitch")
        verbose_name_plural = _("pitches")
        ordering = ["demo_day", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["demo_day", "organization"], name="pitch_one_per_organization")]

    def __str__(self) -> str:
        return self.title or str(self.organization)


class JuryCriterion(models.Model):
    demo_day = models.ForeignKey(DemoDay, on_delete=models.CASCADE, related_name="criteria")
    label = models.JSONField(_("label"), help_text=_('{"ar": …, "fr": …, "en": …}'))
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3, default=Decimal("1"))
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("jury criterion")
        verbose_name_plural = _("jury criteria")
        ordering = ["demo_day", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="jury_criterion_weight_positive"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")), name="jury_criterion_scale"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localized(self.label)

    @property
    def scale_range(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


class JurorScore(models.Model):
    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(JuryCriterion, on_delete=models.CASCADE, related_name="scores")
    value = models.SmallIntegerField(_("score"))
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("juror's score")
        verbose_name_plural = _("jurors' scores")
        constraints = [
            models.UniqueConstraint(fields=["pitch", "juror", "criterion"], name="juror_score_unique"),
        ]


class Recusal(models.Model):
    """A juror declared a conflict of interest with a pitching organisation (membership conflicts are derived)."""

    demo_day = models.ForeignKey(DemoDay, on_delete=models.CASCADE, related_name="recusals")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [
            models.UniqueConstraint(fields=["demo_day", "juror", "organization"], name="recusal_unique"),
        ]


class Grant(BaseModel):
    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        AGREED = "agreed", _("Agreement signed")
        ACTIVE = "active", _("Being paid")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.OFFERED: frozenset({Status.AGREED, Status.CANCELLED}),
        Status.AGREED: frozenset({Status.ACTIVE, Status.CANCELLED}),
        Status.ACTIVE: frozenset({Status.COMPLETED, Status.CANCELLED}),
        Status.COMPLETED: frozenset(),
        Status.CANCELLED: frozenset(),
    }

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="grants")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="grants")
    pitch = models.ForeignKey(Pitch, null=True, blank=True, on_delete=models.SET_NULL, related_name="grants")
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    conditions = models.TextField(_("conditions"), blank=True)
    agreement = models.FileField(
        _("signed agreement"), upload_to="grants/agreements/", storage=private_storage, blank=True
    )
    agreed_at = models.DateTimeField(_("agreement signed on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # The part of the grant offered as a matching pot for the organisation's campaign (see services/matching.py).
    matching_pot = models.OneToOneField(
        MatchingPot, null=True, blank=True, on_delete=models.PROTECT, related_name="grant"
    )
    matching_amount = models.DecimalField(
        _("offered as matching funds"), default=Decimal("0"), max_digits=20, decimal_places=3
    )
    matching_closed = models.BooleanField(default=False)
    award_group_id = models.BigIntegerField(null=True, blank=True, editable=False)
    cancel_group_id = models.BigIntegerField(null=True, blank=True, editable=False)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("seed grant")
        verbose_name_plural = _("seed grants")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(matching_amount__gte=0, matching_amount__lte=models.F("amount")),
                name="grant_matching_within_amount",
            ),
            models.UniqueConstraint(
                fields=["programme", "organization"],
                condition=~models.Q(status="cancelled"),
                name="grant_one_per_organization",
            ),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self) -> str:
        return f"{self.organization} · {self.amount} {self.currency}"

    @property
    def scheduled_amount(self) -> Decimal:
        """What the tranches must add up to: the grant less the part offered as matching funds."""
        return self.amount - self.matching_amount


class GrantReport(BaseModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports")
    narrative = models.TextField(_("narrative report"))
    financial_statement = models.FileField(
        _("financial statement"), upload_to="grants/reports/", storage=private_storage, blank=True
    )
    spent_amount = models.DecimalField(_("amount spent"), max_digits=20, decimal_places=3)
    beneficiaries_direct = models.PositiveIntegerField(_("direct beneficiaries"), default=0)
    beneficiaries_indirect = models.PositiveIntegerField(_("indirect beneficiaries"), default=0)
    # {"direct": {"women": 70, "men": 50}, "indirect": {...}}; each breakdown, when given, sums to its total.
    breakdown = models.JSONField(_("by sex"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("grant report")
        verbose_name_plural = _("grant reports")
        ordering = ["grant", "-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(spent_amount__gte=0), name="grant_report_spent")]
        indexes = [models.Index(fields=["status"])]


class GrantTranche(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        REQUESTED = "requested", _("Report submitted")
        RELEASED = "released", _("Released")
        REFUSED = "refused", _("Refused")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PLANNED: frozenset({Status.REQUESTED}),
        Status.REQUESTED: frozenset({Status.RELEASED, Status.REFUSED}),
        Status.REFUSED: frozenset({Status.REQUESTED}),
        Status.RELEASED: frozenset(),
    }

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="tranches")
    position = models.PositiveSmallIntegerField(default=1)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=3)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    report = models.ForeignKey(GrantReport, null=True, blank=True, on_delete=models.PROTECT, related_name="tranches")
    release_group_id = models.BigIntegerField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["grant", "position"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grant_tranche_amount_positive"),
            models.UniqueConstraint(fields=["grant", "position"], name="grant_tranche_position"),
        ]
