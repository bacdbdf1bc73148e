from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jusoor.common.exceptions import ApplicationError
from jusoor.donations.models import Donation, Match, Refund
from jusoor.donations.selectors import campaign_progress, campaign_raised, eligible_pots
from jusoor.donations.services.matching import matching_pot_open, pot_available_amount
from jusoor.donations.services.refunds import donation_refund
from jusoor.donations.tests import builders
from jusoor.finance.models import EntryGroup
from jusoor.finance.selectors import ledger_problems
from jusoor.organizations.models import Theme

pytestmark = pytest.mark.django_db


def open_pot(total="300", currency="TND", **kwargs):
    now = timezone.now()
    values = {
        "name": "Pot municipal",
        "sponsor_name": "Municipalité de Médenine",
        "currency": currency,
        "total": Decimal(total),
        "valid_from": now - timedelta(days=1),
        "valid_until": now + timedelta(days=30),
        "acting_user": None,
    }
    values.update(kwargs)
    return matching_pot_open(**values)


@pytest.fixture
def live():
    return builders.campaign()


def test_matches_follow_ratio_and_caps_and_stop_when_the_pot_is_empty(live):
    pot = open_pot("300", ratio=Decimal("1"), cap_per_donation=Decimal("100"), cap_per_donor=Decimal("150"))
    first = builders.captured(live, "80", email="a@example.org")
    second = builders.captured(live, "120", email="a@example.org")  # capped per donation at 100, per donor at 150
    third = builders.captured(live, "200", email="b@example.org")  # capped at 100 by donation, 230 - 70 left = 100
    fourth = builders.captured(live, "200", email="c@example.org")  # 50 left in the pot
    fifth = builders.captured(live, "10", email="d@example.org")  # nothing left
    amounts = [
        Match.objects.filter(donation=d).values_list("amount", flat=True).first()
        for d in (first, second, third, fourth, fifth)
    ]
    assert amounts == [Decimal("80.000"), Decimal("70.000"), Decimal("100.000"), Decimal("50.000"), None]
    assert pot_available_amount(pot) == Decimal("0")
    assert campaign_progress(live).matched == Decimal("300.000")
    assert ledger_problems() == []


def test_a_two_to_one_pot_doubles(live):
    open_pot("1000", ratio=Decimal("2"))
    donation = builders.captured(live, "12.345")
    assert donation.match.amount == Decimal("24.690")


def test_eligibility_requires_every_restriction(live):
    education = Theme.objects.create(slug="education", label={"ar": "التعليم", "fr": "Éducation", "en": "Education"})
    health = Theme.objects.create(slug="sante", label={"ar": "الصحة", "fr": "Santé", "en": "Health"})
    live.themes.set([education])
    elsewhere = builders.territory("TN-83", "Tataouine")
    right_place = open_pot(name="A", territories=[live.territory])
    right_theme = open_pot(name="B", themes=[education])
    place_and_wrong_theme = open_pot(name="C", territories=[live.territory], themes=[health])
    wrong_place = open_pot(name="D", territories=[elsewhere])
    named = open_pot(name="E", campaigns=[live])
    other_currency = open_pot(name="F", currency="EUR")
    expired = open_pot(
        name="G", valid_from=timezone.now() - timedelta(days=9), valid_until=timezone.now() - timedelta(days=1)
    )
    municipality = builders.territory("TN-8211", "Médenine Ville", parent=live.territory)
    assert list(eligible_pots(live)) == [right_place, right_theme, named]
    live.territory = municipality  # a pot for the governorate matches its municipalities' campaigns
    assert list(eligible_pots(live)) == [right_place, right_theme, named]
    assert {place_and_wrong_theme, wrong_place, other_currency, expired}.isdisjoint(set(eligible_pots(live)))


def test_partial_then_full_refund_never_exceeds_the_capture_and_releases_the_match(live, mailoutbox):
    pot = open_pot("100")
    builders.rate("EUR", "TND", "3.33333333")
    donation = builders.captured(live, "10", "EUR")
    assert donation.campaign_amount == Decimal("33.333")
    first = donation_refund(donation=donation, amount="3.33", reason="asked by the donor")
    assert first.campaign_amount == Decimal("11.100")
    with pytest.raises(ApplicationError) as caught:
        donation_refund(donation=donation, amount="6.68", reason="too much")
    assert caught.value.code == "refund_too_large"
    assert str(caught.value.message) == "At most €6.67 can still be refunded."
    assert Refund.objects.count() == 1
    second = donation_refund(donation=donation, amount="6.67", reason="the rest")
    assert second.campaign_amount == Decimal("22.233")  # what is left, not a re-rounded share
    donation.refresh_from_db()
    assert (donation.status, donation.refunded_amount) == (Donation.Status.REFUNDED, Decimal("10.000"))
    assert donation.match.status == Match.Status.RELEASED
    assert pot_available_amount(pot) == Decimal("100.000")
    assert campaign_raised(live) == Decimal("0")
    with pytest.raises(ApplicationError) as caught:
        donation_refund(donation=donation, amount="1", reason="again")
    assert caught.value.code == "invalid_transition"
    assert EntryGroup.objects.filter(kind="donation.refunded").count() == 2
    assert ledger_problems() == []


@pytest.mark.parametrize("amount", ["0", "-1", "1.0001"])
def test_bad_refund_amounts_write_nothing(live, amount):
    donation = builders.captured(live, "10")
    with pytest.raises(ApplicationError):
        donation_refund(donation=donation, amount=amount, reason="x")
    assert Refund.objects.count() == 0
    assert Donation.objects.get(pk=donation.pk).refunded_amount == Decimal("0")


def test_a_pending_donation_cannot_be_refunded(live):
    donation = builders.pledge(live, "10")
    with pytest.raises(ApplicationError) as caught:
        donation_refund(donation=donation, amount="10", reason="x")
    assert caught.value.code == "invalid_transition"
    assert Refund.objects.count() == 0
