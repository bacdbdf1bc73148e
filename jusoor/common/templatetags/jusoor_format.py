"""Locale-aware formatting for templates: money, numbers and dates (Western digits in Arabic)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal
from django import template
from django.utils.translation import get_language

from jusoor.common.money import babel_locale, format_money

register = template.Library()


@register.simple_tag
def money(amount: Decimal, currency: str) -> str:
    return format_money(Decimal(amount), currency, get_language() or "ar")


@register.filter
def number(value: int | Decimal | None) -> str:
    if value is None:
        return ""
    return str(format_decimal(value, locale=babel_locale(get_language() or "ar"), numbering_system="latn"))


@register.filter
def longdate(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return str(format_date(value, "long", locale=babel_locale(get_language() or "ar")))
