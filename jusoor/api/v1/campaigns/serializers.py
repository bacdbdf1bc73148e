"""Campaigns in the API: one output serializer per endpoint, a filter serializer for the list (STYLE §3).

Money goes out as decimal strings with the currency's own places ("10000.000" TND, "250.00" EUR), never as
floats. What a campaign raised comes from the ledger (`jusoor.donations.selectors`), never from a stored counter.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jusoor.api.v1.campaigns.fields import EnumField, MoneyField
from jusoor.api.v1.organizations.serializers import (
    NamesOutputSerializer,
    TerritoryRefOutputSerializer,
    ThemeOutputSerializer,
)
from jusoor.api.v1.territories.serializers import ChoiceWithListField
from jusoor.campaigns.models import Campaign
from jusoor.donations.selectors import CampaignProgress
from jusoor.territories.models import Country

PUBLIC_STATUS_CHOICES = [
    (value, label) for value, label in Campaign.Status.choices if value in Campaign.PUBLIC_STATUSES
]


class CampaignTitleOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ar = serializers.CharField(source="title_ar")
    fr = serializers.CharField(source="title_fr")
    en = serializers.CharField(source="title_en")


class CampaignSummaryOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ar = serializers.CharField(source="summary_ar")
    fr = serializers.CharField(source="summary_fr")
    en = serializers.CharField(source="summary_en")


class CampaignStoryOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ar = serializers.CharField(source="story_ar")
    fr = serializers.CharField(source="story_fr")
    en = serializers.CharField(source="story_en")


class OrganizationRefOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = NamesOutputSerializer(source="*")


def _percent(goal: Decimal, raised: Decimal, matched: Decimal) -> int:
    progress = CampaignProgress(currency="", goal=goal, raised=raised, matched=matched, donors=0, pending_transfers=0)
    return progress.percent


# --- Filters ----------------------------------------------------------------------------------------------------


class CampaignFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    country = ChoiceWithListField(
        choices=Country.choices, required=False, allow_blank=True, help_text="TN, MA or FR: where the money is spent"
    )
    territory = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="Territory code: campaigns in the territory and everything in it (a governorate lists the "
        "campaigns of its municipalities)",
    )
    theme = serializers.CharField(required=False, allow_blank=True, max_length=50, help_text="Theme slug")
    status = ChoiceWithListField(
        choices=PUBLIC_STATUS_CHOICES, required=False, allow_blank=True, help_text="One of the public statuses"
    )


# --- Output -----------------------------------------------------------------------------------------------------


class CampaignBaseOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = CampaignTitleOutputSerializer(source="*")
    organisation = OrganizationRefOutputSerializer(source="organization")
    territory = TerritoryRefOutputSerializer(help_text="Where the money is spent")
    currency = serializers.CharField()
    goal = MoneyField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = EnumField(choices=Campaign.Status.choices, enum_name="CampaignStatusEnum")
    funding_model = serializers.ChoiceField(
        choices=Campaign.FundingModel.choices,
        help_text="all_or_nothing: donors are refunded unless the goal is reached; keep: the organisation keeps "
        "what it raised",
    )


class CampaignListOutputSerializer(CampaignBaseOutputSerializer):
    """A public campaign as listed, with what it raised so far."""

    raised = MoneyField(source="raised_total", help_text="Donations received minus refunds (from the ledger)")
    matched = MoneyField(source="matched_total", help_text="Matching funds reserved or paid to the campaign")
    percent = serializers.SerializerMethodField(help_text="(raised + matched) / goal, in whole percent, at most 100")

    def get_percent(self, campaign: Any) -> int:
        return _percent(campaign.goal, campaign.raised_total, campaign.matched_total)


class BudgetLineOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    amount = MoneyField(currency_field="campaign.currency")


class CampaignProgressOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    raised = MoneyField(help_text="Donations received minus refunds (from the ledger)")
    matched = MoneyField(help_text="Matching funds reserved or paid to the campaign")
    total = MoneyField(help_text="raised + matched")
    percent = serializers.IntegerField(help_text="total / goal, in whole percent, at most 100")
    donors = serializers.IntegerField(help_text="Distinct donors whose donation was received")
    pending_transfers = serializers.IntegerField(help_text="Bank transfers pledged and still awaited")


class MatchingPotRefOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A matching pot that would match a donation to this campaign now."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    sponsor = serializers.CharField(source="sponsor_name")
    currency = serializers.CharField()
    ratio = serializers.DecimalField(max_digits=6, decimal_places=3, help_text="Matched per unit donated")
    available = MoneyField(source="available_total", help_text="What is left in the pot (from the ledger)")
    cap_per_donation = MoneyField(allow_null=True)
    valid_until = serializers.DateTimeField()


class CampaignDetailOutputSerializer(CampaignBaseOutputSerializer):
    """Everything public about a campaign, its budget, its progress and the matching pots that would match a
    donation now. `progress` and `matching_pots` come from the context."""

    primary_language = serializers.ChoiceField(choices=settings.LANGUAGES)
    summary = CampaignSummaryOutputSerializer(source="*")
    story = CampaignStoryOutputSerializer(source="*")
    cover_image = serializers.SerializerMethodField()
    themes = ThemeOutputSerializer(many=True)
    sdg_goals = serializers.SerializerMethodField(help_text="SDG goal numbers (1 to 17)")
    beneficiaries_count = serializers.IntegerField(allow_null=True)
    beneficiaries_description = serializers.CharField()
    minimum_goal = MoneyField(allow_null=True)
    stretch_goal = MoneyField(allow_null=True)
    display_timezone = serializers.CharField(help_text="Where the deadline is shown (IANA time zone)")
    budget = BudgetLineOutputSerializer(source="budget_lines", many=True)
    progress = serializers.SerializerMethodField()
    matching_pots = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_cover_image(self, campaign: Campaign) -> str | None:
        return campaign.cover_image.url if campaign.cover_image else None

    def get_sdg_goals(self, campaign: Campaign) -> list[int]:
        return [goal.number for goal in campaign.sdg_goals.all()]

    @extend_schema_field(CampaignProgressOutputSerializer)
    def get_progress(self, campaign: Campaign) -> Any:
        return CampaignProgressOutputSerializer(self.context["progress"]).data

    @extend_schema_field(MatchingPotRefOutputSerializer(many=True))
    def get_matching_pots(self, campaign: Campaign) -> Any:
        return MatchingPotRefOutputSerializer(self.context["matching_pots"], many=True).data
