"""The merchant's side of the offline test processor: what Jusoor does with testpay, as with a real processor.

`initiate` opens a session on the processor and sends the donor to its hosted page; the processor's callback is
verified (HMAC over timestamp and raw body) before anything is read from it; the return page and the reconciler
ask the processor's status API. The processor's own side is `jusoor.payments.services.testpay`.

The processor's fee comes with the success (callback `data.fee`, status API `fee`, in the payment's currency) and
is booked with the capture, whichever of them confirms the payment first.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jusoor.common.exceptions import ApplicationError
from jusoor.donations.models import DONATION_CURRENCIES
from jusoor.donations.providers import CallbackResult, PaymentStep
from jusoor.payments.error_codes import PaymentErrorCode
from jusoor.payments.models import TestPaySession
from jusoor.payments.providers import header
from jusoor.payments.providers.base import ReportingProvider
from jusoor.payments.services import events, testpay
from jusoor.payments.signing import SIGNATURE_HEADER, SignatureError, verify_signature

if TYPE_CHECKING:
    from jusoor.donations.models import Donation


def site_url(path: str) -> str:
    return settings.JUSOOR_SITE_URL.rstrip("/") + path


def callback_url(identifier: str) -> str:
    return site_url(reverse("payments_callbacks:callback", kwargs={"provider": identifier}))


def claimed_event_id(body: bytes) -> str:
    """The id an unverified body claims, for the audit row of a forged callback only (never acted on)."""
    try:
        value = json.loads(body).get("id", "")
    except (ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


class TestPayProvider(ReportingProvider):
    __test__ = False  # not a pytest test class, despite its name
    identifier = "testpay"
    verbose_name = _("Test card (no real money)")
    currencies = frozenset(DONATION_CURRENCIES)
    pledge_lifetime = timedelta(hours=2)
    refunds_online = True
    #: Asked by the reconciler about pledges still pending after 15 minutes.
    reconcilable: ClassVar[bool] = True

    def is_available(self) -> bool:
        return bool(settings.TESTPAY_ENABLED)

    def initiate(self, donation: Donation, *, return_url: str, cancel_url: str) -> PaymentStep:
        """Open a session on the test processor (or reuse the open one) and send the donor to its hosted page.
        Moves no money."""
        session = None
        if donation.provider_payment_id:
            session = TestPaySession.objects.filter(
                token=donation.provider_payment_id, status=TestPaySession.Status.OPEN
            ).first()
        if session is None:
            session = testpay.testpay_session_open(
                merchant_reference=donation.reference,
                amount=donation.amount,
                currency=donation.currency,
                return_url=return_url,
                cancel_url=cancel_url,
                callback_url=callback_url(self.identifier),
            )
            events.payment_started(donation=donation, provider_payment_id=session.token)
        with translation.override(donation.language):
            path = reverse("payments:testpay_page", kwargs={"token": session.token})
        return PaymentStep(redirect_url=site_url(path))

    def handle_callback(self, *, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        if not self.is_available():
            return CallbackResult(status=404, outcome=PaymentErrorCode.UNKNOWN_PROVIDER, detail="testpay is off")
        try:
            verify_signature(body, header(headers, SIGNATURE_HEADER), settings.TESTPAY_SECRET)
        except SignatureError as error:
            events.callback_forged(provider=self.identifier, reason=str(error), claimed_event_id=claimed_event_id(body))
            return events.forged_result()
        try:
            event = json.loads(body)
            event_id, event_type, data = str(event["id"]), str(event["type"]), event["data"]
            reference, session = str(data["merchant_reference"]), str(data["session"])
            amount, currency = Decimal(str(data["amount"])), str(data["currency"])
            fee = Decimal(str(data.get("fee", "0")))  # only a success carries its fee
        except (ValueError, KeyError, TypeError, AttributeError, InvalidOperation):
            return events.invalid_payload_result()
        if not fee.is_finite():
            return events.invalid_payload_result()

        def report() -> events.PaymentReport:
            if event_type == testpay.EVENT_SUCCEEDED:
                return events.PaymentReport(
                    outcome="succeeded",
                    reference=reference,
                    provider_payment_id=session,
                    amount=amount,
                    currency=currency,
                    fee=fee,
                )
            if event_type == testpay.EVENT_FAILED:
                return events.PaymentReport(
                    outcome="failed", reference=reference, provider_payment_id=session, detail="card declined"
                )
            return events.PaymentReport(outcome="ignored", detail=f"event type {event_type} not handled")

        return events.provider_event_handle(
            provider=self.identifier,
            event_id=event_id,
            event_type=event_type,
            payload=body.decode("utf-8", errors="replace"),
            report=report,
        )

    def payment_report(self, donation: Donation) -> events.PaymentReport:
        """The processor's status API, as a report (a success with its amount, currency and fee)."""
        answer = testpay.testpay_session_status(token=donation.provider_payment_id or "")
        if answer.status == "succeeded":
            return events.PaymentReport(
                outcome="succeeded",
                reference=donation.reference,
                provider_payment_id=donation.provider_payment_id or "",
                amount=answer.amount,
                currency=answer.currency or "",
                fee=answer.fee,
            )
        if answer.status == "failed":
            return events.PaymentReport(
                outcome="failed",
                reference=donation.reference,
                provider_payment_id=donation.provider_payment_id or "",
                detail="card declined",
            )
        return events.PaymentReport(outcome="ignored", detail="payment pending")

    def refund(self, donation: Donation, amount: Decimal) -> str:
        """The test processor accepts every refund, except of a session of its own that was not paid (donations
        captured without a session, as test fixtures do, are refunded too)."""
        session = TestPaySession.objects.filter(token=donation.provider_payment_id or "").first()
        if session is not None and session.status != TestPaySession.Status.SUCCEEDED:
            raise ApplicationError(_("The test processor has no payment to refund."), code="refund_refused")
        return f"testpay_re_{donation.reference}_{donation.refunded_amount + amount}"
