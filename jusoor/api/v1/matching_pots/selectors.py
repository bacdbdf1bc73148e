"""Matching pots as the API shows them: what is left in each pot comes from the ledger, annotated in one query."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from jusoor.campaigns.models import Campaign
from jusoor.donations.models import MatchingPot
from jusoor.finance.selectors import account_balance_subquery
from jusoor.organizations.models import Theme
from jusoor.territories.models import Territory


def pots_with_available(queryset: QuerySet[MatchingPot]) -> QuerySet[MatchingPot]:
    """Annotate `available_total`: the balance of the pot's `pot:<id>:available` account (a liability, so credits
    are money left), as `pot_available_amount` computes it for one pot."""
    return queryset.annotate(available_total=-account_balance_subquery("pot:", ":available"))


def _with_eligibility(queryset: QuerySet[MatchingPot]) -> QuerySet[MatchingPot]:
    return queryset.prefetch_related(
        Prefetch("territories", queryset=Territory.objects.only("id", "code").order_by("code")),
        Prefetch("themes", queryset=Theme.objects.only("id", "slug").order_by("slug")),
        Prefetch("campaigns", queryset=Campaign.objects.only("id").order_by("id")),
    )


def matching_pot_public_list() -> QuerySet[MatchingPot]:
    """Active pots that have not ended (running or about to start), the soonest to end first."""
    pots = MatchingPot.objects.filter(is_active=True, valid_until__gt=timezone.now()).order_by("valid_until", "pk")
    return _with_eligibility(pots_with_available(pots))


def matching_pot_get(*, pot_id: int) -> MatchingPot:
    """One pot, ended or not: pots are public (sponsors and what they gave are shown on the campaigns)."""
    pot = _with_eligibility(pots_with_available(MatchingPot.objects.filter(pk=pot_id))).first()
    if pot is None:
        raise Http404
    return pot
