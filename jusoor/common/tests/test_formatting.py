import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template(
    "{% load jusoor_format %}{{ day|longdate }}|{{ people|number }}|{% money amount 'TND' %}|{% money amount 'EUR' %}"
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ar", "22 نوفمبر 2026|1.234.567|\u200f12,500\u00a0د.ت.\u200f|\u200f12,50\u00a0€"),
        ("fr", "22 novembre 2026|1\u202f234\u202f567|12,500\u00a0DT|12,50\u00a0€"),
        ("en", "22 November 2026|1,234,567|TND12.500|€12.50"),
    ],
)
def test_dates_numbers_and_money_follow_the_locale_with_western_digits(lang, expected):
    context = Context({"day": datetime.date(2026, 11, 22), "people": 1234567, "amount": Decimal("12.5")})
    with translation.override(lang):
        assert TEMPLATE.render(context) == expected
