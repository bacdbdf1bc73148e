"""Stripe Checkout: the donor pays on Stripe's hosted page; Stripe's webhook and the return page confirm it.

Nothing in a webhook body is trusted for money: after the signature is verified (`stripe.Webhook.construct_event`)
and the raw event stored, the Checkout Session is read back from Stripe's API and its `amount_total`, `currency`
and `payment_status` are checked against the pledge before `donation_capture`. Idempotency keys make a repeated
`initiate` return the same session and a repeated refund the same refund.

Processor fee: the session is read with its payment expanded down to the balance transaction
(`payment_intent.latest_charge.balance_transaction`), whose `fee` is what Stripe kept, in minor units of the balance
transaction's currency. Stripe settles in the account's currency: a EUR account paid 25.00 EUR has a EUR balance
transaction and its fee (e.g. 60 = 0.60 EUR) is booked with the capture; a USD payment to that account is settled
in EUR, so its fee (in EUR) cannot come out of the USD clearing account and is only recorded (event detail and an
audit row "payments.processor_fee.not_booked"), for finance to book from Stripe's payout report.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

import stripe
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jusoor.common.exceptions import ApplicationError
from jusoor.common.money import precision, quantize
from jusoor.donations.providers import CallbackResult, PaymentStep
from jusoor.payments.error_codes import PaymentErrorCode
from jusoor.payments.providers import header
from jusoor.payments.providers.base import ReportingProvider
from jusoor.payments.services import events

if TYPE_CHECKING:
    from jusoor.donations.models import Donation

STRIPE_CURRENCIES = frozenset({"EUR", "USD", "CAD"})
SESSION_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    }
)
FAILING_EVENTS = frozenset({"checkout.session.async_payment_failed", "checkout.session.expired"})
CHECKOUT_LOCALES = {"fr": "fr", "en": "en"}  # Arabic: Stripe picks from the browser ("auto")
# Read with every session: the payment's balance transaction, which holds Stripe's fee (three levels, of four allowed).
FEE_EXPANSION = "payment_intent.latest_charge.balance_transaction"
# Stripe accepts a session expiry between 30 minutes and 24 hours from its creation.
MIN_SESSION_LIFETIME = timedelta(minutes=31)
MAX_SESSION_LIFETIME = timedelta(hours=23)


def to_minor(amount: Decimal, currency: str) -> int:
    """An amount in the currency's smallest unit (cents), refusing anything that would be rounded."""
    if quantize(amount, currency) != amount:
        raise ValueError(f"{amount} has more decimals than {currency} allows")
    return int(amount.scaleb(precision(currency)))


def from_minor(value: int, currency: str) -> Decimal:
    return Decimal(value).scaleb(-precision(currency))


def _expanded(value: Any) -> Any:
    """An expanded object of a Stripe response, or None when it is absent or only an id."""
    return None if value is None or isinstance(value, str) else value


def session_fee(session: Any) -> tuple[Decimal | None, str]:
    """Stripe's fee for the session's payment and its currency, from the expanded balance transaction;
    (None, "") when the session has none (not expanded, or not settled yet)."""
    payment_intent = _expanded(getattr(session, "payment_intent", None))
    charge = _expanded(getattr(payment_intent, "latest_charge", None)) if payment_intent is not None else None
    transaction = _expanded(getattr(charge, "balance_transaction", None)) if charge is not None else None
    fee = getattr(transaction, "fee", None) if transaction is not None else None
    currency = str(getattr(transaction, "currency", None) or "").upper()
    if fee is None or not currency:
        return None, ""
    return from_minor(int(fee), currency), currency


def unavailable(error: Exception) -> events.ProviderUnavailableError:
    return events.ProviderUnavailableError(
        _("Card payments are not available right now. Please try again in a few minutes or choose another method.")
    )


class StripeCheckoutProvider(ReportingProvider):
    identifier = "stripe"
    verbose_name = _("Card (Stripe)")
    currencies = STRIPE_CURRENCIES
    pledge_lifetime = timedelta(hours=2)
    refunds_online = True
    reconcilable: ClassVar[bool] = True

    def is_available(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY)

    # --- Stripe's API -------------------------------------------------------------------------------------
    def retrieve_session(self, session_id: str) -> Any:
        """The Checkout Session, with its payment expanded down to the balance transaction (the fee)."""
        try:
            return stripe.checkout.Session.retrieve(
                session_id, api_key=settings.STRIPE_SECRET_KEY, expand=[FEE_EXPANSION]
            )
        except stripe.StripeError as error:
            raise unavailable(error) from error

    def initiate(self, donation: Donation, *, return_url: str, cancel_url: str) -> PaymentStep:
        """Create the Checkout Session (idempotency key: the pledge reference, so a repeated call returns the same
        session) and store its id on the pledge. Moves no money."""
        if donation.provider_payment_id:  # started before: resume it while it is open
            session = self.retrieve_session(donation.provider_payment_id)
            if session.status == "open" and session.url:
                return PaymentStep(redirect_url=session.url or "")
            raise ApplicationError(
                _("This payment can no longer be completed. Please make a new donation."),
                code=PaymentErrorCode.SESSION_CLOSED,
            )
        with translation.override(donation.language):
            name = gettext("Donation to “%(campaign)s”") % {"campaign": donation.campaign.title}
        separator = "&" if "?" in return_url else "?"
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": donation.currency.lower(),
                        "unit_amount": to_minor(donation.amount, donation.currency),
                        "product_data": {"name": name[:250]},
                    },
                }
            ],
            "client_reference_id": donation.reference,
            "metadata": {"donation_reference": donation.reference},
            "payment_intent_data": {"metadata": {"donation_reference": donation.reference}},
            "customer_email": donation.email,
            "locale": CHECKOUT_LOCALES.get(donation.language, "auto"),
            "success_url": f"{return_url}{separator}session_id={{CHECKOUT_SESSION_ID}}",
            "cancel_url": cancel_url,
        }
        now = timezone.now()
        if donation.expires_at and now + MIN_SESSION_LIFETIME <= donation.expires_at <= now + MAX_SESSION_LIFETIME:
            params["expires_at"] = int(donation.expires_at.timestamp())
        try:
            session = stripe.checkout.Session.create(
                api_key=settings.STRIPE_SECRET_KEY, idempotency_key=donation.reference, **params
            )
        except stripe.StripeError as error:
            raise unavailable(error) from error
        events.payment_started(donation=donation, provider_payment_id=session.id)
        return PaymentStep(redirect_url=session.url or "")

    # --- Webhook ------------------------------------------------------------------------------------------
    def handle_callback(self, *, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        if not settings.STRIPE_WEBHOOK_SECRET:
            return CallbackResult(status=404, outcome=PaymentErrorCode.UNKNOWN_PROVIDER, detail="stripe is off")
        try:
            event = stripe.Webhook.construct_event(
                body, header(headers, "Stripe-Signature"), settings.STRIPE_WEBHOOK_SECRET
            )
        except stripe.SignatureVerificationError as error:
            from jusoor.payments.providers.testpay import claimed_event_id  # noqa: PLC0415

            events.callback_forged(
                provider=self.identifier,
                reason=str(error.user_message or error),
                claimed_event_id=claimed_event_id(body),
            )
            return events.forged_result()
        except ValueError:  # signed, but not a Stripe event
            return events.invalid_payload_result()
        event_type = str(event.type)
        session_id = str(getattr(event.data.object, "id", "") or "") if event_type in SESSION_EVENTS else ""

        def report() -> events.PaymentReport:
            if not session_id:
                return events.PaymentReport(outcome="ignored", detail=f"event type {event_type} not handled")
            return self.session_report(self.retrieve_session(session_id), failing=event_type in FAILING_EVENTS)

        return events.provider_event_handle(
            provider=self.identifier,
            event_id=str(event.id),
            event_type=event_type,
            payload=body.decode("utf-8", errors="replace"),
            report=report,
        )

    @staticmethod
    def session_report(session: Any, *, failing: bool = False) -> events.PaymentReport:
        """What the Checkout Session, as read from the API, says. A paid session is a success whatever event
        brought us here, with Stripe's fee from its balance transaction; an unpaid one is a failure only after a
        failing event or once expired."""
        metadata = session.metadata.to_dict() if getattr(session, "metadata", None) else {}
        reference = getattr(session, "client_reference_id", None) or metadata.get("donation_reference", "")
        currency = str(getattr(session, "currency", None) or "").upper()
        if session.payment_status == "paid":
            amount_total = getattr(session, "amount_total", None)
            amount = from_minor(amount_total, currency) if amount_total is not None and currency else None
            fee, fee_currency = session_fee(session)
            return events.PaymentReport(
                outcome="succeeded",
                reference=reference,
                provider_payment_id=session.id,
                amount=amount,
                currency=currency,
                fee=fee,
                fee_currency=fee_currency,
            )
        if failing or session.status == "expired":
            detail = "checkout session expired" if session.status == "expired" else "asynchronous payment failed"
            return events.PaymentReport(
                outcome="failed", reference=reference, provider_payment_id=session.id, detail=detail
            )
        return events.PaymentReport(outcome="ignored", detail=f"payment_status={session.payment_status}")

    # --- Return page, reconciler, refunds -----------------------------------------------------------------
    def payment_report(self, donation: Donation) -> events.PaymentReport:
        return self.session_report(self.retrieve_session(donation.provider_payment_id or ""))

    def refund(self, donation: Donation, amount: Decimal) -> str:
        """Refund `amount` of the session's payment through Stripe; returns the refund id (re_…). The idempotency
        key names the refund by what was refunded before it, so a retried call cannot refund twice."""
        if not donation.provider_payment_id:
            raise ApplicationError(_("This donation has no card payment to refund."), code="refund_refused")
        session = self.retrieve_session(donation.provider_payment_id)
        payment_intent = session.payment_intent
        payment_intent_id = payment_intent if isinstance(payment_intent, str) else getattr(payment_intent, "id", "")
        if not payment_intent_id:
            raise ApplicationError(_("This donation has no card payment to refund."), code="refund_refused")
        try:
            refund = stripe.Refund.create(
                api_key=settings.STRIPE_SECRET_KEY,
                idempotency_key=f"{donation.reference}-refund-{donation.refunded_amount}-{amount}",
                payment_intent=payment_intent_id,
                amount=to_minor(amount, donation.currency),
                metadata={"donation_reference": donation.reference},
            )
        except stripe.InvalidRequestError as error:
            raise ApplicationError(
                _("Stripe refused the refund: %(reason)s") % {"reason": error.user_message or error.code or ""},
                code="refund_refused",
            ) from error
        except stripe.StripeError as error:
            raise unavailable(error) from error
        return str(refund.id)
