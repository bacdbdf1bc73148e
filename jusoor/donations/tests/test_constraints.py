"""The idempotency of money rests on the database, not only on the services: each unique constraint below refuses
a duplicate written with the ORM directly, bypassing every service check. Each test first writes the same row with
the constrained value changed (inside a rolled-back savepoint), so that the refusal is the constraint's and not
some other column's, and names the constraint that fired."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from jusoor.donations.models import Donation, Match, Receipt, Refund
from jusoor.donations.services.matching import matching_pot_open
from jusoor.donations.services.refunds import donation_refund
from jusoor.donations.tests import builders
from jusoor.finance.models import EntryGroup
from jusoor.payments.models import ProviderEvent

pytestmark = pytest.mark.django_db


@contextmanager
def refused_by(constraint: str) -> Iterator[None]:
    """The block's write is refused by the database's unique constraint `constraint` (in a savepoint, so the
    test's transaction goes on)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    assert caught.value.__cause__ is not None
    assert caught.value.__cause__.diag.constraint_name == constraint  # type: ignore[attr-defined]


def allowed(write: Callable[[], Any]) -> None:
    """The write goes through; rolled back, so that only the rows a test means to keep remain."""
    with transaction.atomic():
        write()
        transaction.set_rollback(True)


def insert_donation(like: Donation, **overrides: Any) -> Donation:
    """A new pending donation row, copied column by column from `like`, written with the ORM (no service)."""
    values = {
        field.attname: getattr(like, field.attname)
        for field in Donation._meta.concrete_fields
        if not field.primary_key and field.attname not in ("created_at", "updated_at")
    }
    values.update(
        reference=f"JSR-T{Donation.objects.count():04d}-CONST",
        status=Donation.Status.PENDING,
        provider_payment_id=None,
        idempotency_key=None,
        capture_group_id=None,
        captured_at=None,
        refunded_amount=Decimal("0"),
    )
    values.update(overrides)
    return Donation.objects.create(**values)


@pytest.fixture
def donation() -> Donation:
    """50 TND captured through the real services (testpay, payment "pay_<reference>"): ledger, receipt."""
    return builders.captured(builders.campaign(), "50", "TND")


def test_a_second_donation_with_the_same_provider_payment_is_refused(donation):
    allowed(lambda: insert_donation(donation, provider_payment_id="pay_someone_else"))
    with refused_by("donation_unique_provider_payment"):
        insert_donation(donation, provider_payment_id=donation.provider_payment_id)


def test_the_same_payment_id_under_another_provider_is_allowed(donation):
    other = insert_donation(donation, provider="bank_transfer", provider_payment_id=donation.provider_payment_id)
    assert Donation.objects.filter(provider_payment_id=donation.provider_payment_id).count() == 2
    assert {other.provider, donation.provider} == {"bank_transfer", "testpay"}


def test_pledges_without_a_provider_payment_id_are_not_duplicates_of_each_other(donation):
    insert_donation(donation)
    insert_donation(donation)
    assert Donation.objects.filter(provider=donation.provider, provider_payment_id__isnull=True).count() == 2


def test_a_second_donation_with_the_same_idempotency_key_is_refused():
    first = builders.pledge(builders.campaign(), "20", "TND", idempotency_key="pledge-7f3a")
    assert first.idempotency_key == "pledge-7f3a"
    allowed(lambda: insert_donation(first, idempotency_key="pledge-other"))
    with refused_by("donation_unique_idempotency_key"):
        insert_donation(first, idempotency_key="pledge-7f3a")


def test_a_second_provider_event_with_the_same_id_is_refused():
    def event(provider: str, event_id: str) -> ProviderEvent:
        return ProviderEvent.objects.create(
            provider=provider, event_id=event_id, event_type="payment.succeeded", payload="{}"
        )

    event("testpay", "evt_0001")
    allowed(lambda: event("testpay", "evt_0002"))
    allowed(lambda: event("stripe", "evt_0001"))  # event ids are the provider's own: another one may reuse it
    with refused_by("provider_event_unique"):
        event("testpay", "evt_0001")
    assert ProviderEvent.objects.count() == 1


def test_a_second_ledger_group_with_the_same_idempotency_key_is_refused(donation):
    key = f"donation:{donation.pk}:capture"
    assert EntryGroup.objects.filter(idempotency_key=key, kind="donation.captured").count() == 1
    # Only checked, never kept: an empty group would be a ledger problem (the savepoint is rolled back).
    allowed(lambda: EntryGroup.objects.create(kind="donation.captured", idempotency_key=f"{key}:other"))
    with refused_by("finance_entrygroup_idempotency_key_key"):
        EntryGroup.objects.create(kind="donation.captured", idempotency_key=key)


def test_a_second_receipt_with_the_same_number_in_an_organisation_is_refused(donation):
    receipt = Receipt.objects.get(donation=donation)
    assert receipt.number == 1
    unreceipted = insert_donation(donation, provider_payment_id="pay_other")
    allowed(lambda: Receipt.objects.create(organization_id=receipt.organization_id, number=2, donation=unreceipted))
    other_org = builders.organization("Association de Zarzis")
    allowed(lambda: Receipt.objects.create(organization=other_org, number=1, donation=unreceipted))
    with refused_by("receipt_unique_number"):
        Receipt.objects.create(organization_id=receipt.organization_id, number=1, donation=unreceipted)


def test_a_second_match_for_the_same_donation_is_refused():
    campaign = builders.campaign()
    now = timezone.now()
    matching_pot_open(
        name="Fonds de la diaspora",
        sponsor_name="Fédération",
        currency="TND",
        total=Decimal("500.000"),
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=10),
        acting_user=None,
        campaigns=[campaign],
    )
    donation = builders.captured(campaign, "50", "TND")
    match = Match.objects.get(donation=donation)  # reserved by the capture
    other_donation = insert_donation(donation, provider_payment_id="pay_other")

    def second_match(for_donation: Donation) -> Match:
        return Match.objects.create(
            pot=match.pot,
            donation=for_donation,
            campaign=campaign,
            amount=match.amount,
            reserve_group_id=match.reserve_group_id + 1_000_000,  # not a real group: never kept
        )

    allowed(lambda: second_match(other_donation))
    with refused_by("donations_match_donation_id_key"):
        second_match(donation)
    assert Match.objects.filter(donation=donation).count() == 1


def test_a_second_refund_with_the_same_idempotency_key_is_refused(donation):
    refund = donation_refund(donation=donation, amount="10", reason="Donor asked", idempotency_key="refund-1")

    def second_refund(key: str) -> Refund:
        return Refund.objects.create(
            donation=donation,
            amount=refund.amount,
            campaign_amount=refund.campaign_amount,
            reason="Donor asked",
            idempotency_key=key,
            ledger_group_id=refund.ledger_group_id + 1_000_000,  # not a real group: never kept
        )

    allowed(lambda: second_refund("refund-2"))
    with refused_by("refund_unique_idempotency_key"):
        second_refund("refund-1")
    assert Refund.objects.filter(donation=donation).count() == 1
