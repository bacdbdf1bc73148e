from __future__ import annotations

import logging
from decimal import Decimal

import pytest

from jusoor.donations.models import Donation
from jusoor.donations.tasks import ledger_check
from jusoor.donations.tests import builders

pytestmark = pytest.mark.django_db


def test_the_nightly_check_is_silent_on_a_consistent_ledger(caplog):
    builders.captured(builders.campaign(), "10")
    with caplog.at_level(logging.ERROR, logger="jusoor.donations.tasks"):
        ledger_check(timestamp=0)
    assert caplog.records == []


@pytest.mark.inconsistent_ledger
def test_the_nightly_check_reports_a_cached_figure_that_disagrees_with_the_ledger(caplog):
    donation = builders.captured(builders.campaign(), "10")
    Donation.objects.filter(pk=donation.pk).update(refunded_amount=Decimal("1"))
    with caplog.at_level(logging.ERROR, logger="jusoor.donations.tasks"):
        ledger_check(timestamp=0)
    assert [record.getMessage() for record in caplog.records] == [
        f"ledger_check: donation {donation.reference}: refunded_amount 1.000 ≠ refunds 0"
    ]
