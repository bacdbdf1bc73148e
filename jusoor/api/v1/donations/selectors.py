"""The small reads the donation endpoints need that the donations app does not offer."""

from __future__ import annotations

from django.db.models import QuerySet

from jusoor.campaigns.models import Campaign
from jusoor.donations.models import Donation
from jusoor.donations.selectors import organization_donations


def donation_key_used(*, idempotency_key: str) -> bool:
    """Whether a pledge was already made with this idempotency key (its replay answers 200, not 201)."""
    return Donation.objects.filter(idempotency_key=idempotency_key).exists()


def campaign_donations(*, campaign: Campaign) -> QuerySet[Donation]:
    """Every donation to the campaign (any status), newest first, as its organisation may see them."""
    return organization_donations(campaign.organization).filter(campaign=campaign)
