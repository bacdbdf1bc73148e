from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Sum

from jusoor.finance.models import Account, EntryGroup, LedgerEntry


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
