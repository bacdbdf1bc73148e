"""Confirming a payment: the one place where a donation's money enters the ledger.

The return page, the provider's callback, the reconciler and the bank-statement matcher all call
`donation_capture`. Whichever comes first confirms the payment; the others find the donation already captured
(row lock + state re-check) and change nothing. Lock order everywhere: donation, then matching pots (by pk),
then the organisation's receipt sequence.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.mail import mail_queue
from jusoor.common.money import quantize
from jusoor.donations.error_codes import DonationErrorCode
from jusoor.donations.links import donation_url
from jusoor.donations.models import Donation, Receipt
from jusoor.donations.services import accounts
from jusoor.donations.services.matching import match_reserve
from jusoor.finance.services import ledger_post


def _locked(donation_id: int) -> Donation:
    return (
        Donation.objects.select_for_update(of=("self",))
        .select_related("campaign__organization", "campaign__territory__parent__parent")
        .get(pk=donation_id)
    )


def capture_lines(donation: Donation) -> list[tuple[Any, Decimal]]:
    """The entries of a capture: received in the donor's currency, owed to the campaign in its own."""
    campaign_id = donation.campaign_id
    if donation.currency == donation.campaign_currency:
        return [
            (accounts.clearing(donation.provider, donation.currency), donation.amount),
            (accounts.campaign_funds(campaign_id, donation.currency), -donation.amount),
        ]
    return [
        (accounts.clearing(donation.provider, donation.currency), donation.amount),
        (accounts.fx_position(donation.currency), -donation.amount),
        (accounts.fx_position(donation.campaign_currency), donation.campaign_amount),
        (accounts.campaign_funds(campaign_id, donation.campaign_currency), -donation.campaign_amount),
    ]


def _next_receipt_number(organization_id: int) -> int:
    """Take the next number of the organisation's sequence. The UPDATE holds the row lock until commit, so a
    rolled-back capture gives its number back: receipts are numbered without gaps."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO donations_receiptsequence (organization_id, last_number) VALUES (%s, 0) "
            "ON CONFLICT (organization_id) DO NOTHING",
            [organization_id],
        )
        cursor.execute(
            "UPDATE donations_receiptsequence SET last_number = last_number + 1 "
            "WHERE organization_id = %s RETURNING last_number",
            [organization_id],
        )
        return int(cursor.fetchone()[0])


def _platform_fee(donation: Donation) -> Decimal:
    percent = Decimal(str(getattr(settings, "JUSOOR_PLATFORM_FEE_PERCENT", "0")))
    return quantize(donation.campaign_amount * percent / 100, donation.campaign_currency) if percent else Decimal(0)


def donation_capture(
    *,
    donation_id: int,
    provider: str,
    provider_payment_id: str,
    amount: Decimal,
    currency: str,
    fee: Decimal = Decimal("0"),
    acting_user: Any = None,
    source: str = "",
) -> tuple[Donation, bool]:
    """Record that the money of a pledge was received. Returns (donation, True) the first time, and
    (donation, False) when it was already captured — nothing is written then.

    Raises ApplicationError `amount_mismatch` when the provider reports another amount or currency than the
    pledge (nothing is written; the caller records the event as rejected), and `invalid_transition` for a
    refunded donation."""
    with transaction.atomic(), accounts.money_lock_timeout():
        donation = _locked(donation_id)
        if donation.status in (Donation.Status.CAPTURED, Donation.Status.REFUNDED):
            return donation, False
        if donation.provider != provider:
            raise ApplicationError(_("This payment belongs to another payment method."), code="provider_mismatch")
        if amount != donation.amount or currency.upper() != donation.currency:
            raise ApplicationError(
                _("The amount paid (%(paid)s %(paid_currency)s) differs from the pledge (%(amount)s %(currency)s).")
                % {
                    "paid": amount,
                    "paid_currency": currency.upper(),
                    "amount": donation.amount,
                    "currency": donation.currency,
                },
                code=DonationErrorCode.AMOUNT_MISMATCH,
            )
        old_status = donation.status
        group = ledger_post(
            kind="donation.captured",
            lines=capture_lines(donation),
            acting_user=acting_user,
            memo=donation.reference,
            idempotency_key=f"donation:{donation.pk}:capture",
        )
        if fee:
            ledger_post(
                kind="donation.processor_fee",
                lines=[
                    (accounts.processor_fees(provider, donation.currency), fee),
                    (accounts.clearing(provider, donation.currency), -fee),
                ],
                memo=donation.reference,
                idempotency_key=f"donation:{donation.pk}:processor_fee",
            )
        platform_fee = _platform_fee(donation)
        if platform_fee:
            ledger_post(
                kind="donation.platform_fee",
                lines=[
                    (accounts.campaign_funds(donation.campaign_id, donation.campaign_currency), platform_fee),
                    (accounts.platform_fees(donation.campaign_currency), -platform_fee),
                ],
                memo=donation.reference,
                idempotency_key=f"donation:{donation.pk}:platform_fee",
            )
        donation.status = Donation.Status.CAPTURED
        donation.captured_at = timezone.now()
        donation.capture_group_id = group.pk
        donation.provider_payment_id = provider_payment_id or donation.provider_payment_id
        donation.save(update_fields=["status", "captured_at", "capture_group_id", "provider_payment_id", "updated_at"])
        match = match_reserve(donation=donation)
        receipt = Receipt.objects.create(
            organization_id=donation.campaign.organization_id,
            number=_next_receipt_number(donation.campaign.organization_id),
            donation=donation,
        )
        audit_log(
            actor=acting_user,
            action="donations.donation.captured",
            target=donation,
            changes={
                "status": {"old": old_status, "new": donation.status},
                "ledger_group": group.pk,
                "receipt": receipt.number,
                "match": str(match.amount) if match else None,
                "source": source,
            },
        )
        # Rendered after commit: the pot and receipt-sequence locks taken above are held until the commit, so
        # nothing that can wait runs between them and it.
        transaction.on_commit(lambda: _mail_captured(donation, receipt))
        return donation, True


def _mail_captured(donation: Donation, receipt: Receipt) -> None:
    mail_queue(
        template_prefix="donations/email/donation_captured",
        to=donation.email,
        language=donation.language,
        context={
            "donation": donation,
            "campaign": donation.campaign,
            "receipt": receipt,
            "url": donation_url(donation.reference, donation.language),
            "receipt_url": donation_url(donation.reference, donation.language, "donations:receipt_token"),
        },
    )


def donation_fail(*, donation_id: int, reason: str, acting_user: Any = None) -> Donation:
    """The provider says the payment failed. A captured donation stays captured (a late failure after a
    success changes nothing); a pending one becomes failed, which a later success can still capture."""
    with transaction.atomic():
        donation = _locked(donation_id)
        if donation.status != Donation.Status.PENDING:
            return donation
        donation.status = Donation.Status.FAILED
        donation.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=acting_user,
            action="donations.donation.failed",
            target=donation,
            changes={"status": {"old": Donation.Status.PENDING, "new": donation.status}, "reason": reason[:300]},
        )
        return donation


def donations_expire(*, now: Any = None) -> int:
    """Pending pledges past their expiry (unpaid bank transfers, abandoned card pages) become expired."""
    now = now or timezone.now()
    expired = 0
    for donation_id in Donation.objects.filter(status=Donation.Status.PENDING, expires_at__lte=now).values_list(
        "id", flat=True
    ):
        with transaction.atomic():
            donation = _locked(donation_id)
            if donation.status != Donation.Status.PENDING:
                continue
            donation.status = Donation.Status.EXPIRED
            donation.save(update_fields=["status", "updated_at"])
            audit_log(
                actor=None,
                action="donations.donation.expired",
                target=donation,
                changes={"status": {"old": Donation.Status.PENDING, "new": donation.status}},
            )
            expired += 1
    return expired
