from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import CharField, Count, DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError
from jusoor.common.money import quantize
from jusoor.finance.models import Account, EntryGroup, ExchangeRate, LedgerEntry


def account_balance(*, account: Account) -> Decimal:
    """Sum of the account's entries (debits positive, credits negative)."""
    total = LedgerEntry.objects.filter(account=account).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0")


def ledger_problems() -> list[str]:
    """What `ledger_check` reports: unbalanced groups, entries whose currency differs from their account's,
    groups without entries. An empty list means the ledger is consistent."""
    unbalanced = (
        LedgerEntry.objects.values("group_id", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by("group_id", "currency")
    )
    mismatched = LedgerEntry.objects.exclude(currency=F("account__currency")).values_list("id", flat=True)
    empty = EntryGroup.objects.annotate(n=Count("entries")).filter(n=0).values_list("id", flat=True)
    return (
        [f"group {row['group_id']} does not balance in {row['currency']}: {row['total']}" for row in unbalanced]
        + [f"entry {entry_id} is not in its account's currency" for entry_id in mismatched]
        + [f"group {group_id} has no entries" for group_id in empty]
    )


def exchange_rate_on(*, base: str, quote: str, day: date) -> ExchangeRate:
    """The latest rate recorded on or before `day` (a direct rate, or the inverse of the opposite one).
    Raises ApplicationError `no_rate` when there is none."""
    direct = ExchangeRate.objects.filter(base=base, quote=quote, day__lte=day).order_by("-day").first()
    inverse = ExchangeRate.objects.filter(base=quote, quote=base, day__lte=day).order_by("-day").first()
    if inverse is not None and (direct is None or inverse.day > direct.day):
        return ExchangeRate(
            base=base, quote=quote, day=inverse.day, rate=Decimal(1) / inverse.rate, source=inverse.source
        )
    if direct is None:
        raise ApplicationError(
            _("No exchange rate from %(base)s to %(quote)s is recorded on or before %(day)s.")
            % {"base": base, "quote": quote, "day": day.isoformat()},
            code="no_rate",
        )
    return direct


def convert(*, amount: Decimal, base: str, quote: str, day: date) -> tuple[Decimal, ExchangeRate]:
    """`amount` in `base` converted to `quote` with the rate of `day`, rounded to `quote`'s precision."""
    if base == quote:
        return quantize(amount, quote), ExchangeRate(base=base, quote=quote, day=day, rate=Decimal(1))
    rate = exchange_rate_on(base=base, quote=quote, day=day)
    return quantize(amount * rate.rate, quote), rate


MONEY = DecimalField(max_digits=20, decimal_places=3)


def account_balance_subquery(key_prefix: str, key_suffix: str) -> Coalesce:
    """The balance of the account `<prefix><outer row's pk><suffix>` (all its currencies), 0 when it has no entry:
    annotate a list with every row's balance in the list's one query."""
    key = Concat(Value(key_prefix), Cast(OuterRef("pk"), CharField()), Value(key_suffix), output_field=CharField())
    total = (
        LedgerEntry.objects.filter(account__key=key)
        .order_by()
        .values("account__key")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(Decimal("0")), output_field=MONEY)
