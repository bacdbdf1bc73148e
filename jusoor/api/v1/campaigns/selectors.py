"""What the campaign and pot lists need beyond the domain selectors: ledger balances annotated in one query."""

from __future__ import annotations

from django.db.models import CharField, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Concat

from jusoor.campaigns.models import Campaign
from jusoor.donations.selectors import campaigns_with_raised
from jusoor.finance.models import LedgerEntry

MONEY = DecimalField(max_digits=20, decimal_places=3)


def ledger_balance(key_prefix: str, key_suffix: str) -> Subquery:
    """The sum of the entries of the account `<prefix><outer pk><suffix>`, as a subquery on the outer row."""
    key = Concat(Value(key_prefix), OuterRef("pk"), Value(key_suffix), output_field=CharField())
    entries = (
        LedgerEntry.objects.filter(account__key=key)
        .order_by()
        .values("account__key")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Subquery(entries, output_field=MONEY)


def campaigns_with_progress(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """`raised_total` and `matched_total` on each campaign, in the list's one query."""
    return campaigns_with_raised(queryset)
