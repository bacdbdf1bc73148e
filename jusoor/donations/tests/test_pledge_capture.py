from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jusoor.campaigns.models import Campaign
from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.donations.models import Donation, Receipt
from jusoor.donations.selectors import campaign_progress, campaign_raised
from jusoor.donations.services.capture import donation_capture, donation_fail, donations_expire
from jusoor.donations.tests import builders
from jusoor.finance.models import EntryGroup, LedgerEntry
from jusoor.finance.selectors import ledger_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return builders.campaign()


@pytest.mark.parametrize(
    ("amount", "currency", "code", "message"),
    [
        ("0", "TND", "amount_invalid", "Enter an amount greater than zero."),
        ("-5", "TND", "amount_invalid", "Enter an amount greater than zero."),
        ("abc", "TND", "amount_invalid", "Enter an amount greater than zero."),
        ("10.0001", "TND", "too_many_decimals", "TND amounts have at most 3 decimals."),
        ("10.001", "EUR", "too_many_decimals", "EUR amounts have at most 2 decimals."),
        (
            "50",
            "GBP",
            "unsupported_currency",
            "Donations in GBP are not accepted. Choose one of: TND, MAD, EUR, USD, CAD.",
        ),
        ("5", "MAD", "amount_too_small", "The amount must be between MAD10.00 and MAD1,000,000.00."),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_written(live, amount, currency, code, message):
    with pytest.raises(ApplicationError) as caught:
        builders.pledge(live, amount, currency)
    assert (caught.value.code, str(caught.value.message)) == (code, message)
    assert Donation.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="donations.").count() == 0


@pytest.mark.parametrize("status", [Campaign.Status.DRAFT, Campaign.Status.APPROVED, Campaign.Status.FAILED])
def test_only_live_campaigns_take_pledges(status):
    campaign = builders.campaign(status=status)
    with pytest.raises(ApplicationError) as caught:
        builders.pledge(campaign)
    assert caught.value.code == "campaign_not_live"
    assert str(caught.value.message) == "This campaign is not accepting donations."
    assert Donation.objects.count() == 0


def test_a_live_campaign_past_its_deadline_takes_no_pledge(live):
    Campaign.objects.filter(pk=live.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    live.refresh_from_db()
    with pytest.raises(ApplicationError, match="not accepting donations"):
        builders.pledge(live)


def test_pledge_snapshots_the_rate_and_moves_no_money(live):
    builders.rate("EUR", "TND", "3.35000000")
    donation = builders.pledge(live, "50", "EUR")
    assert (donation.amount, donation.currency) == (Decimal("50"), "EUR")
    assert (donation.campaign_amount, donation.campaign_currency) == (Decimal("167.500"), "TND")
    assert (donation.rate, donation.rate_day) == (Decimal("3.35000000"), timezone.localdate())
    assert donation.status == Donation.Status.PENDING
    assert donation.reference.startswith("JSR-") and len(donation.reference) == 15
    assert LedgerEntry.objects.count() == 0


def test_pledge_without_a_rate_is_refused(live):
    with pytest.raises(ApplicationError) as caught:
        builders.pledge(live, "50", "USD")
    assert caught.value.code == "no_rate"
    assert Donation.objects.count() == 0


def test_the_same_idempotency_key_pledges_once(live):
    first = builders.pledge(live, "50", idempotency_key="k-1")
    again = builders.pledge(live, "50", idempotency_key="k-1")
    assert again.pk == first.pk
    assert Donation.objects.count() == 1
    with pytest.raises(ApplicationError) as caught:
        builders.pledge(live, "60", idempotency_key="k-1")
    assert caught.value.code == "idempotency_key_reused"
    assert Donation.objects.count() == 1


def test_capture_posts_one_balanced_group_numbers_a_receipt_and_mails_the_donor(
    live, mailoutbox, django_capture_on_commit_callbacks
):
    builders.rate("EUR", "TND", "3.35000000")
    donation = builders.pledge(live, "50", "EUR", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        donation, new = donation_capture(
            donation_id=donation.pk, provider="testpay", provider_payment_id="p1", amount=Decimal("50"), currency="EUR"
        )
    assert new is True
    assert donation.status == Donation.Status.CAPTURED
    group = EntryGroup.objects.get(pk=donation.capture_group_id)
    entries = sorted((e.account.key, e.currency, e.amount) for e in group.entries.select_related("account"))
    assert entries == [
        (f"campaign:{live.pk}:funds", "TND", Decimal("-167.500")),
        ("platform:fx:position", "EUR", Decimal("-50.000")),
        ("platform:fx:position", "TND", Decimal("167.500")),
        ("psp:testpay:clearing", "EUR", Decimal("50.000")),
    ]
    assert campaign_raised(live) == Decimal("167.500")
    assert Receipt.objects.get(donation=donation).number == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[Jusoor] Merci pour votre don à « Une bibliothèque pour les enfants »"
    assert donation.reference in mailoutbox[0].body
    assert ledger_problems() == []


def test_capture_twice_is_a_no_op(live):
    donation = builders.captured(live, "50")
    again, new = donation_capture(
        donation_id=donation.pk, provider="testpay", provider_payment_id="other", amount=Decimal("50"), currency="TND"
    )
    assert new is False
    assert again.provider_payment_id == f"pay_{donation.reference}"
    assert EntryGroup.objects.filter(kind="donation.captured").count() == 1
    assert Receipt.objects.count() == 1
    assert AuditEvent.objects.filter(action="donations.donation.captured").count() == 1


@pytest.mark.parametrize(("amount", "currency"), [("49.999", "TND"), ("50", "EUR")])
def test_a_mismatched_amount_or_currency_captures_nothing(live, amount, currency):
    donation = builders.pledge(live, "50")
    with pytest.raises(ApplicationError) as caught:
        donation_capture(
            donation_id=donation.pk,
            provider="testpay",
            provider_payment_id="p",
            amount=Decimal(amount),
            currency=currency,
        )
    assert caught.value.code == "amount_mismatch"
    donation.refresh_from_db()
    assert (donation.status, donation.provider_payment_id) == (Donation.Status.PENDING, None)
    assert EntryGroup.objects.count() == 0
    assert Receipt.objects.count() == 0


def test_failure_then_late_success_captures_and_success_then_failure_stays_captured(live):
    first = builders.pledge(live, "20")
    donation_fail(donation_id=first.pk, reason="declined")
    assert Donation.objects.get(pk=first.pk).status == Donation.Status.FAILED
    donation_capture(
        donation_id=first.pk, provider="testpay", provider_payment_id="a", amount=Decimal("20"), currency="TND"
    )
    second = builders.captured(live, "30")
    donation_fail(donation_id=second.pk, reason="late failure")
    assert list(Donation.objects.order_by("pk").values_list("status", flat=True)) == ["captured", "captured"]
    assert campaign_raised(live) == Decimal("50.000")


def test_receipts_are_numbered_per_organisation_without_gaps(live):
    other_campaign_same_org = builders.campaign(org=live.organization)
    other_org_campaign = builders.campaign(org=builders.organization("Autre association"))
    builders.captured(live, "10")
    failed = builders.pledge(live, "11")
    with pytest.raises(ApplicationError):
        donation_capture(
            donation_id=failed.pk, provider="testpay", provider_payment_id="x", amount=Decimal("12"), currency="TND"
        )
    builders.captured(other_campaign_same_org, "12")
    builders.captured(other_org_campaign, "13")
    builders.captured(live, "14")
    numbers = list(Receipt.objects.order_by("pk").values_list("organization_id", "number"))
    org, other = live.organization_id, other_org_campaign.organization_id
    assert numbers == [(org, 1), (org, 2), (other, 1), (org, 3)]


def test_unpaid_pledges_expire(live):
    old = builders.pledge(live, "10", expires_in=timedelta(seconds=-1))
    fresh = builders.pledge(live, "10")
    assert donations_expire() == 1
    assert Donation.objects.get(pk=old.pk).status == Donation.Status.EXPIRED
    assert Donation.objects.get(pk=fresh.pk).status == Donation.Status.PENDING


def test_progress_counts_donors_once_and_ignores_pending(live):
    builders.captured(live, "100", email="a@example.org")
    builders.captured(live, "50", email="a@example.org")
    builders.captured(live, "25.5", email="b@example.org")
    builders.pledge(live, "1000", email="c@example.org")
    progress = campaign_progress(live)
    assert (progress.raised, progress.donors, progress.matched, progress.percent) == (
        Decimal("175.500"),
        2,
        Decimal("0"),
        1,
    )
