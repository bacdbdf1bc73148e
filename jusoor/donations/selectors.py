"""Reads about donations. Totals come from the ledger, never from a stored counter."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, DecimalField, Exists, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from jusoor.campaigns.models import Campaign, campaign_funds_key
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


# Movements on a campaign's funds that are not money raised: paying the association out, the platform's fee.
NOT_RAISED_KINDS = ("tranche.disbursed", "donation.platform_fee")


def campaign_raised(campaign: Campaign) -> Decimal:
    """Donations received minus refunds, redirections and credits, in the campaign's currency (from the ledger).
    Campaign funds are a liability: credits (negative amounts) are money held for the campaign."""
    total = (
        LedgerEntry.objects.filter(account__key=campaign_funds_key(campaign.pk))
        .exclude(group__kind__in=NOT_RAISED_KINDS)
        .aggregate(total=Sum("amount"))["total"]
    )
    return -total if total is not None else Decimal("0")


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    captured = Donation.objects.filter(campaign=campaign, status=Donation.Status.CAPTURED)
    donors = captured.aggregate(n=Count("email", distinct=True))["n"]
    pending = Donation.objects.filter(campaign=campaign, status=Donation.Status.PENDING, provider="bank_transfer")
    matched = Match.objects.filter(
        donation__campaign=campaign, status__in=[Match.Status.RESERVED, Match.Status.CAPTURED]
    ).aggregate(total=Sum("amount"))["total"]
    return CampaignProgress(
        currency=campaign.currency,
        goal=campaign.goal,
        raised=campaign_raised(campaign),
        matched=matched or Decimal("0"),
        donors=donors,
        pending_transfers=pending.count(),
    )


def campaigns_with_raised(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Annotate `raised_total` (as `campaign_raised`) and `matched_total` (matches reserved or paid to the
    campaign) on a campaign list: subqueries, so a page of campaigns stays one query."""
    key = Concat(Value("campaign:"), Cast(OuterRef("pk"), CharField()), Value(":funds"), output_field=CharField())
    balance = (
        LedgerEntry.objects.filter(account__key=key)
        .exclude(group__kind__in=NOT_RAISED_KINDS)
        .order_by()
        .values("account__key")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    matched = (
        Match.objects.filter(
            donation__campaign_id=OuterRef("pk"), status__in=[Match.Status.RESERVED, Match.Status.CAPTURED]
        )
        .order_by()
        .values("donation__campaign_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    zero = Value(Decimal("0"))
    return queryset.annotate(
        raised_total=-Coalesce(Subquery(balance, output_field=MONEY), zero, output_field=MONEY),
        matched_total=Coalesce(Subquery(matched, output_field=MONEY), zero, output_field=MONEY),
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
