"""Donations (what a donor pledged), refunds, receipts and matching pots.

A `Donation` records the pledge and the exchange-rate snapshot; what actually happened to the money is in the
ledger (`jusoor.finance`): each capture, refund and match is one balanced entry group whose id is kept here.
`refunded_amount` and `Match` statuses are caches of the ledger that `manage.py ledger_check` re-derives.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jusoor.campaigns.models import Campaign
from jusoor.common.models import BaseModel
from jusoor.finance.models import SUPPORTED_CURRENCIES
from jusoor.organizations.models import Organization, Theme
from jusoor.territories.models import Territory

DONATION_CURRENCIES = SUPPORTED_CURRENCIES  # TND, MAD, EUR, USD, CAD


class Donation(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for payment")
        CAPTURED = "captured", _("Received")
        FAILED = "failed", _("Payment failed")
        EXPIRED = "expired", _("Expired")
        REFUNDED = "refunded", _("Refunded")
        REDIRECTED = "redirected", _("Given to another campaign")
        CREDITED = "credited", _("Kept as credit")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PENDING: frozenset({Status.CAPTURED, Status.FAILED, Status.EXPIRED}),
        # A failure reported first can still be followed by the processor's late success.
        Status.FAILED: frozenset({Status.CAPTURED}),
        Status.EXPIRED: frozenset({Status.CAPTURED}),
        Status.CAPTURED: frozenset({Status.REFUNDED, Status.REDIRECTED, Status.CREDITED}),
    }

    class FailedCampaignChoice(models.TextChoices):
        REFUND = "refund", _("Refund me")
        REDIRECT = "redirect", _("Give it to another campaign in the same territory")
        CREDIT = "credit", _("Keep it as credit for 12 months")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="donations")
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    country_of_residence = models.CharField(_("country of residence"), max_length=2)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="ar")

    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3)
    # Snapshot at pledge time: the amount in the campaign's currency, the rate used and the day of that rate.
    campaign_amount = models.DecimalField(_("amount in the campaign's currency"), max_digits=20, decimal_places=3)
    campaign_currency = models.CharField(max_length=3)
    rate = models.DecimalField(_("exchange rate"), max_digits=18, decimal_places=8)
    rate_day = models.DateField(_("date of the rate"))

    message = models.CharField(_("message"), max_length=500, blank=True)
    dedication = models.CharField(_("dedication"), max_length=200, blank=True)
    anonymous_public = models.BooleanField(_("hide my name from the public"), default=False)
    anonymous_to_organization = models.BooleanField(_("hide my name from the organisation too"), default=False)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    provider = models.CharField(_("payment method"), max_length=20)
    provider_payment_id = models.CharField(max_length=120, null=True, blank=True)
    payment_url = models.CharField(max_length=500, blank=True, editable=False)  # the hosted page, to resume
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    capture_group_id = models.BigIntegerField(null=True, blank=True, editable=False)
    refunded_amount = models.DecimalField(max_digits=20, decimal_places=3, default=Decimal("0"))
    failed_campaign_choice = models.CharField(max_length=10, choices=FailedCampaignChoice.choices, blank=True)
    choice_deadline = models.DateTimeField(null=True, blank=True)
    redirected_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="redirected_from"
    )

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="donation_amount_positive"),
            models.CheckConstraint(condition=models.Q(campaign_amount__gt=0), name="donation_campaign_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(currency__in=DONATION_CURRENCIES), name="donation_supported_currency"
            ),
            models.CheckConstraint(
                condition=models.Q(refunded_amount__gte=0, refunded_amount__lte=models.F("amount")),
                name="donation_refund_within_amount",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_payment_id"],
                condition=models.Q(provider_payment_id__isnull=False),
                name="donation_unique_provider_payment",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="donation_unique_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["capture_group_id"],
                condition=models.Q(capture_group_id__isnull=False),
                name="donation_unique_capture_group",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "captured_at"]),
            models.Index(fields=["campaign", "status", "email"], name="donation_campaign_donors"),
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["donor", "captured_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def refundable_amount(self) -> Decimal:
        return self.amount - self.refunded_amount if self.status == self.Status.CAPTURED else Decimal("0")

    def public_name(self) -> str:
        return "" if self.anonymous_public else self.name

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())


class Refund(BaseModel):
    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=3)
    campaign_amount = models.DecimalField(max_digits=20, decimal_places=3)
    reason = models.CharField(_("reason"), max_length=300)
    provider_refund_id = models.CharField(max_length=120, blank=True)
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, editable=False)
    ledger_group_id = models.BigIntegerField(unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(
                fields=["donation", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="refund_unique_idempotency_key",
            ),
        ]


class ReceiptSequence(models.Model):
    """The last receipt number of an organisation; locked while a number is taken, so numbers have no gaps."""

    organization = models.OneToOneField(Organization, primary_key=True, on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)


class Receipt(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="receipts")
    number = models.PositiveIntegerField(_("number"))
    donation = models.OneToOneField(Donation, on_delete=models.PROTECT, related_name="receipt")
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [models.UniqueConstraint(fields=["organization", "number"], name="receipt_unique_number")]

    def __str__(self) -> str:
        return f"{self.organization_id}-{self.number:06d}"

    @property
    def label(self) -> str:
        return f"{self.organization_id:04d}-{self.issued_at:%Y}-{self.number:06d}"


class MatchingPot(BaseModel):
    """A sponsor's pledge to match donations: `ratio` units per unit donated, within caps and eligibility."""

    name = models.CharField(_("name"), max_length=200)
    sponsor_name = models.CharField(_("sponsor"), max_length=200)
    sponsor_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="matching_pots"
    )
    currency = models.CharField(_("currency"), max_length=3)
    total = models.DecimalField(_("total"), max_digits=20, decimal_places=3)
    ratio = models.DecimalField(_("ratio"), max_digits=6, decimal_places=3, default=Decimal("1"))
    cap_per_donation = models.DecimalField(
        _("cap per donation"), max_digits=20, decimal_places=3, null=True, blank=True
    )
    cap_per_donor = models.DecimalField(_("cap per donor"), max_digits=20, decimal_places=3, null=True, blank=True)
    territories = models.ManyToManyField(
        Territory, verbose_name=_("eligible territories"), blank=True, related_name="+"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("eligible themes"), blank=True, related_name="+")
    campaigns = models.ManyToManyField(Campaign, verbose_name=_("eligible campaigns"), blank=True, related_name="+")
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    is_active = models.BooleanField(_("active"), default=True)
    opening_group_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("matching pot")
        verbose_name_plural = _("matching pots")
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gt=0), name="matching_pot_total_positive"),
            models.CheckConstraint(condition=models.Q(ratio__gt=0), name="matching_pot_ratio_positive"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")), name="matching_pot_valid_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def available_key(self) -> str:
        return f"pot:{self.pk}:available"

    @property
    def reserved_key(self) -> str:
        return f"pot:{self.pk}:reserved"


class Match(BaseModel):
    class Status(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        RELEASED = "released", _("Released")
        CAPTURED = "captured", _("Paid to the campaign")

    pot = models.ForeignKey(MatchingPot, on_delete=models.PROTECT, related_name="matches")
    donation = models.OneToOneField(Donation, on_delete=models.PROTECT, related_name="match")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")  # the donation's, for sums
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=3)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RESERVED)
    reserve_group_id = models.BigIntegerField(unique=True)
    settle_group_id = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="match_amount_positive")]
        indexes = [models.Index(fields=["pot", "status"]), models.Index(fields=["campaign", "status"])]


class DonorCredit(BaseModel):
    """Money a donor kept as credit after a failed campaign; expires into the platform's general fund."""

    class Status(models.TextChoices):
        OPEN = "open", _("Available")
        USED = "used", _("Used")
        EXPIRED = "expired", _("Expired")

    donation = models.OneToOneField(Donation, on_delete=models.PROTECT, related_name="credit")
    email = models.EmailField(_("e-mail"))
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3)
    expires_at = models.DateTimeField(_("expires"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("donor credit")
        verbose_name_plural = _("donor credits")
        indexes = [models.Index(fields=["status", "expires_at"])]
