from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jusoor.common.exceptions import ApplicationError
from jusoor.donations.models import Match, MatchingPot
from jusoor.donations.services.matching import match_settle
from jusoor.donations.tests import builders
from jusoor.finance.selectors import ledger_problems
from jusoor.grants.services.awards import grant_award, grant_cancel
from jusoor.grants.services.matching import grant_matching_pot_close, grant_offer_as_matching_pot
from jusoor.grants.tests.helpers import balances

pytestmark = pytest.mark.django_db


def test_grant_as_matching_pot_counts_the_money_once(scene):
    grant = grant_award(programme=scene.programme, organization=scene.org, amount="60000", acting_user=scene.manager)
    campaign = builders.campaign(org=scene.org, currency="MAD", goal=Decimal("50000"))

    pot = grant_offer_as_matching_pot(grant=grant, campaign=campaign, acting_user=scene.manager, amount="30000")

    grant.refresh_from_db()
    assert (pot.total, pot.ratio, pot.currency, list(pot.campaigns.all())) == (
        Decimal("30000.00"),
        Decimal("1"),
        "MAD",
        [campaign],
    )
    assert (grant.matching_pot, grant.matching_amount, grant.scheduled_amount) == (
        pot,
        Decimal("30000.00"),
        Decimal("30000.00"),
    )
    keys = (
        f"programme:{scene.programme.pk}:envelope",
        f"grant:{grant.pk}:committed",
        f"pot:{pot.pk}:sponsor",
        f"pot:{pot.pk}:available",
    )
    assert balances(*keys) == dict(
        zip(keys, [Decimal("60000.000"), Decimal("-30000.000"), Decimal("0"), Decimal("-30000.000")], strict=True)
    )

    # the crowd gives 1,000 MAD: the grant matches 1,000 MAD
    donation = builders.captured(campaign, "1000", "MAD")
    match = Match.objects.get(donation=donation)
    assert match.amount == Decimal("1000.000")
    match_settle(match=match)

    with pytest.raises(ApplicationError) as error:  # the campaign is still running
        grant_matching_pot_close(grant=grant, acting_user=scene.manager)
    assert error.value.code == "matching_invalid"
    MatchingPot.objects.filter(pk=pot.pk).update(
        valid_from=timezone.now() - timedelta(days=2), valid_until=timezone.now() - timedelta(seconds=1)
    )
    grant = grant_matching_pot_close(grant=grant, acting_user=scene.manager)

    assert (grant.matching_amount, grant.scheduled_amount, grant.matching_closed) == (
        Decimal("1000.000"),
        Decimal("59000.000"),
        True,
    )
    assert balances(*keys, f"campaign:{campaign.pk}:matched") == dict(
        zip(
            (*keys, f"campaign:{campaign.pk}:matched"),
            [Decimal("60000.000"), Decimal("-59000.000"), Decimal("0"), Decimal("0"), Decimal("-1000.000")],
            strict=True,
        )
    )
    # cancelling now gives back only what the pot did not use and nothing was paid
    grant_cancel(grant=grant, reason="Fin du programme", acting_user=scene.manager)
    assert balances(keys[0])[keys[0]] == Decimal("1000.000")
    assert ledger_problems() == []


def test_matching_pot_only_for_the_organisations_campaign_in_its_currency(scene):
    grant = grant_award(programme=scene.programme, organization=scene.org, amount="60000", acting_user=scene.manager)
    for campaign in (builders.campaign(currency="MAD"), builders.campaign(org=scene.org, currency="TND")):
        with pytest.raises(ApplicationError) as error:
            grant_offer_as_matching_pot(grant=grant, campaign=campaign, acting_user=scene.manager)
        assert error.value.code == "matching_invalid"
    own = builders.campaign(org=scene.org, currency="MAD")
    with pytest.raises(ApplicationError):
        grant_offer_as_matching_pot(grant=grant, campaign=own, acting_user=scene.manager, amount="60000.01")
    assert MatchingPot.objects.count() == 0
