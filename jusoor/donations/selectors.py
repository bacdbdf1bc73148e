"""Reads about donations. Totals come from the ledger, never from a stored counter."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import CharField, DecimalField, Exists, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from jusoor.campaigns.models import Campaign
from jusoor.donations.models import Donation, Match, MatchingPot
from jusoor.finance.models import LedgerEntry
from jusoor.organizations.models import Organization
from jusoor.territories.models import Territory

MONEY = DecimalField(max_digits=20, decimal_places=3)


def campaign_matched_key(campaign_id: int) -> str:
    return f"campaign:{campaign_id}:matched"


@dataclass(frozen=True)
class CampaignProgress:
    currency: str
    goal: Decimal
    raised: Decimal  # donations captured minus refunds, in the campaign's currency (from the ledger)
    matched: Decimal  # matches reserved or paid to the campaign
    donors: int
    pending_transfers: int  # pledges by bank transfer still waiting for the money

    @property
    def total(self) -> Decimal:
        return self.raised + self.matched

    @property
    def percent(self) -> int:
        if self.goal <= 0:
            return 0
        return int(min(Decimal(100), (self.total * 100 / self.goal)).to_integral_value(rounding="ROUND_FLOOR"))


# What a campaign has received lives in three accounts: its funds (donations, net of refunds, redirections,
# credits and the platform's fee), its matched funds (settled matches) and what was paid out to the association
# (tranches move money from the first two to the third). Their sum never changes when money is paid out.
HELD_SUFFIXES = ("funds", "matched", "disbursed")


def _match_totals(campaign_id: int) -> tuple[Decimal, Decimal]:
    """(reserved, settled) matches of the campaign."""
    rows = dict(
        Match.objects.filter(campaign_id=campaign_id, status__in=[Match.Status.RESERVED, Match.Status.CAPTURED])
        .order_by()
        .values("status")
        .annotate(total=Sum("amount"))
        .values_list("status", "total")
    )
    return rows.get(Match.Status.RESERVED, Decimal("0")), rows.get(Match.Status.CAPTURED, Decimal("0"))


def _received(campaign_id: int) -> Decimal:
    keys = [f"campaign:{campaign_id}:{suffix}" for suffix in HELD_SUFFIXES]
    total = LedgerEntry.objects.filter(account__key__in=keys).aggregate(total=Sum("amount"))["total"]
    return -total if total is not None else Decimal("0")


def campaign_raised(campaign: Campaign) -> Decimal:
    """Donations received minus refunds, redirections and credits, in the campaign's currency (from the ledger):
    everything the campaign received, less the sponsors' settled matches."""
    _reserved, settled = _match_totals(campaign.pk)
    return _received(campaign.pk) - settled


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """Four indexed queries whatever the number of donations (ledger sum, matches, donors, pending transfers)."""
    reserved, settled = _match_totals(campaign.pk)
    donors = (
        Donation.objects.filter(campaign=campaign, status=Donation.Status.CAPTURED).values("email").distinct().count()
    )
    pending = Donation.objects.filter(campaign=campaign, status=Donation.Status.PENDING, provider="bank_transfer")
    return CampaignProgress(
        currency=campaign.currency,
        goal=campaign.goal,
        raised=_received(campaign.pk) - settled,
        matched=reserved + settled,
        donors=donors,
        pending_transfers=pending.count(),
    )


def campaigns_with_raised(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Annotate `raised_total` (as `campaign_raised`) and `matched_total` (matches reserved or paid to the
    campaign) on a campaign list: subqueries, so a page of campaigns stays one query."""
    pk = Cast(OuterRef("pk"), CharField())
    keys = [Concat(Value("campaign:"), pk, Value(f":{suffix}"), output_field=CharField()) for suffix in HELD_SUFFIXES]
    received = (
        LedgerEntry.objects.filter(account__key__in=keys)
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(total=Sum("amount"))
        .values("total")
    )

    def matches(*statuses: str) -> Subquery:
        rows = (
            Match.objects.filter(campaign_id=OuterRef("pk"), status__in=statuses)
            .order_by()
            .values("campaign_id")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return Subquery(rows, output_field=MONEY)

    zero = Value(Decimal("0"))
    settled = Coalesce(matches(Match.Status.CAPTURED), zero, output_field=MONEY)
    return queryset.annotate(
        raised_total=-Coalesce(Subquery(received, output_field=MONEY), zero, output_field=MONEY) - settled,
        matched_total=Coalesce(matches(Match.Status.RESERVED, Match.Status.CAPTURED), zero, output_field=MONEY),
    )


def donor_wall(campaign: Campaign, *, limit: int = 20) -> list[dict[str, Any]]:
    """The latest captured donations as the public may see them (anonymous donors have no name)."""
    rows = (
        Donation.objects.filter(campaign=campaign, status=Donation.Status.CAPTURED)
        .order_by("-captured_at", "-id")
        .values("name", "anonymous_public", "campaign_amount", "campaign_currency", "message", "captured_at")[:limit]
    )
    return [
        {
            "name": "" if row["anonymous_public"] else row["name"],
            "anonymous": row["anonymous_public"],
            "amount": row["campaign_amount"],
            "currency": row["campaign_currency"],
            "message": row["message"],
            "at": row["captured_at"],
        }
        for row in rows
    ]


def organization_donations(organization: Organization) -> QuerySet[Donation]:
    """What the organisation may see: donors who hid from it too are shown without name or e-mail."""
    return (
        Donation.objects.filter(campaign__organization=organization)
        .select_related("campaign")
        .order_by("-created_at", "-id")
    )


def _ancestor_ids(campaign: Campaign) -> list[int]:
    ids: list[int] = []
    territory: Territory | None = campaign.territory
    while territory is not None:
        ids.append(territory.pk)
        territory = territory.parent
    return ids


def eligible_pots(campaign: Campaign, *, at: Any = None) -> QuerySet[MatchingPot]:
    """Active pots in the campaign's currency, valid now, whose every restriction the campaign meets: named
    campaigns (if any), territories containing the campaign's (if any), themes shared with it (if any)."""
    at = at or timezone.now()
    through_campaigns = MatchingPot.campaigns.through.objects.filter(matchingpot_id=OuterRef("pk"))
    through_territories = MatchingPot.territories.through.objects.filter(matchingpot_id=OuterRef("pk"))
    through_themes = MatchingPot.themes.through.objects.filter(matchingpot_id=OuterRef("pk"))
    theme_ids = list(campaign.themes.values_list("id", flat=True))
    return (
        MatchingPot.objects.filter(is_active=True, currency=campaign.currency, valid_from__lte=at, valid_until__gt=at)
        .filter(~Exists(through_campaigns) | Exists(through_campaigns.filter(campaign_id=campaign.pk)))
        .filter(
            ~Exists(through_territories) | Exists(through_territories.filter(territory_id__in=_ancestor_ids(campaign)))
        )
        .filter(~Exists(through_themes) | Exists(through_themes.filter(theme_id__in=theme_ids)))
        .order_by("pk")
    )
