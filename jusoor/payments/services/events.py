"""Provider events (callbacks, webhooks): stored raw first, then acted on exactly once.

Every provider's `handle_callback` verifies the signature, then calls `provider_event_handle` with a function
that says what the event reports (`PaymentReport`). The raw event is stored and committed before anything else
(unique on provider + event id), so a second delivery finds it and is answered "duplicate" without acting. The
event row is locked while it is acted on, so two deliveries racing each other act once. Money only moves through
`donation_capture`, which itself locks the donation and re-checks it: the return page, the reconciler and the
callback can confirm the same payment in any order and it is captured once.

Processor fees: a report of a successful payment says what the processor kept (`PaymentReport.fee`, in
`fee_currency`). Whichever path captures first (callback, return page or reconciler, see `payment_capture`) books
it with the capture, as the ledger group "donation.processor_fee" (Dr `psp:<provider>:fees` / Cr
`psp:<provider>:clearing`, in the donation's currency). A fee charged in another currency than the donation's
(Stripe takes its fee in the account's settlement currency) is not booked: it would not come out of the clearing
account it is booked against. It is written in the event's detail and in an audit row
("payments.processor_fee.not_booked") for finance to book by hand from the payout report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.money import quantize
from jusoor.donations.error_codes import DonationErrorCode
from jusoor.donations.models import Donation
from jusoor.donations.providers import CallbackResult
from jusoor.donations.services.capture import donation_capture, donation_fail
from jusoor.payments.error_codes import PaymentErrorCode
from jusoor.payments.models import ProviderEvent

# Errors of `donation_capture` that mean "this event does not match the pledge": recorded, never retried.
REJECTING_CODES = frozenset({DonationErrorCode.AMOUNT_MISMATCH, "provider_mismatch"})
DUPLICATE = "duplicate"


class ProviderUnavailableError(ApplicationError):
    """The provider's API could not be asked (network, outage): answer 503 so that it delivers again later."""

    code = PaymentErrorCode.PROVIDER_UNAVAILABLE
    status = 503


@dataclass(frozen=True)
class PaymentReport:
    """What a verified event (or the provider's status API) says about one payment. For "succeeded",
    `amount`/`currency` are what the provider received (for Stripe: as read back from its API, not from the event
    body), and `fee` what it kept of it, in `fee_currency` ("" = the payment's currency); `fee` is None when the
    provider did not say (nothing is booked then, and the reason is recorded)."""

    outcome: Literal["succeeded", "failed", "ignored"]
    reference: str = ""
    provider_payment_id: str = ""
    amount: Decimal | None = None
    currency: str = ""
    fee: Decimal | None = Decimal("0")
    fee_currency: str = ""
    detail: str = ""

    def status(self) -> tuple[str, Decimal | None, str | None]:
        """The report as `BasePaymentProvider.query_status` answers: ("succeeded" | "failed" | "pending", amount,
        currency), the amount and currency only for a success."""
        if self.outcome == "succeeded" and self.amount is not None and self.currency:
            return "succeeded", self.amount, self.currency
        return ("failed" if self.outcome == "failed" else "pending"), None, None


def provider_event_store(*, provider: str, event_id: str, event_type: str, payload: str) -> tuple[ProviderEvent, bool]:
    """Store the raw event (its own transaction when called outside one). Returns (event, created)."""
    try:
        with transaction.atomic():
            event = ProviderEvent.objects.create(
                provider=provider, event_id=event_id[:120], event_type=event_type[:80], payload=payload
            )
        return event, True
    except IntegrityError:
        return ProviderEvent.objects.get(provider=provider, event_id=event_id[:120]), False


def provider_event_handle(
    *, provider: str, event_id: str, event_type: str, payload: str, report: Callable[[], PaymentReport]
) -> CallbackResult:
    """Store the event, then act on it once. `report` runs only for an event not yet acted on, with the event row
    locked; it may ask the provider's API and raise ProviderUnavailableError (answered 503, stored, not acted on:
    the provider's next delivery acts on it)."""
    event, _created = provider_event_store(provider=provider, event_id=event_id, event_type=event_type, payload=payload)
    if event.processed_at is not None:
        return CallbackResult(status=200, outcome=DUPLICATE, detail=event.outcome)
    try:
        with transaction.atomic():
            event = ProviderEvent.objects.select_for_update().get(pk=event.pk)
            if event.processed_at is not None:
                return CallbackResult(status=200, outcome=DUPLICATE, detail=event.outcome)
            outcome, detail, donation = _act(provider=provider, event=event, report=report())
            event.outcome = outcome
            event.detail = detail[:300]
            event.donation = donation
            event.processed_at = timezone.now()
            event.save(update_fields=["outcome", "detail", "donation", "processed_at"])
    except ApplicationError as error:
        if error.status == 503 or error.code == DonationErrorCode.BUSY:
            return CallbackResult(status=503, outcome=str(error.code), detail=str(error.message))
        raise
    return CallbackResult(status=200, outcome=outcome, detail=detail)


def _act(*, provider: str, event: ProviderEvent, report: PaymentReport) -> tuple[str, str, Donation | None]:
    if report.outcome == "ignored":
        return ProviderEvent.Outcome.IGNORED, report.detail, None
    donation = Donation.objects.filter(reference=report.reference).first() if report.reference else None
    if donation is None:
        return ProviderEvent.Outcome.IGNORED, f"no pledge with reference {report.reference!r}", None
    if report.outcome == "failed":
        return _act_failed(provider, donation, report)
    return _act_succeeded(provider, event, donation, report)


def _act_failed(provider: str, donation: Donation, report: PaymentReport) -> tuple[str, str, Donation]:
    if donation.provider != provider:
        return ProviderEvent.Outcome.IGNORED, "pledge of another payment method", donation
    donation = donation_fail(donation_id=donation.pk, reason=report.detail or f"{provider}: payment failed")
    if donation.status in (Donation.Status.CAPTURED, Donation.Status.REFUNDED):
        return ProviderEvent.Outcome.IGNORED, "failure after the payment was captured: nothing changed", donation
    return ProviderEvent.Outcome.FAILED, report.detail, donation


def _act_succeeded(
    provider: str, event: ProviderEvent, donation: Donation, report: PaymentReport
) -> tuple[str, str, Donation]:
    if report.amount is None or not report.currency:
        return _reject(event, donation, "the event gives no amount or currency")
    try:
        donation, newly, fee_note = payment_capture(
            provider=provider, donation=donation, report=report, source="callback", event=event
        )
    except ApplicationError as error:
        if error.code in REJECTING_CODES:
            return _reject(event, donation, str(error.message), paid=f"{report.amount} {report.currency.upper()}")
        raise
    return ProviderEvent.Outcome.CAPTURED, fee_note if newly else "already captured", donation


def bookable_fee(donation: Donation, report: PaymentReport) -> tuple[Decimal, str]:
    """The part of the reported fee that can be booked with the capture, and why not when it cannot:
    (fee, "") or (0, reason). Only a fee in the donation's currency, between 0 and the amount, with no more
    decimals than the currency has, is booked."""
    if report.fee is None:
        return Decimal("0"), "processor fee not reported: none booked"
    fee_currency = (report.fee_currency or report.currency).upper()
    if not report.fee:
        return Decimal("0"), ""
    if fee_currency != donation.currency:
        return Decimal("0"), (
            f"processor fee {report.fee} {fee_currency} not booked: "
            f"charged in another currency than the donation's ({donation.currency})"
        )
    if report.fee < 0 or report.fee > donation.amount or quantize(report.fee, fee_currency) != report.fee:
        return Decimal("0"), (
            f"processor fee {report.fee} {fee_currency} not booked: "
            f"not a possible fee of {donation.amount} {donation.currency}"
        )
    return report.fee, ""


def payment_capture(
    *, provider: str, donation: Donation, report: PaymentReport, source: str, event: ProviderEvent | None = None
) -> tuple[Donation, bool, str]:
    """Capture the payment that `report` says succeeded (`donation_capture`), with the processor's fee when it
    can be booked. Returns (donation, newly captured, note): the note says why a reported fee was not booked
    (also written to the audit trail), "" otherwise or when the donation was captured before.

    Raises what `donation_capture` raises (amount or provider mismatch, busy)."""
    if report.amount is None or not report.currency:
        raise ValueError("only a report of a success with its amount and currency can be captured")
    fee, note = bookable_fee(donation, report)
    with transaction.atomic():
        donation, newly = donation_capture(
            donation_id=donation.pk,
            provider=provider,
            provider_payment_id=report.provider_payment_id or donation.provider_payment_id or "",
            amount=report.amount,
            currency=report.currency,
            fee=fee,
            source=source,
        )
        if not newly:
            return donation, False, ""
        if note:
            audit_log(
                actor=None,
                action="payments.processor_fee.not_booked",
                target=donation,
                changes={
                    "fee": None if report.fee is None else str(report.fee),
                    "fee_currency": (report.fee_currency or report.currency).upper(),
                    "donation_currency": donation.currency,
                    "reason": note[:300],
                    "source": source,
                    "event": event.event_id if event is not None else None,
                },
            )
    return donation, True, note


def payment_reconcile(*, provider: str, donation: Donation, report: PaymentReport) -> str:
    """Act on what the provider's status API answered about a pledge (the return page and the reconciler, as
    `BasePaymentProvider.reconcile` does, but with the fee): capture a success, fail a failure. Returns
    "succeeded", "failed" or "pending"."""
    status, _amount, _currency = report.status()
    if status == "succeeded":
        payment_capture(provider=provider, donation=donation, report=report, source="query")
    elif status == "failed":
        donation_fail(donation_id=donation.pk, reason="provider reports failure")
    return status


def _reject(event: ProviderEvent, donation: Donation, reason: str, paid: str = "") -> tuple[str, str, Donation]:
    audit_log(
        actor=None,
        action="payments.event.rejected",
        target=event,
        changes={
            "donation": donation.reference,
            "pledged": f"{donation.amount} {donation.currency}",
            "reported": paid or None,
            "reason": reason[:300],
        },
    )
    return ProviderEvent.Outcome.REJECTED, reason, donation


def callback_forged(*, provider: str, reason: str, claimed_event_id: str = "") -> None:
    """A callback whose signature does not hold: nothing of it is stored but this audit row (the target is an
    unsaved event, so the row names the provider and the event id the body claimed)."""
    audit_log(
        actor=None,
        action="payments.callback.forged",
        target=ProviderEvent(provider=provider, event_id=claimed_event_id[:120]),
        changes={"provider": provider, "reason": reason[:300], "claimed_event_id": claimed_event_id[:120] or None},
    )


def forged_result() -> CallbackResult:
    return CallbackResult(
        status=400,
        outcome=PaymentErrorCode.INVALID_SIGNATURE,
        detail=_("The signature of this callback is not valid."),
    )


def invalid_payload_result() -> CallbackResult:
    return CallbackResult(
        status=400,
        outcome=PaymentErrorCode.INVALID_PAYLOAD,
        detail=_("This callback could not be read."),
    )


def payment_started(*, donation: Donation, provider_payment_id: str) -> None:
    """Remember the provider's id of the payment just created (checkout session, test session) on the pledge."""
    with transaction.atomic():
        updated = Donation.objects.filter(pk=donation.pk, status=Donation.Status.PENDING).update(
            provider_payment_id=provider_payment_id, updated_at=timezone.now()
        )
        if updated:
            audit_log(
                actor=None,
                action="payments.payment.started",
                target=donation,
                changes={
                    "provider_payment_id": {"old": donation.provider_payment_id, "new": provider_payment_id},
                    "provider": donation.provider,
                },
            )
            donation.provider_payment_id = provider_payment_id
