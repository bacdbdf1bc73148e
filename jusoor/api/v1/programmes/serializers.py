"""Programmes in the API: the public list and detail, and the results dashboard (indicators).

Money (the envelope, the grant range) goes out as decimal strings with the programme currency's places; indicator
values (counts, people, hours…) as decimal strings with three places, as stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jusoor.api.v1.campaigns.fields import EnumField, MoneyField
from jusoor.api.v1.campaigns.serializers import OrganizationRefOutputSerializer
from jusoor.api.v1.organizations.serializers import (
    TerritoryRefOutputSerializer,
    ThemeOutputSerializer,
    TranslationsSerializer,
)
from jusoor.api.v1.territories.serializers import ChoiceWithListField
from jusoor.programmes.models import Indicator, Programme
from jusoor.territories.models import Country


def value_field(**kwargs: Any) -> serializers.DecimalField:
    """An indicator value (a count, people, hours, an amount…) as a decimal string with three places, as stored."""
    return serializers.DecimalField(max_digits=20, decimal_places=3, **kwargs)


@extend_schema_field(TranslationsSerializer)
class TranslatedField(serializers.Field):  # type: ignore[type-arg]
    """A {"ar", "fr", "en"} JSON label (a missing language is "")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> dict[str, str]:
        value = value if isinstance(value, dict) else {}
        return {code: str(value.get(code) or "") for code in ("ar", "fr", "en")}


class TitleOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ar = serializers.CharField(source="title_ar")
    fr = serializers.CharField(source="title_fr")
    en = serializers.CharField(source="title_en")


class DescriptionOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ar = serializers.CharField(source="description_ar")
    fr = serializers.CharField(source="description_fr")
    en = serializers.CharField(source="description_en")


# --- Filters ----------------------------------------------------------------------------------------------------


class ProgrammeFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    country = ChoiceWithListField(
        choices=Country.choices, required=False, allow_blank=True, help_text="TN, MA or FR: where the programme works"
    )
    territory = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="Territory code (a region such as MA-06, or a province or commune in it): programmes working in "
        "it, around it or inside it",
    )
    theme = serializers.CharField(required=False, allow_blank=True, max_length=50, help_text="Theme slug")


class IndicatorFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    until = serializers.DateField(required=False, help_text="Actual values up to this day (today by default)")


# --- Programmes -------------------------------------------------------------------------------------------------


class ProgrammeListOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = TitleOutputSerializer(source="*")
    operator = OrganizationRefOutputSerializer()
    territories = TerritoryRefOutputSerializer(many=True)
    themes = ThemeOutputSerializer(many=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    currency = serializers.CharField()
    budget_envelope = MoneyField()
    status = EnumField(
        choices=Programme.Status.choices,
        enum_name="ProgrammeStatusEnum",
        help_text="The list shows active and closed programmes; a draft is served to its team only",
    )


class CallRefOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = TitleOutputSerializer(source="*")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    is_open = serializers.BooleanField(help_text="opens_at ≤ now < closes_at")


class ProgrammeDetailOutputSerializer(ProgrammeListOutputSerializer):
    """A programme with its description, funders, grant range and published calls (`calls` from the context)."""

    primary_language = serializers.ChoiceField(choices=settings.LANGUAGES)
    description = DescriptionOutputSerializer(source="*")
    funders = OrganizationRefOutputSerializer(many=True, help_text="Funders registered on Jusoor")
    other_funders = serializers.CharField(source="funder_names", help_text="Funders not on Jusoor, in words")
    grant_minimum = MoneyField(allow_null=True, help_text="The smallest seed grant")
    grant_maximum = MoneyField(allow_null=True, help_text="The largest seed grant")
    calls = serializers.SerializerMethodField(help_text="Published calls for applications, latest first")

    @extend_schema_field(CallRefOutputSerializer(many=True))
    def get_calls(self, programme: Programme) -> Any:
        return CallRefOutputSerializer(self.context["calls"], many=True).data


# --- Indicators -------------------------------------------------------------------------------------------------


class TargetOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One version of a target: revisions add versions, nothing is overwritten."""

    value = value_field()
    version = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.source
    set_on = serializers.DateField()


class HeadlineTargetOutputSerializer(TargetOutputSerializer):
    period_end = serializers.DateField()


class PeriodTargetOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period_end = serializers.DateField()
    current = TargetOutputSerializer(help_text="The latest version")
    history = TargetOutputSerializer(many=True, help_text="Every version, the latest first")


class RegionValueOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    territory = TerritoryRefOutputSerializer()
    actual = value_field(allow_null=True, help_text="null: not available per region")


class BreakdownCellOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    value = serializers.CharField(help_text='e.g. "women", "15_24", "unspecified"')
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    actual = value_field()

    def to_representation(self, instance: Any) -> Any:
        value, label, actual = instance
        return super().to_representation({"value": value, "label": label, "actual": actual})


class BreakdownOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(help_text="sex or age_band")
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    cells = BreakdownCellOutputSerializer(many=True)


class IndicatorOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One row of the dashboard (`jusoor.programmes.selectors.dashboard.IndicatorRow`)."""

    id = serializers.IntegerField(source="indicator.id")
    code = serializers.CharField(source="indicator.code")
    name = TranslatedField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    baseline = value_field(source="indicator.baseline")
    kind = EnumField(source="indicator.kind", choices=Indicator.Kind.choices, enum_name="IndicatorKindEnum")
    metric = serializers.CharField(
        source="indicator.metric", help_text="What a computed indicator is computed from (empty when manual)"
    )
    available = serializers.BooleanField(help_text="false: the metric is not available on this platform")
    actual = value_field(
        allow_null=True,
        help_text="Computed from the platform's records, or the sum of the approved reports up to `until`",
    )
    target = HeadlineTargetOutputSerializer(
        allow_null=True, help_text="The current target of the first period not over yet (else of the last period)"
    )
    percent = serializers.DecimalField(
        max_digits=12, decimal_places=1, allow_null=True, help_text="actual / target × 100, one decimal"
    )
    periods = PeriodTargetOutputSerializer(many=True)
    regions = RegionValueOutputSerializer(many=True, help_text="One entry per territory of the programme")
    breakdowns = BreakdownOutputSerializer(many=True)


class DashboardOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    programme = serializers.IntegerField(source="programme.id")
    until = serializers.DateField()
    indicators = IndicatorOutputSerializer(source="rows", many=True)
