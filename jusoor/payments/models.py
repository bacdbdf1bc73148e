"""What payment providers told us, stored before it is acted on, and bank statements imported by finance staff.

`ProviderEvent` is unique on (provider, event id): a callback delivered twice is stored once and acted on once.
`TestPaySession` is the *processor's* side of the offline test provider (what a card processor would keep).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jusoor.common.models import BaseModel
from jusoor.donations.models import Donation


class ProviderEvent(models.Model):
    class Outcome(models.TextChoices):
        RECEIVED = "received", _("Received")
        CAPTURED = "captured", _("Payment confirmed")
        FAILED = "failed", _("Payment failed")
        IGNORED = "ignored", _("Ignored")
        REJECTED = "rejected", _("Rejected")

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=120)
    event_type = models.CharField(max_length=80, blank=True)
    payload = models.TextField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RECEIVED)
    detail = models.CharField(max_length=300, blank=True)
    donation = models.ForeignKey(Donation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_unique")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class TestPaySession(BaseModel):
    """A payment on the offline test processor: hosted page, then an asynchronous signed callback."""

    __test__ = False  # not a pytest test class, despite its name

    class Status(models.TextChoices):
        OPEN = "open", "open"
        PROCESSING = "processing", "processing"  # a card that settles later (4000 0000 0000 0077)
        SUCCEEDED = "succeeded", "succeeded"
        FAILED = "failed", "failed"

    token = models.CharField(max_length=40, unique=True)
    merchant_reference = models.CharField(max_length=40)
    amount = models.DecimalField(max_digits=20, decimal_places=3)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    return_url = models.CharField(max_length=500)
    cancel_url = models.CharField(max_length=500, blank=True)
    callback_url = models.CharField(max_length=500)

    class Meta:
        verbose_name = "test payment session"

    def __str__(self) -> str:
        return f"testpay:{self.merchant_reference}"


class BankStatement(BaseModel):
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(_("file"), max_length=255)
    checksum = models.CharField(max_length=64, unique=True)
    # Lines of the file not recorded: debits, and bank references already imported with an earlier statement.
    skipped_lines = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class BankStatementLine(models.Model):
    class Status(models.TextChoices):
        MATCHED = "matched", _("Matched")
        MISMATCH = "mismatch", _("Amount or currency differs")
        UNMATCHED = "unmatched", _("No pledge with this reference")
        DUPLICATE = "duplicate", _("Pledge already paid")
        RESOLVED = "resolved", _("Resolved by hand")
        IGNORED = "ignored", _("Ignored")

    # Lines that need finance staff: each can be matched to a pledge of the same amount, resolved by hand with a
    # note, or ignored. A matched, resolved or ignored line is final.
    REVIEW_STATUSES = frozenset({Status.MISMATCH, Status.UNMATCHED, Status.DUPLICATE})
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.MISMATCH: frozenset({Status.MATCHED, Status.RESOLVED, Status.IGNORED}),
        Status.UNMATCHED: frozenset({Status.MATCHED, Status.RESOLVED, Status.IGNORED}),
        Status.DUPLICATE: frozenset({Status.RESOLVED, Status.IGNORED}),
    }

    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveIntegerField()
    booked_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3)
    label = models.CharField(_("label"), max_length=300)
    bank_reference = models.CharField(_("bank reference"), max_length=120)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    donation = models.ForeignKey(Donation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ["statement", "line_number"]
        constraints = [
            # The same bank line (by the bank's own reference) can never be booked twice.
            models.UniqueConstraint(fields=["bank_reference"], name="bank_line_unique_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_reference} ({self.amount} {self.currency})"

    @property
    def needs_review(self) -> bool:
        return self.status in self.REVIEW_STATUSES

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())
