"""What happens at a campaign's deadline, and the donors' choices when an all-or-nothing campaign fails.

`campaign_settle_deadline` runs from the scheduler (every few minutes) for live campaigns past their deadline:
  * bank transfers still pending → "waiting for funds" (settled again when they arrive or expire);
  * goal (or minimum goal) reached, or keep-what-you-raise with money → succeeded: matches are paid;
  * otherwise → failed: matches go back to their pots and each donor chooses within 14 days between a refund,
    giving to another live campaign of the same territory, or a 12-month credit; no answer means a refund.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.campaigns.models import Campaign
from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.mail import mail_queue
from jusoor.donations.error_codes import DonationErrorCode
from jusoor.donations.links import donation_url
from jusoor.donations.models import Donation, DonorCredit, Match, Refund
from jusoor.donations.providers import get_provider
from jusoor.donations.selectors import campaign_raised
from jusoor.donations.services import accounts
from jusoor.donations.services.capture import _locked, _next_receipt_number
from jusoor.donations.services.matching import match_release, match_settle
from jusoor.donations.services.pledge import new_reference
from jusoor.donations.services.refunds import donation_refund
from jusoor.finance.services import ledger_post

CHOICE_DAYS = 14
CREDIT_MONTHS_DAYS = 365
CREDIT_NOTICE_DAYS = 30


def _reached(campaign: Campaign, raised: Decimal, matched: Decimal) -> bool:
    if campaign.funding_model == Campaign.FundingModel.KEEP_WHAT_YOU_RAISE:
        return raised > 0
    threshold = campaign.minimum_goal or campaign.goal
    return raised + matched >= threshold


def campaign_settle_deadline(*, campaign_id: int, now: Any = None) -> Campaign:
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign_id)
        if campaign.status not in (Campaign.Status.LIVE, Campaign.Status.WAITING_FUNDS) or campaign.ends_at > now:
            return campaign
        old = campaign.status
        waiting = Donation.objects.filter(
            campaign=campaign, status=Donation.Status.PENDING, provider="bank_transfer", expires_at__gt=now
        ).exists()
        matches = list(Match.objects.filter(donation__campaign=campaign, status=Match.Status.RESERVED))
        matched = sum((m.amount for m in matches), Decimal("0"))
        if waiting:
            campaign.status = Campaign.Status.WAITING_FUNDS
        elif _reached(campaign, campaign_raised(campaign), matched):
            campaign.status = Campaign.Status.SUCCEEDED
            for match in matches:
                match_settle(match=match)
        else:
            campaign.status = Campaign.Status.FAILED
            for match in matches:
                match_release(match=match, reason="campaign failed")
            _ask_donors(campaign, now)
        if campaign.status == old:
            return campaign
        campaign.status_changed_at = now
        campaign.save(update_fields=["status", "status_changed_at", "updated_at"])
        audit_log(
            actor=None,
            action="campaigns.campaign.deadline",
            target=campaign,
            changes={"status": {"old": old, "new": campaign.status}},
        )
        return campaign


def _ask_donors(campaign: Campaign, now: Any) -> None:
    deadline = now + timedelta(days=CHOICE_DAYS)
    donations = list(Donation.objects.filter(campaign=campaign, status=Donation.Status.CAPTURED))
    Donation.objects.filter(pk__in=[d.pk for d in donations]).update(choice_deadline=deadline)
    for donation in donations:
        mail_queue(
            template_prefix="donations/email/campaign_failed",
            to=donation.email,
            language=donation.language,
            context={
                "donation": donation,
                "campaign": campaign,
                "deadline": deadline,
                "days": CHOICE_DAYS,
                "url": donation_url(donation.reference, donation.language, "donations:choose"),
            },
        )


def redirect_targets(donation: Donation) -> list[Campaign]:
    """Live campaigns of the same territory and currency that can receive a redirected donation."""
    return list(
        Campaign.objects.live()
        .filter(territory_id=donation.campaign.territory_id, currency=donation.campaign_currency)
        .exclude(pk=donation.campaign_id)
        .order_by("ends_at")
    )


def donation_choose(
    *, donation: Donation, choice: str, target: Campaign | None = None, acting_user: Any = None
) -> Donation:
    """Apply a donor's choice for a donation to a failed campaign (exactly once)."""
    if choice not in Donation.FailedCampaignChoice.values:
        raise ApplicationError(_("Choose one of the options."), code=DonationErrorCode.CHOICE_INVALID)
    if choice == Donation.FailedCampaignChoice.REFUND:
        with transaction.atomic():
            locked = _locked(donation.pk)
            _check_open(locked)
            refund_with_provider(donation=locked, amount=locked.refundable_amount, reason="campaign failed")
            Donation.objects.filter(pk=locked.pk).update(failed_campaign_choice=choice)
        return Donation.objects.get(pk=donation.pk)
    with transaction.atomic(), accounts.money_lock_timeout():
        locked = _locked(donation.pk)
        _check_open(locked)
        amount = locked.campaign_amount - sum((r.campaign_amount for r in locked.refunds.all()), Decimal("0"))
        source = accounts.campaign_funds(locked.campaign_id, locked.campaign_currency)
        if choice == Donation.FailedCampaignChoice.REDIRECT:
            if target is None or target.pk not in {c.pk for c in redirect_targets(locked)}:
                raise ApplicationError(
                    _("Choose a live campaign of the same territory."), code=DonationErrorCode.CHOICE_INVALID
                )
            destination = accounts.campaign_funds(target.pk, target.currency)
            new = _redirected_donation(locked, target, amount)
            group = ledger_post(
                kind="donation.redirected",
                lines=[(source, amount), (destination, -amount)],
                acting_user=acting_user,
                memo=f"{locked.reference} → {new.reference}",
                idempotency_key=f"donation:{locked.pk}:redirect",
            )
            Donation.objects.filter(pk=new.pk).update(capture_group_id=group.pk)
            locked.redirected_to = new
            locked.status = Donation.Status.REDIRECTED
        else:
            ledger_post(
                kind="donation.credited",
                lines=[(source, amount), (accounts.donor_credits(locked.campaign_currency), -amount)],
                acting_user=acting_user,
                memo=locked.reference,
                idempotency_key=f"donation:{locked.pk}:credit",
            )
            DonorCredit.objects.create(
                donation=locked,
                email=locked.email,
                amount=amount,
                currency=locked.campaign_currency,
                expires_at=timezone.now() + timedelta(days=CREDIT_MONTHS_DAYS),
            )
            locked.status = Donation.Status.CREDITED
        locked.failed_campaign_choice = choice
        locked.save(update_fields=["status", "failed_campaign_choice", "redirected_to", "updated_at"])
        audit_log(
            actor=acting_user, action=f"donations.donation.{choice}", target=locked, changes={"amount": str(amount)}
        )
        return locked


def _check_open(donation: Donation) -> None:
    if (
        donation.campaign.status != Campaign.Status.FAILED
        or donation.status != Donation.Status.CAPTURED
        or donation.failed_campaign_choice
    ):
        raise ApplicationError(
            _("This donation has no choice to make, or it was already made."),
            code=DonationErrorCode.INVALID_TRANSITION,
        )


def _redirected_donation(original: Donation, target: Campaign, amount: Decimal) -> Donation:
    from jusoor.donations.models import Receipt

    new = Donation.objects.create(
        campaign=target,
        reference=new_reference(),
        donor=original.donor,
        email=original.email,
        name=original.name,
        country_of_residence=original.country_of_residence,
        language=original.language,
        amount=amount,
        currency=original.campaign_currency,
        campaign_amount=amount,
        campaign_currency=target.currency,
        rate=Decimal("1"),
        rate_day=timezone.localdate(),
        message=original.message,
        anonymous_public=original.anonymous_public,
        anonymous_to_organization=original.anonymous_to_organization,
        status=Donation.Status.CAPTURED,
        provider="redirect",
        captured_at=timezone.now(),
    )
    Receipt.objects.create(
        organization_id=target.organization_id, number=_next_receipt_number(target.organization_id), donation=new
    )
    return new


def refund_with_provider(
    *, donation: Donation, amount: Decimal, reason: str, acting_user: Any = None, idempotency_key: str | None = None
) -> Any:
    """Book the refund and, for providers that refund online, ask them inside the same transaction: if the
    provider refuses, nothing is booked. Offline providers (bank transfer) are refunded by finance staff."""
    with transaction.atomic():
        already = (
            Refund.objects.filter(donation=donation, idempotency_key=idempotency_key).first()
            if idempotency_key
            else None
        )
        if already is not None:  # the same request again: the refund (and the provider's) happened once
            return already
        refund = donation_refund(
            donation=donation, amount=amount, reason=reason, acting_user=acting_user, idempotency_key=idempotency_key
        )
        provider = get_provider(donation.provider)
        if provider is not None and provider.refunds_online:
            refund.provider_refund_id = provider.refund(donation, refund.amount)[:120]
            refund.save(update_fields=["provider_refund_id", "updated_at"])
        return refund


def failed_campaign_defaults(*, now: Any = None) -> int:
    """Donors who did not answer within 14 days are refunded."""
    now = now or timezone.now()
    ids = Donation.objects.filter(
        status=Donation.Status.CAPTURED,
        campaign__status=Campaign.Status.FAILED,
        failed_campaign_choice="",
        choice_deadline__lte=now,
    ).values_list("pk", flat=True)
    done = 0
    for donation in Donation.objects.filter(pk__in=list(ids)).select_related("campaign"):
        donation_choose(donation=donation, choice=Donation.FailedCampaignChoice.REFUND)
        done += 1
    return done


def credits_expire(*, now: Any = None) -> int:
    """Send notice 30 days before a credit expires; expired credits go to the platform's general fund."""
    now = now or timezone.now()
    for credit in DonorCredit.objects.filter(
        status=DonorCredit.Status.OPEN,
        notice_sent_at__isnull=True,
        expires_at__lte=now + timedelta(days=CREDIT_NOTICE_DAYS),
    ).select_related("donation"):
        with transaction.atomic():
            DonorCredit.objects.filter(pk=credit.pk).update(notice_sent_at=now)
            mail_queue(
                template_prefix="donations/email/credit_expiring",
                to=credit.email,
                language=credit.donation.language,
                context={"credit": credit},
            )
    expired = 0
    for credit_id in DonorCredit.objects.filter(status=DonorCredit.Status.OPEN, expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            credit = DonorCredit.objects.select_for_update().get(pk=credit_id)
            if credit.status != DonorCredit.Status.OPEN:
                continue
            ledger_post(
                kind="credit.expired",
                lines=[
                    (accounts.donor_credits(credit.currency), credit.amount),
                    (accounts.general_fund(credit.currency), -credit.amount),
                ],
                idempotency_key=f"credit:{credit.pk}:expired",
            )
            credit.status = DonorCredit.Status.EXPIRED
            credit.save(update_fields=["status", "updated_at"])
            audit_log(
                actor=None, action="donations.credit.expired", target=credit, changes={"amount": str(credit.amount)}
            )
            expired += 1
    return expired
