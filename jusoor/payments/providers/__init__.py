"""The payment providers Jusoor offers, registered with `jusoor.donations.providers` when the app is ready."""

from __future__ import annotations

from collections.abc import Mapping


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A request header by name, whatever its case (Django's request.headers, or a plain dict from a task)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def register_all() -> None:
    from jusoor.donations.providers import register  # noqa: PLC0415
    from jusoor.payments.providers.bank_transfer import BankTransferProvider  # noqa: PLC0415
    from jusoor.payments.providers.stripe import StripeCheckoutProvider  # noqa: PLC0415
    from jusoor.payments.providers.testpay import TestPayProvider  # noqa: PLC0415

    for provider in (TestPayProvider, StripeCheckoutProvider, BankTransferProvider):
        register(provider)
