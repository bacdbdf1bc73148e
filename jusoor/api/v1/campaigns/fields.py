"""Serializer fields the campaign, donation and matching-pot endpoints share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_description_list
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import get_attribute

from jusoor.common.money import quantize


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$", "example": "10000.000"})
class MoneyField(serializers.Field):  # type: ignore[type-arg]
    """An amount as a decimal string with as many places as its currency has (TND 3, MAD and EUR 2).

    The currency is read from the same object: `currency_field`, "currency" unless told otherwise (dotted paths
    such as "campaign.currency" follow relations).
    """

    def __init__(self, *, currency_field: str = "currency", **kwargs: Any) -> None:
        self.currency_field = currency_field
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return (super().get_attribute(instance), get_attribute(instance, self.currency_field.split(".")))

    def to_representation(self, value: Any) -> str | None:
        amount, currency = value
        if amount is None:
            return None
        return str(quantize(Decimal(amount), currency))


class EnumField(serializers.ChoiceField):
    """A choice field whose values are one named enum in the schema (`enum_name`), shared by every serializer
    that uses it, rather than an enum named after the field: several models have a `status`."""

    def __init__(self, *, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        super().__init__(**kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField
    match_subclasses = True

    def get_name(self) -> str:
        return str(self.target.enum_name)

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        choices = list(self.target.choices.items())
        return {
            "type": "string",
            "enum": [value for value, _label in choices],
            "description": build_choice_description_list(choices),
        }
