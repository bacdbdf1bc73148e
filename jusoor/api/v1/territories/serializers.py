from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jusoor.territories.models import Country, Kind


class ChoiceWithListField(serializers.ChoiceField):
    """A choice field whose error lists the allowed values."""

    default_error_messages = {"invalid_choice": _('"{input}" is not allowed. Allowed values: {allowed}.')}

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        if str(data) not in self.choice_strings_to_values:
            self.fail("invalid_choice", input=data, allowed=", ".join(self.choice_strings_to_values))
        return self.choice_strings_to_values[str(data)]


class TerritoryFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    country = ChoiceWithListField(choices=Country.choices, required=False, help_text="TN, MA or FR")
    kind = ChoiceWithListField(choices=Kind.choices, required=False)
    parent = serializers.CharField(  # type: ignore[assignment]  # a field named like Field.parent
        required=False, max_length=32, help_text="Code of the parent territory"
    )
    q = serializers.CharField(required=False, max_length=100, help_text="Name in Arabic, French or English")


class NamesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ar = serializers.CharField()
    fr = serializers.CharField()
    en = serializers.CharField()


class TerritoryOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    code_system = serializers.CharField()
    kind = serializers.CharField()
    country = serializers.CharField()
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)  # type: ignore[assignment]
    name = NamesSerializer(source="names")


class TerritoryDetailOutputSerializer(TerritoryOutputSerializer):
    population = serializers.IntegerField(allow_null=True)
    other_codes = serializers.SerializerMethodField()

    def get_other_codes(self, territory: Any) -> list[dict[str, str]]:
        return [{"system": c.system, "code": c.code} for c in territory.codes.all()]


class GeoJSONFeatureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    type = serializers.CharField()
    geometry = serializers.JSONField()
    properties = serializers.JSONField()
