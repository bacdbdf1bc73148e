"""The double-entry ledger: append-only entries grouped so that every group sums to zero per currency.

Balances are always computed from entries (Sum), never stored. The database itself refuses UPDATE or DELETE
on entries and groups, and refuses at commit any group that does not balance (migration 0002 triggers).
Corrections are reversing groups.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SUPPORTED_CURRENCIES = ("TND", "MAD", "EUR", "USD", "CAD")


class Account(models.Model):
    class Kind(models.TextChoices):
        ASSET = "asset", _("Asset")
        LIABILITY = "liability", _("Liability")
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")
        EQUITY = "equity", _("Equity")

    # A stable, readable key, e.g. "org:12:campaign:40:funds", "psp:stripe:clearing", "platform:fx".
    key = models.CharField(_("key"), max_length=120)
    currency = models.CharField(_("currency"), max_length=3)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(fields=["key", "currency"], name="account_unique_key_currency"),
            models.CheckConstraint(
                condition=models.Q(currency__in=SUPPORTED_CURRENCIES), name="account_supported_currency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} [{self.currency}]"


class EntryGroup(models.Model):
    """One money movement (a donation captured, a fee, a refund…): its entries sum to zero per currency."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("movement"), max_length=40, db_index=True)
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")

    class Meta:
        verbose_name = _("ledger movement")
        verbose_name_plural = _("ledger movements")

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class LedgerEntry(models.Model):
    group = models.ForeignKey(EntryGroup, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=3)  # signed: debit > 0, credit < 0
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_entry_not_zero")]
        indexes = [
            models.Index(fields=["account", "group"]),
            # Balances are sums per account: an index-only scan over (account, amount).
            models.Index(fields=["account"], include=["amount"], name="ledger_entry_account_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.account.key} {self.amount} {self.currency}"


class ExchangeRate(models.Model):
    """How many units of `quote` one unit of `base` buys on `day`. Entered by finance staff or imported
    from a CSV (there is no internet lookup); each donation will snapshot the rate it used."""

    base = models.CharField(_("from"), max_length=3)
    quote = models.CharField(_("to"), max_length=3)
    day = models.DateField(_("date"))
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)
    source = models.CharField(_("source"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["base", "quote", "-day"]
        constraints = [
            models.UniqueConstraint(fields=["base", "quote", "day"], name="exchange_rate_one_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(condition=~models.Q(base=models.F("quote")), name="exchange_rate_two_currencies"),
        ]

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.quote} ({self.day})"
