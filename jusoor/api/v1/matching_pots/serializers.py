"""Matching pots in the API. Territories go in and out by code, themes by slug, campaigns and organisations by id."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jusoor.api.v1.campaigns.fields import MoneyField
from jusoor.api.v1.organizations.serializers import (
    MSG_UNKNOWN_TERRITORIES,
    MSG_UNKNOWN_THEMES,
    CodeListField,
    StrictSerializer,
)
from jusoor.campaigns.models import Campaign
from jusoor.common.money import precision, quantize
from jusoor.donations.models import DONATION_CURRENCIES, MatchingPot
from jusoor.organizations.models import Organization, Theme
from jusoor.territories.models import Territory

MSG_UNKNOWN_CAMPAIGNS = _("Unknown campaigns: %(codes)s.")
MSG_UNKNOWN_ORGANIZATION = _("This organisation does not exist.")
# As the donations service says it of amounts.
MSG_PRECISION = _("%(currency)s amounts have at most %(places)s decimals.")


# --- Input ----------------------------------------------------------------------------------------------------


@extend_schema_field({"type": "integer", "nullable": True, "example": 12})
class OrganizationIdField(serializers.Field):  # type: ignore[type-arg]
    """An organisation id; null for none."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_null=True, **kwargs)

    def to_internal_value(self, data: Any) -> Organization:
        organization_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1).run_validation(data)
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            raise serializers.ValidationError(MSG_UNKNOWN_ORGANIZATION, code="unknown")
        return organization


class MatchingPotCreateInputSerializer(StrictSerializer):
    """A sponsor's commitment: `ratio` units matched per unit donated, within the caps, to eligible campaigns."""

    name = serializers.CharField(max_length=200)
    sponsor_name = serializers.CharField(max_length=200)
    sponsor_organisation = OrganizationIdField(
        required=False, default=None, help_text="Id of the sponsoring organisation, if it is on Jusoor"
    )
    currency = serializers.CharField(
        max_length=3, help_text="The campaigns' currency: a pot matches campaigns in its own currency only"
    )
    total = serializers.CharField(max_length=20, help_text='A decimal string, e.g. "5000.000"')
    ratio = serializers.DecimalField(
        max_digits=6, decimal_places=3, required=False, default=Decimal("1"), help_text="Matched per unit donated"
    )
    cap_per_donation = serializers.DecimalField(max_digits=20, decimal_places=3, required=False, allow_null=True)
    cap_per_donor = serializers.DecimalField(max_digits=20, decimal_places=3, required=False, allow_null=True)
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()
    territories = CodeListField(
        child=serializers.CharField(max_length=32),
        queryset=Territory.objects.all(),
        lookup="code",
        message=MSG_UNKNOWN_TERRITORIES,
        required=False,
        default=list,
        help_text="Only campaigns in these territories (or inside them); none: everywhere",
    )
    themes = CodeListField(
        child=serializers.CharField(max_length=50),
        queryset=Theme.objects.all(),
        lookup="slug",
        message=MSG_UNKNOWN_THEMES,
        required=False,
        default=list,
        help_text="Only campaigns with one of these themes (slugs); none: every theme",
    )
    campaigns = CodeListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        queryset=Campaign.objects.all(),
        lookup="pk",
        message=MSG_UNKNOWN_CAMPAIGNS,
        required=False,
        default=list,
        help_text="Only these campaigns (ids); none: any campaign",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        currency = str(attrs.get("currency", "")).strip().upper()
        if currency in DONATION_CURRENCIES:
            errors = {}
            for field in ("cap_per_donation", "cap_per_donor"):
                cap = attrs.get(field)
                if cap is not None and quantize(cap, currency) != cap:
                    errors[field] = [MSG_PRECISION % {"currency": currency, "places": precision(currency)}]
            if errors:
                raise serializers.ValidationError(errors)
        return attrs

    def service_data(self) -> dict[str, Any]:
        """What matching_pot_open takes."""
        data = dict(self.validated_data)
        data["sponsor_organization"] = data.pop("sponsor_organisation")
        return data

    def fingerprint(self) -> dict[str, Any]:
        """The request as compared between retries with the same idempotency key."""
        data = self.service_data()
        return {
            **{key: str(value) for key, value in data.items() if key not in {"territories", "themes", "campaigns"}},
            "sponsor_organization": data["sponsor_organization"].pk if data["sponsor_organization"] else None,
            "territories": sorted(t.pk for t in data["territories"]),
            "themes": sorted(t.pk for t in data["themes"]),
            "campaigns": sorted(c.pk for c in data["campaigns"]),
        }


# --- Output ---------------------------------------------------------------------------------------------------


class SponsorOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(source="sponsor_name")
    organisation = serializers.IntegerField(
        source="sponsor_organization_id", allow_null=True, help_text="Id of the sponsoring organisation, if any"
    )


class EligibilityOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Which campaigns the pot matches. An empty list sets no restriction."""

    territories = serializers.SerializerMethodField(help_text="Territory codes (campaigns in them or inside them)")
    themes = serializers.SerializerMethodField(help_text="Theme slugs")
    campaigns = serializers.SerializerMethodField(help_text="Campaign ids")

    def get_territories(self, pot: MatchingPot) -> list[str]:
        return [territory.code for territory in pot.territories.all()]

    def get_themes(self, pot: MatchingPot) -> list[str]:
        return [theme.slug for theme in pot.themes.all()]

    def get_campaigns(self, pot: MatchingPot) -> list[int]:
        return [campaign.pk for campaign in pot.campaigns.all()]


class MatchingPotOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()
    sponsor = SponsorOutputSerializer(source="*")
    currency = serializers.CharField()
    total = MoneyField(help_text="What the sponsor committed")
    available = MoneyField(source="available_total", help_text="What is left to match (from the ledger)")
    ratio = serializers.DecimalField(max_digits=6, decimal_places=3, help_text="Matched per unit donated")
    cap_per_donation = MoneyField(allow_null=True, help_text="At most this much matched per donation")
    cap_per_donor = MoneyField(allow_null=True, help_text="At most this much matched per donor (by e-mail)")
    valid_from = serializers.DateTimeField()
    valid_until = serializers.DateTimeField()
    is_active = serializers.BooleanField()
    eligible = EligibilityOutputSerializer(source="*")
