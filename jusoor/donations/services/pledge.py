"""Pledging: a donor says how much they give; nothing moves in the ledger until the payment is captured."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jusoor.campaigns.models import Campaign
from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError, invalid_data
from jusoor.common.money import format_money, precision, quantize
from jusoor.donations.error_codes import DonationErrorCode
from jusoor.donations.models import DONATION_CURRENCIES, Donation
from jusoor.finance.selectors import convert

# Crockford's base32 without look-alikes: references are read aloud and typed into bank transfer labels.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MINIMUM_AMOUNT = {
    "TND": Decimal("1"),
    "MAD": Decimal("10"),
    "EUR": Decimal("1"),
    "USD": Decimal("1"),
    "CAD": Decimal("1"),
}
MAXIMUM_AMOUNT = Decimal("1000000")


def new_reference() -> str:
    body = "".join(secrets.choice(_ALPHABET) for _i in range(10))
    return f"JSR-{body[:5]}-{body[5:]}"


def parse_amount(raw: Any, currency: str) -> tuple[Decimal, str]:
    """Parse an amount > 0 in a supported currency with at most its decimals; a translated error otherwise."""
    currency = str(currency or "").strip().upper()
    if currency not in DONATION_CURRENCIES:
        raise ApplicationError(
            _("Donations in %(currency)s are not accepted. Choose one of: %(allowed)s.")
            % {"currency": currency or "—", "allowed": ", ".join(DONATION_CURRENCIES)},
            code=DonationErrorCode.CURRENCY,
            extra={"fields": {"currency": [_("This currency is not accepted.")]}},
        )
    try:
        amount = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite() or amount <= 0:
        raise ApplicationError(
            _("Enter an amount greater than zero."),
            code=DonationErrorCode.AMOUNT_INVALID,
            extra={"fields": {"amount": [_("Enter an amount greater than zero.")]}},
        )
    if quantize(amount, currency) != amount:
        message = _("%(currency)s amounts have at most %(places)s decimals.") % {
            "currency": currency,
            "places": precision(currency),
        }
        raise ApplicationError(message, code=DonationErrorCode.PRECISION, extra={"fields": {"amount": [message]}})
    return amount, currency


def checked_amount(raw: Any, currency: str) -> tuple[Decimal, str]:
    """`parse_amount`, and within the donation limits of the currency."""
    amount, currency = parse_amount(raw, currency)
    if amount < MINIMUM_AMOUNT[currency] or amount > MAXIMUM_AMOUNT:
        message = _("The amount must be between %(low)s and %(high)s.") % {
            "low": format_money(MINIMUM_AMOUNT[currency], currency, get_language() or "en"),
            "high": format_money(MAXIMUM_AMOUNT, currency, get_language() or "en"),
        }
        raise ApplicationError(
            message, code=DonationErrorCode.AMOUNT_TOO_SMALL, extra={"fields": {"amount": [message]}}
        )
    return amount, currency


def _same_request(donation: Donation, campaign: Campaign, amount: Decimal, currency: str, email: str) -> bool:
    return (
        donation.campaign_id == campaign.pk
        and donation.amount == amount
        and donation.currency == currency
        and donation.email.lower() == email.lower()
    )


def donation_pledge(
    *,
    campaign: Campaign,
    amount: Any,
    currency: str,
    email: str,
    country_of_residence: str,
    provider: str,
    expires_in: timedelta,
    language: str = "ar",
    donor: Any = None,
    name: str = "",
    message: str = "",
    dedication: str = "",
    anonymous_public: bool = False,
    anonymous_to_organization: bool = False,
    idempotency_key: str | None = None,
) -> Donation:
    """Record a pledge with the day's exchange-rate snapshot. With an idempotency key, repeating the same
    request returns the first pledge; the same key with a different request is refused."""
    amount, currency = checked_amount(amount, currency)
    email = (email or "").strip()
    if idempotency_key:
        existing = Donation.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if _same_request(existing, campaign, amount, currency, email):
                return existing
            raise ApplicationError(
                _("This idempotency key was already used for a different donation."),
                code=DonationErrorCode.IDEMPOTENCY_REUSED,
            )
    if not campaign.accepts_donations:
        raise ApplicationError(_("This campaign is not accepting donations."), code=DonationErrorCode.NOT_LIVE)
    today = timezone.localdate()
    campaign_amount, rate = convert(amount=amount, base=currency, quote=campaign.currency, day=today)
    if campaign_amount <= 0:
        raise ApplicationError(_("Enter an amount greater than zero."), code=DonationErrorCode.AMOUNT_INVALID)
    for _attempt in range(5):
        donation = Donation(
            campaign=campaign,
            reference=new_reference(),
            donor=donor if getattr(donor, "is_authenticated", False) else None,
            email=email,
            name=name.strip()[:200],
            country_of_residence=(country_of_residence or "").upper()[:2],
            language=(language or "ar")[:2],
            amount=amount,
            currency=currency,
            campaign_amount=campaign_amount,
            campaign_currency=campaign.currency,
            rate=quantize_rate(rate.rate),
            rate_day=rate.day,
            message=message.strip()[:500],
            dedication=dedication.strip()[:200],
            anonymous_public=anonymous_public or anonymous_to_organization,
            anonymous_to_organization=anonymous_to_organization,
            provider=provider,
            idempotency_key=idempotency_key or None,
            expires_at=timezone.now() + expires_in,
        )
        try:
            donation.full_clean(exclude=["donor", "campaign", "redirected_to"], validate_unique=False)
        except ValidationError as exc:
            raise invalid_data(exc) from exc
        try:
            with transaction.atomic():
                donation.save()
                audit_log(
                    actor=donation.donor,
                    action="donations.donation.pledged",
                    target=donation,
                    changes={"amount": {"old": None, "new": f"{amount} {currency}"}},
                )
            return donation
        except IntegrityError:
            if idempotency_key and Donation.objects.filter(idempotency_key=idempotency_key).exists():
                return donation_pledge_replay(idempotency_key, campaign, amount, currency, email)
            continue  # a reference collision: draw another
    raise ApplicationError(_("The service is busy; please try again."), code=DonationErrorCode.BUSY)


def donation_pledge_replay(key: str, campaign: Campaign, amount: Decimal, currency: str, email: str) -> Donation:
    existing = Donation.objects.get(idempotency_key=key)
    if not _same_request(existing, campaign, amount, currency, email):
        raise ApplicationError(
            _("This idempotency key was already used for a different donation."),
            code=DonationErrorCode.IDEMPOTENCY_REUSED,
        )
    return existing


def quantize_rate(rate: Decimal) -> Decimal:
    return rate.quantize(Decimal("0.00000001"))
