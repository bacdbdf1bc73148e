from decimal import Decimal

import pytest

from jusoor.common.money import format_money, precision, quantize


@pytest.mark.parametrize(("currency", "places"), [("TND", 3), ("MAD", 2), ("EUR", 2)])
def test_precision_per_currency(currency, places):
    assert precision(currency) == places


def test_quantize_rounds_half_up_to_the_currency_precision():
    assert quantize(Decimal("10.0005"), "TND") == Decimal("10.001")
    assert quantize(Decimal("10.005"), "MAD") == Decimal("10.01")
    assert quantize(Decimal("10.004"), "EUR") == Decimal("10.00")


def test_quantize_refuses_float():
    with pytest.raises(TypeError):
        quantize(10.5, "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("currency", "language", "expected"),
    [
        ("TND", "ar", "\u200f1.234,500\u00a0د.ت.\u200f"),
        ("TND", "fr", "1\u202f234,500\u00a0DT"),
        ("MAD", "fr", "1\u202f234,50\u00a0MAD"),
        ("EUR", "fr", "1\u202f234,50\u00a0€"),
        ("EUR", "en", "€1,234.50"),
        ("MAD", "ar", "\u200f1.234,50\u00a0د.م.\u200f"),
    ],
)
def test_format_money_uses_western_digits_and_currency_decimals(currency, language, expected):
    assert format_money(Decimal("1234.5"), currency, language) == expected
