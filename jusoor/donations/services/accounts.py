"""The ledger accounts donations move money between. Keys are stable and readable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection
from django.utils.translation import gettext as _

from jusoor.campaigns.models import campaign_funds_key
from jusoor.common.exceptions import ApplicationError
from jusoor.donations.error_codes import DonationErrorCode
from jusoor.finance.models import Account
from jusoor.finance.services import account_get_or_create

FX_POSITION = "platform:fx:position"
FX_GAIN_LOSS = "platform:fx:gain_loss"
PLATFORM_FEES = "platform:fees"
GENERAL_FUND = "platform:general_fund"
DONOR_CREDITS = "platform:donor_credits"


def clearing(provider: str, currency: str) -> Account:
    """Money the payment provider (or the bank account for transfers) holds for us."""
    return account_get_or_create(key=f"psp:{provider}:clearing", currency=currency, kind=Account.Kind.ASSET)


def processor_fees(provider: str, currency: str) -> Account:
    return account_get_or_create(key=f"psp:{provider}:fees", currency=currency, kind=Account.Kind.EXPENSE)


def fx_position(currency: str) -> Account:
    """The currency-trading account: a donation in EUR to a TND campaign goes through it, so that every
    movement balances in each currency."""
    return account_get_or_create(key=FX_POSITION, currency=currency, kind=Account.Kind.EQUITY)


def fx_gain_loss(currency: str) -> Account:
    return account_get_or_create(key=FX_GAIN_LOSS, currency=currency, kind=Account.Kind.INCOME)


def campaign_funds(campaign_id: int, currency: str) -> Account:
    return account_get_or_create(key=campaign_funds_key(campaign_id), currency=currency, kind=Account.Kind.LIABILITY)


def campaign_matched(campaign_id: int, currency: str) -> Account:
    return account_get_or_create(key=f"campaign:{campaign_id}:matched", currency=currency, kind=Account.Kind.LIABILITY)


def campaign_disbursed(campaign_id: int, currency: str) -> Account:
    return account_get_or_create(key=f"campaign:{campaign_id}:disbursed", currency=currency, kind=Account.Kind.ASSET)


def platform_fees(currency: str) -> Account:
    return account_get_or_create(key=PLATFORM_FEES, currency=currency, kind=Account.Kind.INCOME)


def general_fund(currency: str) -> Account:
    return account_get_or_create(key=GENERAL_FUND, currency=currency, kind=Account.Kind.LIABILITY)


def donor_credits(currency: str) -> Account:
    return account_get_or_create(key=DONOR_CREDITS, currency=currency, kind=Account.Kind.LIABILITY)


def pot_sponsor(pot_id: int, currency: str) -> Account:
    return account_get_or_create(key=f"pot:{pot_id}:sponsor", currency=currency, kind=Account.Kind.ASSET)


def pot_available(pot_id: int, currency: str) -> Account:
    return account_get_or_create(key=f"pot:{pot_id}:available", currency=currency, kind=Account.Kind.LIABILITY)


def pot_reserved(pot_id: int, currency: str) -> Account:
    return account_get_or_create(key=f"pot:{pot_id}:reserved", currency=currency, kind=Account.Kind.LIABILITY)


@contextmanager
def money_lock_timeout(seconds: int = 5) -> Iterator[None]:
    """Inside a transaction: wait at most `seconds` for row locks, then answer "busy" instead of queueing."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{int(seconds)}s'")
    try:
        yield
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == "55P03":  # lock_not_available
            raise ApplicationError(
                _("Many donations are being processed right now; please try again in a moment."),
                code=DonationErrorCode.BUSY,
            ) from exc
        raise
