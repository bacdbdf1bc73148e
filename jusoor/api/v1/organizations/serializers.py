"""Organisations, themes and SDGs in the API: one input and one output serializer per endpoint (STYLE §3).

Input serializers only parse and validate; the views pass `service_data()` to the services, never `save()`.
Codes go in and come out: territory codes, kind and theme slugs, SDG goal numbers, SDG target codes.
Translated labels come out as {"ar", "fr", "en"}.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jusoor.accounts.forms import country_choices, normalise_phone
from jusoor.api.v1.territories.serializers import ChoiceWithListField
from jusoor.organizations.forms import REGISTRATION_FORMATS
from jusoor.organizations.models import (
    BoardMember,
    BudgetBand,
    Organization,
    OrganizationKind,
    Registry,
    SDGGoal,
    SDGTarget,
    Theme,
)
from jusoor.organizations.selectors.directory import SORTS
from jusoor.territories.models import Country, Territory

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
INT_MAX = 2_147_483_647  # PositiveIntegerField on PostgreSQL
DESCRIPTION_MAX_LENGTH = 10_000
ADDRESS_MAX_LENGTH = 1_000
REASON_MAX_LENGTH = 2_000  # as ReasonForm
MAX_CODES = 100

# The same messages as the HTML form and the directory, so they share one translation.
MSG_NAME_REQUIRED = _("Give the organisation's name in at least one language.")
MSG_REGISTRY_REQUIRED = _("Say which registry this number belongs to.")
MSG_REGISTRATION_FORMAT = _("This number does not have the expected format (for example %(example)s).")
MSG_UNKNOWN_TERRITORY = _("Unknown territory code: %(code)s.")
MSG_UNKNOWN_TERRITORIES = _("Unknown territory codes: %(codes)s.")
MSG_UNKNOWN_KIND = _("This kind of organisation does not exist.")
MSG_UNKNOWN_SDG = _("The sustainable development goals are numbered from 1 to 17.")
# API only.
MSG_UNKNOWN_THEMES = _("Unknown themes: %(codes)s.")
MSG_UNKNOWN_SDG_TARGETS = _("Unknown SDG targets: %(codes)s.")
MSG_UNKNOWN_FIELD = _("This field does not exist.")


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes the organisation form offers."""
    return frozenset(code for code, _name in country_choices("en") if code)


# --- Building blocks ------------------------------------------------------------------------------------------


class StrictSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Refuses keys it does not know, so a misspelt or read-only field (`status`) is an error, not ignored."""

    def to_internal_value(self, data: Any) -> Any:
        unknown = sorted(str(key) for key in data if key not in self.fields) if isinstance(data, Mapping) else []
        errors: dict[str, Any] = {
            key: [serializers.ErrorDetail(str(MSG_UNKNOWN_FIELD), code="unknown_field")] for key in unknown
        }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if errors and isinstance(exc.detail, dict):
                exc.detail.update(errors)
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value


class TranslationsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ar = serializers.CharField()
    fr = serializers.CharField()
    en = serializers.CharField()


class NamesOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ar = serializers.CharField(source="name_ar")
    fr = serializers.CharField(source="name_fr")
    en = serializers.CharField(source="name_en")


class NamesInputSerializer(StrictSerializer):
    """The name in Arabic, French and English; at least one is needed."""

    ar = serializers.CharField(max_length=255, required=False, allow_blank=True)
    fr = serializers.CharField(max_length=255, required=False, allow_blank=True)
    en = serializers.CharField(max_length=255, required=False, allow_blank=True)


class CountryCodeField(serializers.CharField):
    """An ISO 3166-1 alpha-2 country code (TN, MA, FR…), as in the organisation form."""

    default_error_messages = {"invalid_choice": serializers.ChoiceField.default_error_messages["invalid_choice"]}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_length=2, max_length=2, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).upper()
        if code not in _country_codes():
            self.fail("invalid_choice", input=data)
        return code


@extend_schema_field({"type": "string", "nullable": True, "maxLength": 32, "example": "TN-82"})
class TerritoryCodeField(serializers.Field):  # type: ignore[type-arg]
    """A territory code (`TN-82`); null or "" for none."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_null=True, **kwargs)

    def to_internal_value(self, data: Any) -> Territory | None:
        code = serializers.CharField(max_length=32, allow_blank=True).run_validation(data).strip()
        if not code:
            return None
        territory = Territory.objects.filter(code=code).first()
        if territory is None:
            raise serializers.ValidationError(MSG_UNKNOWN_TERRITORY % {"code": code}, code="unknown")
        return territory

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data == "":
            return True, None
        return super().validate_empty_values(data)


@extend_schema_field({"type": "string", "maxLength": 50, "example": "association"})
class KindSlugField(serializers.Field):  # type: ignore[type-arg]
    """The slug of an organisation kind (see /api/v1/organisation-kinds/)."""

    def to_internal_value(self, data: Any) -> OrganizationKind:
        slug = serializers.CharField(max_length=50).run_validation(data)
        kind = OrganizationKind.objects.filter(slug=slug).first()
        if kind is None:
            raise serializers.ValidationError(MSG_UNKNOWN_KIND, code="unknown")
        return kind


class CodeListField(serializers.ListField):
    """A list of codes resolved to objects in one query, in the given order, duplicates dropped.

    Unknown codes are all named in one error message.
    """

    def __init__(self, *, queryset: QuerySet[Any], lookup: str, message: Any, **kwargs: Any) -> None:
        self.queryset, self.lookup, self.message = queryset, lookup, message
        kwargs.setdefault("max_length", MAX_CODES)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[Model]:
        codes = list(dict.fromkeys(super().to_internal_value(data)))
        found = {getattr(obj, self.lookup): obj for obj in self.queryset.all().filter(**{f"{self.lookup}__in": codes})}
        unknown = [str(code) for code in codes if code not in found]
        if unknown:
            if "%(codes)s" in str(self.message):
                raise serializers.ValidationError(self.message % {"codes": ", ".join(unknown)}, code="unknown")
            raise serializers.ValidationError(self.message, code="unknown")
        return [found[code] for code in codes]


# --- Output ---------------------------------------------------------------------------------------------------


class KindOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    slug = serializers.CharField()
    name = TranslationsSerializer(source="label")


class OrganizationKindOutputSerializer(KindOutputSerializer):
    can_receive_funds = serializers.BooleanField(
        help_text="Whether organisations of this kind can be verified to receive funds."
    )


class ThemeOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    slug = serializers.CharField()
    name = TranslationsSerializer(source="label")


class TerritoryRefOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = TranslationsSerializer(source="names")


class SDGGoalRefOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.IntegerField()
    short = TranslationsSerializer()
    color = serializers.CharField()


class SDGTargetOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    title = TranslationsSerializer()


class SDGGoalOutputSerializer(SDGGoalRefOutputSerializer):
    title = TranslationsSerializer()
    targets = SDGTargetOutputSerializer(many=True)


class BoardMemberOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    full_name = serializers.CharField()
    role = serializers.ChoiceField(choices=BoardMember.Role.choices)


class OrganizationListOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Public fields of an organisation, as listed in the directory."""

    id = serializers.IntegerField()
    name = NamesOutputSerializer(source="*")
    primary_language = serializers.ChoiceField(choices=settings.LANGUAGES)
    acronym = serializers.CharField()
    kind = KindOutputSerializer()
    country = serializers.CharField()
    territory = TerritoryRefOutputSerializer(allow_null=True)
    themes = ThemeOutputSerializer(many=True)
    sdg_goals = SDGGoalRefOutputSerializer(many=True)
    status = serializers.ChoiceField(choices=Organization.Status.choices)
    verified = serializers.SerializerMethodField(help_text="Documents checked by the platform staff (the badge).")
    status_changed_at = serializers.DateTimeField(allow_null=True, help_text="When the status last changed.")
    website = serializers.CharField(help_text="URL, or empty")
    logo = serializers.SerializerMethodField()

    def get_verified(self, organization: Organization) -> bool:
        return organization.status == Organization.Status.VERIFIED

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_logo(self, organization: Organization) -> str | None:
        return organization.logo.url if organization.logo else None


# Shown only to those with `organizations.view_private_contact` (members, partners, verifiers): the profile
# page shows them in its "Contact" box under the same permission.
PRIVATE_FIELDS = ("contact_email", "contact_phone", "address", "latitude", "longitude")


class OrganizationDetailOutputSerializer(OrganizationListOutputSerializer):
    """Every field of an organisation. The contact fields (e-mail, phone, address, coordinates) are present only
    for callers allowed to see them: members of the organisation, members of a verified organisation, staff."""

    legal_form = serializers.CharField()
    registry = serializers.ChoiceField(choices=[("", "—"), *Registry.choices])
    registration_number = serializers.CharField()
    founded_on = serializers.DateField(allow_null=True)
    operating_territories = TerritoryRefOutputSerializer(many=True)
    sdg_targets = serializers.SerializerMethodField(help_text='SDG target codes ("1.1", "1.a")')
    description = serializers.CharField()
    social_links = serializers.ListField(child=serializers.URLField())
    members_count = serializers.IntegerField(allow_null=True)
    volunteers_count = serializers.IntegerField(allow_null=True)
    budget_band = serializers.ChoiceField(choices=[("", "—"), *BudgetBand.choices])
    board = BoardMemberOutputSerializer(many=True)
    contact_email = serializers.CharField(required=False, help_text="Members, partners and staff only.")
    contact_phone = serializers.CharField(required=False, help_text="E.164. Members, partners and staff only.")
    address = serializers.CharField(required=False, help_text="Members, partners and staff only.")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True, required=False
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True, required=False
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_sdg_targets(self, organization: Organization) -> list[str]:
        return [target.code for target in organization.sdg_targets.all()]

    def to_representation(self, instance: Organization) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not self.context.get("show_private", False):
            for field in PRIVATE_FIELDS:
                data.pop(field, None)
        return data


# --- Input ----------------------------------------------------------------------------------------------------


class OrganizationFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Name, acronym, registration number, description"
    )
    country = ChoiceWithListField(choices=Country.choices, required=False, allow_blank=True)
    territory = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text="Territory code: the territory and everything in it"
    )
    kind = serializers.CharField(required=False, allow_blank=True, max_length=50, help_text="Organisation kind slug")
    theme = serializers.CharField(required=False, allow_blank=True, max_length=50, help_text="Theme slug")
    sdg = serializers.IntegerField(required=False, min_value=1, max_value=17, help_text="SDG goal number")
    verified = serializers.BooleanField(required=False, default=False, help_text="Only verified organisations")
    sort = ChoiceWithListField(
        choices=[(s, s) for s in SORTS],
        required=False,
        default="relevance",
        help_text="relevance (with q; otherwise newest), name or newest",
    )


class OrganizationInputSerializer(StrictSerializer):
    """The fields an owner or administrator writes. Validated like the HTML form."""

    name = NamesInputSerializer(help_text="At least one of ar, fr, en.")
    primary_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    acronym = serializers.CharField(max_length=30, required=False, allow_blank=True)
    kind = KindSlugField()
    legal_form = serializers.CharField(max_length=120, required=False, allow_blank=True)
    registry = serializers.ChoiceField(choices=Registry.choices, required=False, allow_blank=True)
    registration_number = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="Checked against the registry's format (tn-rne 1234567A, fr-rna W751234567, fr-siren 123456789, "
        "ma-ice 001234567000089).",
    )
    founded_on = serializers.DateField(required=False, allow_null=True)
    country = CountryCodeField(help_text="ISO 3166-1 alpha-2 code")
    territory = TerritoryCodeField(required=False, help_text="Territory code of the seat")
    operating_territories = CodeListField(
        child=serializers.CharField(max_length=32),
        queryset=Territory.objects.all(),
        lookup="code",
        message=MSG_UNKNOWN_TERRITORIES,
        required=False,
        help_text="Codes of the territories where it works",
    )
    address = serializers.CharField(max_length=ADDRESS_MAX_LENGTH, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        coerce_to_string=False,
        required=False,
        allow_null=True,
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        coerce_to_string=False,
        required=False,
        allow_null=True,
    )
    themes = CodeListField(
        child=serializers.CharField(max_length=50),
        queryset=Theme.objects.all(),
        lookup="slug",
        message=MSG_UNKNOWN_THEMES,
        required=False,
        help_text="Theme slugs",
    )
    sdg_goals = CodeListField(
        child=serializers.IntegerField(min_value=1, max_value=17),
        queryset=SDGGoal.objects.all(),
        lookup="number",
        message=MSG_UNKNOWN_SDG,
        required=False,
        help_text="SDG goal numbers (1 to 17)",
    )
    sdg_targets = CodeListField(
        child=serializers.CharField(max_length=8),
        queryset=SDGTarget.objects.all(),
        lookup="code",
        message=MSG_UNKNOWN_SDG_TARGETS,
        required=False,
        help_text='SDG target codes ("1.1", "1.a")',
    )
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    social_links = serializers.ListField(child=serializers.URLField(max_length=200), max_length=10, required=False)
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    contact_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="International format: +216 71 234 567"
    )
    members_count = serializers.IntegerField(min_value=0, max_value=INT_MAX, required=False, allow_null=True)
    volunteers_count = serializers.IntegerField(min_value=0, max_value=INT_MAX, required=False, allow_null=True)
    budget_band = serializers.ChoiceField(choices=BudgetBand.choices, required=False, allow_blank=True)

    def validate_registration_number(self, value: str) -> str:
        return value.strip().upper()

    def validate_contact_phone(self, value: str) -> str:
        try:
            return normalise_phone(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The form's cross-field rules, on the values the organisation will have after the change."""
        current: Organization | None = self.context.get("organization")

        def value(field: str) -> Any:
            if field in attrs:
                return attrs[field]
            return getattr(current, field) if current is not None else ""

        errors: dict[str, list[Any]] = {}
        names = {code: getattr(current, f"name_{code}") if current else "" for code in LANGUAGE_CODES}
        names.update(attrs.get("name", {}))
        if "name" in attrs and not any(name.strip() for name in names.values()):
            errors["name"] = [MSG_NAME_REQUIRED]
        registry, number = value("registry"), value("registration_number")
        if number and not registry:
            errors["registry"] = [MSG_REGISTRY_REQUIRED]
        if registry in REGISTRATION_FORMATS and number:
            pattern, example = REGISTRATION_FORMATS[registry]
            if not re.match(pattern, number):
                errors["registration_number"] = [MSG_REGISTRATION_FORMAT % {"example": example}]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def service_data(self) -> dict[str, Any]:
        """What organization_create / organization_update take: model fields and relation lists."""
        data = dict(self.validated_data)
        for code, name in data.pop("name", {}).items():
            data[f"name_{code}"] = name.strip()
        return data


class OrganizationCreateInputSerializer(OrganizationInputSerializer):
    pass


class OrganizationUpdateInputSerializer(OrganizationInputSerializer):
    """Only the fields sent are changed; lists (themes, territories…) are replaced as a whole."""


class VerificationInputSerializer(StrictSerializer):
    """A verification decision and its reason."""

    action = ChoiceWithListField(
        choices=[("verify", "verify"), ("refuse", "refuse"), ("suspend", "suspend")],
        help_text="verify (pending or suspended → verified), refuse (pending → unverified), "
        "suspend (verified → suspended)",
    )
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, help_text="Sent to the organisation.")
