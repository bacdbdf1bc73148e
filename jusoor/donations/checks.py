"""Consistency of what donations cache against the ledger (run by `manage.py ledger_check`).

Every received donation has exactly one capture group whose entries are its amounts; `refunded_amount` equals
the sum of its refunds; each match's status agrees with its ledger groups; no campaign holds less than zero and
no pot has given more than it had. An empty list means consistent.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from jusoor.donations.models import Donation, Match, MatchingPot
from jusoor.finance.models import EntryGroup, LedgerEntry

HOLDING = [Donation.Status.CAPTURED, Donation.Status.REFUNDED, Donation.Status.REDIRECTED, Donation.Status.CREDITED]


def donation_problems() -> list[str]:
    problems: list[str] = []
    missing = Donation.objects.filter(status__in=HOLDING, capture_group_id__isnull=True).values_list(
        "reference", flat=True
    )
    problems += [f"donation {ref} is received but has no ledger movement" for ref in missing]
    stray = Donation.objects.filter(~Q(status__in=HOLDING), capture_group_id__isnull=False).values_list(
        "reference", flat=True
    )
    problems += [f"donation {ref} has a ledger movement but is not received" for ref in stray]
    groups = dict(
        EntryGroup.objects.filter(kind__in=["donation.captured", "donation.redirected"]).values_list("pk", "kind")
    )
    for ref, group_id in Donation.objects.filter(capture_group_id__isnull=False).values_list(
        "reference", "capture_group_id"
    ):
        if group_id not in groups:
            problems.append(f"donation {ref} points to movement {group_id}, which is not a capture")
    refunds = Donation.objects.annotate(refund_total=Coalesce(Sum("refunds__amount"), Decimal("0"))).exclude(
        refunded_amount=F("refund_total")
    )
    problems += [
        f"donation {d.reference}: refunded_amount {d.refunded_amount} ≠ refunds {d.refund_total}" for d in refunds
    ]
    reversed_ids = set(EntryGroup.objects.filter(reverses__isnull=False).values_list("reverses_id", flat=True))
    for match in Match.objects.all().only("pk", "status", "reserve_group_id", "settle_group_id"):
        released = match.reserve_group_id in reversed_ids
        if (match.status == Match.Status.RELEASED) != released:
            problems.append(
                f"match {match.pk} is {match.status} but its reservation is {'' if released else 'not '}reversed"
            )
        if (match.status == Match.Status.CAPTURED) != (match.settle_group_id is not None):
            problems.append(f"match {match.pk} is {match.status} but its settlement group is {match.settle_group_id}")
    negative = (
        LedgerEntry.objects.filter(
            Q(account__key__startswith="campaign:", account__key__endswith=":funds")
            | Q(account__key__startswith="pot:", account__key__endswith=":available")
        )
        .values("account__key", "currency")
        .annotate(total=Sum("amount"))
        .filter(total__gt=0)
    )
    problems += [f"{row['account__key']} is below zero: {-row['total']} {row['currency']}" for row in negative]
    for pot in MatchingPot.objects.all():
        if pot.opening_group_id is None:
            problems.append(f"matching pot {pot.pk} was never opened in the ledger")
    return problems
