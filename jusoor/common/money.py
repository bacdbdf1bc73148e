"""Money helpers: one rounding rule and one formatter, both from babel's currency data.

TND has 3 decimals (millimes); MAD and EUR have 2. Never use float for money.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision

# Maghreb Arabic uses Western (Latin) digits: format Arabic amounts with the ar_TN / ar_MA data,
# whose default numbering system is latn, instead of plain "ar" (Arabic-Indic digits).
_BABEL_LOCALES = {"ar": "ar_TN", "fr": "fr_FR", "en": "en_GB"}
CURRENCY_LOCALE = {"TND": {"ar": "ar_TN", "fr": "fr_TN"}, "MAD": {"ar": "ar_MA", "fr": "fr_MA"}}


def precision(currency: str) -> int:
    return int(get_currency_precision(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    if not isinstance(amount, Decimal):
        raise TypeError("Money amounts must be Decimal")
    return amount.quantize(Decimal(1).scaleb(-precision(currency)), rounding=ROUND_HALF_UP)


def babel_locale(language: str, currency: str | None = None) -> str:
    lang = (language or "ar")[:2]
    if currency and lang in CURRENCY_LOCALE.get(currency, {}):
        return CURRENCY_LOCALE[currency][lang]
    return _BABEL_LOCALES.get(lang, "en_GB")


def format_money(amount: Decimal, currency: str, language: str) -> str:
    return format_currency(
        quantize(amount, currency), currency, locale=babel_locale(language, currency), numbering_system="latn"
    )
