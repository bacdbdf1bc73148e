from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jusoor.campaigns.models import Campaign
from jusoor.common.exceptions import ApplicationError
from jusoor.donations.links import donation_path
from jusoor.donations.models import Donation, DonorCredit, Match
from jusoor.donations.selectors import campaign_raised
from jusoor.donations.services.matching import matching_pot_open, pot_available_amount
from jusoor.donations.services.outcome import (
    campaign_settle_deadline,
    credits_expire,
    donation_choose,
    failed_campaign_defaults,
)
from jusoor.donations.tasks import settle_due_campaigns
from jusoor.donations.tests import builders
from jusoor.finance.models import Account
from jusoor.finance.selectors import account_balance, ledger_problems

pytestmark = pytest.mark.django_db


def end(campaign: Campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(ends_at=timezone.now() - timedelta(minutes=1))


def pot(total: str = "500"):
    now = timezone.now()
    return matching_pot_open(
        name="P",
        sponsor_name="S",
        currency="TND",
        total=Decimal(total),
        acting_user=None,
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=60),
    )


def test_goal_reached_with_matches_succeeds_and_pays_the_matches():
    campaign = builders.campaign(goal=Decimal("1000.000"))
    sponsor = pot("500")
    builders.captured(campaign, "500")
    end(campaign)
    assert settle_due_campaigns() == 1
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SUCCEEDED
    assert Match.objects.get().status == Match.Status.CAPTURED
    matched = Account.objects.get(key=f"campaign:{campaign.pk}:matched")
    assert account_balance(account=matched) == Decimal("-500.000")
    assert pot_available_amount(sponsor) == Decimal("0")
    assert ledger_problems() == []


def test_before_the_deadline_nothing_changes():
    campaign = builders.campaign()
    assert campaign_settle_deadline(campaign_id=campaign.pk).status == Campaign.Status.LIVE


def test_pending_bank_transfers_make_it_wait_then_settle():
    campaign = builders.campaign(goal=Decimal("100.000"))
    transfer = builders.pledge(campaign, "100", provider="bank_transfer", expires_in=timedelta(days=14))
    end(campaign)
    assert campaign_settle_deadline(campaign_id=campaign.pk).status == Campaign.Status.WAITING_FUNDS
    from jusoor.donations.services.capture import donation_capture

    donation_capture(
        donation_id=transfer.pk,
        provider="bank_transfer",
        provider_payment_id="bank-1",
        amount=Decimal("100"),
        currency="TND",
    )
    assert campaign_settle_deadline(campaign_id=campaign.pk).status == Campaign.Status.SUCCEEDED


def test_keep_what_you_raise_succeeds_below_the_goal():
    campaign = builders.campaign(funding_model=Campaign.FundingModel.KEEP_WHAT_YOU_RAISE)
    builders.captured(campaign, "10")
    end(campaign)
    assert campaign_settle_deadline(campaign_id=campaign.pk).status == Campaign.Status.SUCCEEDED


def test_failure_releases_matches_asks_donors_and_applies_each_choice(mailoutbox, django_capture_on_commit_callbacks):
    campaign = builders.campaign(goal=Decimal("10000.000"))
    sibling = builders.campaign(org=builders.organization("Voisins"), where=campaign.territory)
    sponsor = pot("500")
    refund_me = builders.captured(campaign, "100", email="r@example.org")
    redirect_me = builders.captured(campaign, "200", email="d@example.org")
    credit_me = builders.captured(campaign, "300", email="c@example.org")
    silent = builders.captured(campaign, "50", email="s@example.org")
    end(campaign)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_settle_deadline(campaign_id=campaign.pk).status == Campaign.Status.FAILED
    assert pot_available_amount(sponsor) == Decimal("500.000")
    assert sorted(m.to[0] for m in mailoutbox) == ["c@example.org", "d@example.org", "r@example.org", "s@example.org"]
    silent_mail = next(m for m in mailoutbox if m.to == ["s@example.org"])
    assert donation_path(silent.reference, "ar", "donations:choose") in silent_mail.body

    donation_choose(donation=refund_me, choice="refund")
    with pytest.raises(ApplicationError):
        donation_choose(donation=redirect_me, choice="redirect", target=None)
    donation_choose(donation=redirect_me, choice="redirect", target=sibling)
    donation_choose(donation=credit_me, choice="credit")
    with pytest.raises(ApplicationError) as caught:
        donation_choose(donation=credit_me, choice="refund")
    assert caught.value.code == "invalid_transition"

    assert failed_campaign_defaults(now=timezone.now() + timedelta(days=15)) == 1
    statuses = dict(Donation.objects.filter(campaign=campaign).values_list("email", "status"))
    assert statuses == {
        "r@example.org": "refunded",
        "d@example.org": "redirected",
        "c@example.org": "credited",
        "s@example.org": "refunded",
    }
    assert campaign_raised(campaign) == Decimal("0")
    assert campaign_raised(sibling) == Decimal("200.000")
    redirected = Donation.objects.get(campaign=sibling)
    assert (redirected.status, redirected.amount, redirected.receipt.number) == ("captured", Decimal("200.000"), 1)
    credit = DonorCredit.objects.get()
    assert (credit.amount, credit.currency, credit.status) == (Decimal("300.000"), "TND", "open")
    assert ledger_problems() == []


def test_credits_expire_into_the_general_fund_after_notice(mailoutbox, django_capture_on_commit_callbacks):
    campaign = builders.campaign()
    donation = builders.captured(campaign, "40", language="en")
    end(campaign)
    campaign_settle_deadline(campaign_id=campaign.pk)
    donation_choose(donation=donation, choice="credit")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert credits_expire(now=timezone.now() + timedelta(days=340)) == 0
    assert [m.subject for m in mailoutbox] == ["[Jusoor] Your Jusoor credit expires soon"]
    assert credits_expire(now=timezone.now() + timedelta(days=366)) == 1
    assert DonorCredit.objects.get().status == DonorCredit.Status.EXPIRED
    fund = Account.objects.get(key="platform:general_fund", currency="TND")
    assert account_balance(account=fund) == Decimal("-40.000")
    assert credits_expire(now=timezone.now() + timedelta(days=400)) == 0
    assert ledger_problems() == []
