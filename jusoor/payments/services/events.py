"""Provider events (callbacks, webhooks): stored raw first, then acted on exactly once.

Every provider's `handle_callback` verifies the signature, then calls `provider_event_handle` with a function
that says what the event reports (`PaymentReport`). The raw event is stored and committed before anything else
(unique on provider + event id), so a second delivery finds it and is answered "duplicate" without acting. The
event row is locked while it is acted on, so two deliveries racing each other act once. Money only moves through
`donation_capture`, which itself locks the donation and re-checks it: the return page, the reconciler and the
callback can confirm the same payment in any order and it is captured once.
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
    """What a verified event says about one payment. For "succeeded", `amount`/`currency` are what the provider
    received (for Stripe: as read back from its API, not from the event body)."""

    outcome: Literal["succeeded", "failed", "ignored"]
    reference: str = ""
    provider_payment_id: str = ""
    amount: Decimal | None = None
    currency: str = ""
    fee: Decimal = Decimal("0")
    detail: str = ""


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
        donation, newly = donation_capture(
            donation_id=donation.pk,
            provider=provider,
            provider_payment_id=report.provider_payment_id,
            amount=report.amount,
            currency=report.currency,
            fee=report.fee,
            source="callback",
        )
    except ApplicationError as error:
        if error.code in REJECTING_CODES:
            return _reject(event, donation, str(error.message), paid=f"{report.amount} {report.currency.upper()}")
        raise
    return ProviderEvent.Outcome.CAPTURED, "" if newly else "already captured", donation


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
