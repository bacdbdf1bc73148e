"""The payment-provider interface and its registry.

Concrete providers live in `jusoor.payments.providers` and register themselves when that app is ready
(`PaymentsConfig.ready`), so the donation pages here only know this interface.

Money only ever enters the ledger through `jusoor.donations.services.capture.donation_capture`; a provider
*reports* what happened (callback, return page, status query, bank statement) and calls that service.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.functional import Promise

if TYPE_CHECKING:
    from jusoor.donations.models import Donation


@dataclass(frozen=True)
class PaymentStep:
    """What the donor does next: go to `redirect_url` (a hosted payment page), or follow `instructions`
    (a bank transfer: IBAN, reference, amount)."""

    redirect_url: str = ""
    instructions: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CallbackResult:
    """How a callback was handled. `status` is the HTTP status to answer the provider with."""

    status: int
    outcome: str
    detail: str = ""


class BasePaymentProvider:
    #: Stable identifier stored on donations and used in URLs (`/api/v1/payments/<identifier>/callback/`).
    identifier: ClassVar[str] = ""
    #: Name shown to donors.
    verbose_name: ClassVar[str | Promise] = ""
    #: Currencies the provider can take a payment in.
    currencies: ClassVar[frozenset[str]] = frozenset()
    #: How long a pledge waits for its money before it expires.
    pledge_lifetime: ClassVar[timedelta] = timedelta(hours=2)
    #: Whether a captured payment can be refunded through the provider's API (else finance refunds by hand).
    refunds_online: ClassVar[bool] = False

    def is_available(self) -> bool:
        """Whether the provider is configured (e.g. has its API keys). Unavailable providers are hidden."""
        return True

    def initiate(self, donation: Donation, *, return_url: str, cancel_url: str) -> PaymentStep:
        """Runs right after the pledge is saved, in the donor's request. Creates the payment at the provider
        (e.g. a checkout session) and stores its id on the donation. It must NEVER move money or capture: the
        donor has not paid yet. Raise ApplicationError if the provider refuses."""
        raise NotImplementedError

    def handle_callback(self, *, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        """Runs when the provider calls us (webhook). Must verify the signature before anything else, store
        the raw event (unique on provider + event id, so a second delivery is a no-op), then re-check amount
        and currency against the pledge and call `donation_capture` / `donation_fail`. Never trusts the body's
        amount without that check. Must be safe to run twice and in any order."""
        raise NotImplementedError

    def confirm_return(self, donation: Donation, params: Mapping[str, str]) -> None:
        """Runs when the donor's browser comes back from the hosted page. The query string is not proof of
        payment: ask the provider (`query_status`) and capture only on its answer. May race the callback."""
        self.reconcile(donation)

    def query_status(self, donation: Donation) -> tuple[str, Decimal | None, str | None]:
        """Ask the provider about the payment: ("succeeded" | "failed" | "pending", amount, currency)."""
        raise NotImplementedError

    def reconcile(self, donation: Donation) -> str:
        """Re-query a pending payment and act on the answer (the reconciler task calls this)."""
        from jusoor.donations.services.capture import donation_capture, donation_fail

        if not donation.provider_payment_id:
            return "pending"
        status, amount, currency = self.query_status(donation)
        if status == "succeeded" and amount is not None and currency:
            donation_capture(
                donation_id=donation.pk,
                provider=self.identifier,
                provider_payment_id=donation.provider_payment_id,
                amount=amount,
                currency=currency,
                source="query",
            )
        elif status == "failed":
            donation_fail(donation_id=donation.pk, reason="provider reports failure")
        return status

    def refund(self, donation: Donation, amount: Decimal) -> str:
        """Ask the provider to send `amount` back to the donor; returns the provider's refund id. Runs inside
        the refund transaction before it commits: if it raises, nothing is booked."""
        raise NotImplementedError


_REGISTRY: dict[str, BasePaymentProvider] = {}


def register(provider_class: type[BasePaymentProvider]) -> type[BasePaymentProvider]:
    _REGISTRY[provider_class.identifier] = provider_class()
    return provider_class


def get_provider(identifier: str) -> BasePaymentProvider | None:
    return _REGISTRY.get(identifier)


def available_providers(currency: str | None = None) -> list[BasePaymentProvider]:
    return [
        provider
        for provider in _REGISTRY.values()
        if provider.is_available() and (currency is None or currency in provider.currencies)
    ]


def all_providers() -> Mapping[str, Any]:
    return dict(_REGISTRY)
