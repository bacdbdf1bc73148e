import datetime
from decimal import Decimal

import pytest

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.finance.models import ExchangeRate
from jusoor.finance.selectors import convert, exchange_rate_on
from jusoor.finance.services import exchange_rate_set

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.date(2026, 11, 20)


def test_set_then_correct_a_rate_is_audited(user):
    exchange_rate_set(base="EUR", quote="TND", day=DAY, rate=D("3.40"), source="BCT", acting_user=user)
    exchange_rate_set(base="eur", quote="tnd", day=DAY, rate=D("3.41"), source="BCT", acting_user=user)
    exchange_rate_set(base="EUR", quote="TND", day=DAY, rate=D("3.41"), source="BCT", acting_user=user)
    assert list(ExchangeRate.objects.values_list("base", "quote", "rate")) == [("EUR", "TND", D("3.41000000"))]
    assert [e.changes["rate"] for e in AuditEvent.objects.order_by("id")] == [
        {"old": None, "new": "3.40"},
        {"old": "3.40000000", "new": "3.41"},
    ]


@pytest.mark.parametrize(
    ("base", "quote", "rate", "code"),
    [
        ("EUR", "DZD", D("1"), "unsupported_currency"),
        ("EUR", "EUR", D("1"), "invalid_rate"),
        ("EUR", "TND", D("0"), "invalid_rate"),
        ("EUR", "TND", D("-3.4"), "invalid_rate"),
        ("EUR", "TND", D("3.123456789"), "invalid_rate"),
    ],
)
def test_bad_rates_are_refused_and_nothing_is_written(user, base, quote, rate, code):
    with pytest.raises(ApplicationError) as error:
        exchange_rate_set(base=base, quote=quote, day=DAY, rate=rate, source="", acting_user=user)
    assert error.value.code == code
    assert ExchangeRate.objects.count() == 0


def test_conversion_uses_the_latest_rate_on_or_before_the_day_and_the_target_precision(user):
    exchange_rate_set(base="EUR", quote="TND", day=DAY, rate=D("3.4"), source="", acting_user=user)
    exchange_rate_set(
        base="EUR", quote="TND", day=DAY + datetime.timedelta(days=5), rate=D("9"), source="", acting_user=user
    )
    amount, rate = convert(amount=D("50.00"), base="EUR", quote="TND", day=DAY + datetime.timedelta(days=2))
    assert (amount, rate.rate, rate.day) == (D("170.000"), D("3.40000000"), DAY)
    # the inverse direction, rounded to 2 decimals for EUR
    amount, _rate = convert(amount=D("100.000"), base="TND", quote="EUR", day=DAY)
    assert amount == D("29.41")


def test_no_rate_is_a_clear_error(user):
    with pytest.raises(ApplicationError) as error:
        exchange_rate_on(base="MAD", quote="EUR", day=DAY)
    assert error.value.code == "no_rate"
    assert str(error.value.message) == "No exchange rate from MAD to EUR is recorded on or before 2026-11-20."
