"""Refunds: partial or full, never more than what was captured minus what was already refunded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.mail import mail_queue
from jusoor.common.money import format_money, quantize
from jusoor.donations.error_codes import DonationErrorCode
from jusoor.donations.links import donation_url
from jusoor.donations.models import Donation, Match, Refund
from jusoor.donations.services import accounts
from jusoor.donations.services.capture import _locked
from jusoor.donations.services.matching import match_release
from jusoor.donations.services.pledge import parse_amount
from jusoor.finance.services import ledger_post


def refund_lines(donation: Donation, amount: Decimal, campaign_amount: Decimal) -> list[tuple[Any, Decimal]]:
    """The mirror of the capture for `amount` (donor's currency) / `campaign_amount` (campaign's)."""
    if donation.currency == donation.campaign_currency:
        return [
            (accounts.campaign_funds(donation.campaign_id, donation.currency), amount),
            (accounts.clearing(donation.provider, donation.currency), -amount),
        ]
    return [
        (accounts.campaign_funds(donation.campaign_id, donation.campaign_currency), campaign_amount),
        (accounts.fx_position(donation.campaign_currency), -campaign_amount),
        (accounts.fx_position(donation.currency), amount),
        (accounts.clearing(donation.provider, donation.currency), -amount),
    ]


def donation_refund(
    *,
    donation: Donation,
    amount: Any,
    reason: str,
    acting_user: Any = None,
    provider_refund_id: str = "",
    idempotency_key: str | None = None,
) -> Refund:
    """Book a refund of `amount` in the donor's currency. The last refund takes exactly what is left in the
    campaign's currency too, so rounding never leaves a millime behind. A full refund releases the match."""
    with transaction.atomic(), accounts.money_lock_timeout():
        donation = _locked(donation.pk)
        if idempotency_key:
            existing = Refund.objects.filter(donation=donation, idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        if donation.status != Donation.Status.CAPTURED:
            raise ApplicationError(
                _("Only a received donation can be refunded."), code=DonationErrorCode.INVALID_TRANSITION
            )
        amount, _currency = parse_amount(amount, donation.currency)
        if amount > donation.refundable_amount:
            raise ApplicationError(
                _("At most %(left)s can still be refunded.")
                % {"left": format_money(donation.refundable_amount, donation.currency, get_language() or "en")},
                code=DonationErrorCode.REFUND_TOO_LARGE,
                extra={"fields": {"amount": [_("This is more than what is left to refund.")]}},
            )
        already = sum((r.campaign_amount for r in donation.refunds.all()), Decimal("0"))
        if amount == donation.refundable_amount:
            campaign_amount = donation.campaign_amount - already
        else:
            campaign_amount = quantize(donation.campaign_amount * amount / donation.amount, donation.campaign_currency)
        group = ledger_post(
            kind="donation.refunded",
            lines=[line for line in refund_lines(donation, amount, campaign_amount) if line[1] != 0],
            acting_user=acting_user,
            memo=reason[:255],
        )
        refund = Refund.objects.create(
            donation=donation,
            amount=amount,
            campaign_amount=campaign_amount,
            reason=reason[:300],
            provider_refund_id=provider_refund_id,
            idempotency_key=idempotency_key or None,
            ledger_group_id=group.pk,
            created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        donation.refunded_amount += amount
        fields = ["refunded_amount", "updated_at"]
        if donation.refunded_amount == donation.amount:
            donation.status = Donation.Status.REFUNDED
            fields.append("status")
            match = Match.objects.filter(donation=donation).first()
            if match is not None:
                match_release(match=match, reason=reason, acting_user=acting_user)
        donation.save(update_fields=fields)
        audit_log(
            actor=acting_user,
            action="donations.donation.refunded",
            target=donation,
            changes={"amount": str(amount), "refunded": str(donation.refunded_amount), "reason": reason[:300]},
        )
        mail_queue(
            template_prefix="donations/email/donation_refunded",
            to=donation.email,
            language=donation.language,
            context={
                "donation": donation,
                "campaign": donation.campaign,
                "refund": refund,
                "url": donation_url(donation.reference, donation.language),
            },
        )
        return refund
