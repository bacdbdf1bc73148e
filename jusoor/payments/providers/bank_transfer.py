"""Bank transfer: the donor transfers the amount with the pledge reference in the label; finance staff import the
bank statement and the matcher captures the pledges it finds (`jusoor.payments.services.statements`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jusoor.common.exceptions import ApplicationError
from jusoor.common.money import format_money
from jusoor.donations.providers import BasePaymentProvider, CallbackResult, PaymentStep
from jusoor.payments.error_codes import PaymentErrorCode

if TYPE_CHECKING:
    from jusoor.donations.models import Donation


class BankTransferProvider(BasePaymentProvider):
    identifier = "bank_transfer"
    verbose_name = _("Bank transfer")
    currencies = frozenset({"TND", "MAD", "EUR"})
    pledge_lifetime = timedelta(days=14)
    refunds_online = False  # finance staff send the money back by transfer, then record the refund

    def is_available(self) -> bool:
        return bool(settings.BANK_TRANSFER_IBAN)

    def instructions_for(self, donation: Donation) -> Mapping[str, str]:
        """What the donor needs to make the transfer (shown on the status page while the pledge is pending)."""
        return {
            "iban": settings.BANK_TRANSFER_IBAN,
            "bic": settings.BANK_TRANSFER_BIC,
            "holder": settings.BANK_TRANSFER_HOLDER,
            "reference": donation.reference,
            "amount": format_money(donation.amount, donation.currency, donation.language),
        }

    def initiate(self, donation: Donation, *, return_url: str, cancel_url: str) -> PaymentStep:
        """Nothing to create anywhere: the donor gets the instructions. Moves no money."""
        return PaymentStep(instructions=self.instructions_for(donation))

    def handle_callback(self, *, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        return CallbackResult(status=404, outcome=PaymentErrorCode.UNKNOWN_PROVIDER, detail="no callbacks")

    def confirm_return(self, donation: Donation, params: Mapping[str, str]) -> None:
        """There is no hosted page to come back from: the bank statement confirms the transfer."""

    def query_status(self, donation: Donation) -> tuple[str, Decimal | None, str | None]:
        return "pending", None, None

    def reconcile(self, donation: Donation) -> str:
        return "pending"

    def refund(self, donation: Donation, amount: Decimal) -> str:
        raise ApplicationError(
            _("Bank transfers are refunded by hand: send the money back, then record the refund."),
            code="refund_refused",
        )
