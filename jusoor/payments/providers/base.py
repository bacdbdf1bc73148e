"""What the card providers share: a status API that reports the whole payment, processor fee included."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from jusoor.donations.providers import BasePaymentProvider
from jusoor.payments.services import events

if TYPE_CHECKING:
    from jusoor.donations.models import Donation


class ReportingProvider(BasePaymentProvider):
    """A provider whose status API says what its callbacks say (`payment_report`). The return page and the
    reconciler capture through `events.payment_reconcile`, with the processor's fee, exactly as the callback
    does: whichever confirms the payment first books the fee (`BasePaymentProvider.reconcile` knows no fee)."""

    def payment_report(self, donation: Donation) -> events.PaymentReport:
        """Ask the provider about the pledge's payment (it has a `provider_payment_id`)."""
        raise NotImplementedError

    def query_status(self, donation: Donation) -> tuple[str, Decimal | None, str | None]:
        if not donation.provider_payment_id:
            return "pending", None, None
        return self.payment_report(donation).status()

    def reconcile(self, donation: Donation) -> str:
        if not donation.provider_payment_id:
            return "pending"
        return events.payment_reconcile(
            provider=self.identifier, donation=donation, report=self.payment_report(donation)
        )
