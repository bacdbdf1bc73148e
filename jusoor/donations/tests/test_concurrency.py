"""50 donations captured at once on one campaign whose matching pot covers only part of them."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from jusoor.donations.models import Donation, Match, Receipt
from jusoor.donations.selectors import campaign_raised
from jusoor.donations.services.capture import donation_capture
from jusoor.donations.services.matching import matching_pot_open, pot_available_amount
from jusoor.donations.tests import builders
from jusoor.finance.models import EntryGroup, LedgerEntry
from jusoor.finance.selectors import ledger_problems

WORKERS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_donations_share_a_pot_exactly():
    campaign = builders.campaign(goal=Decimal("20000.000"))
    now = timezone.now()
    pot = matching_pot_open(
        name="Pot",
        sponsor_name="Fédération",
        currency="TND",
        total=Decimal("1234.500"),
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=1),
        acting_user=None,
    )
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def donate(n: int) -> None:
        try:
            donation = builders.pledge(campaign, "100.000", email=f"d{n}@example.org", idempotency_key=f"c-{n}")
            start.wait(timeout=30)
            donation_capture(
                donation_id=donation.pk,
                provider="testpay",
                provider_payment_id=f"pay-{n}",
                amount=Decimal("100.000"),
                currency="TND",
            )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=donate, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert Donation.objects.filter(status=Donation.Status.CAPTURED).count() == WORKERS
    capture_groups = EntryGroup.objects.filter(kind="donation.captured")
    assert capture_groups.count() == WORKERS
    assert sorted(Donation.objects.values_list("capture_group_id", flat=True)) == sorted(
        capture_groups.values_list("pk", flat=True)
    )
    assert campaign_raised(campaign) == Decimal("5000.000")
    matches = sorted(Match.objects.values_list("amount", flat=True), reverse=True)
    assert matches == [Decimal("100.000")] * 12 + [Decimal("34.500")]
    assert pot_available_amount(pot) == Decimal("0")
    assert LedgerEntry.objects.filter(account__key=pot.available_key).count() == 1 + 13
    assert sorted(Receipt.objects.values_list("number", flat=True)) == list(range(1, WORKERS + 1))
    assert ledger_problems() == []
