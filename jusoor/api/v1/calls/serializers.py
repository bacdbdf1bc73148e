"""Calls and applications in the API.

Labels typed by managers (questions, choices) go out as {"ar", "fr", "en"}; an application's eligibility reasons
in the caller's language (Accept-Language). Answers come in as {question id: value}, checked by the calls app's
service against each question's kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jusoor.api.v1.campaigns.fields import EnumField, MoneyField
from jusoor.api.v1.campaigns.serializers import OrganizationRefOutputSerializer
from jusoor.api.v1.matching_pots.serializers import MSG_UNKNOWN_ORGANIZATION
from jusoor.api.v1.organizations.serializers import (
    KindOutputSerializer,
    StrictSerializer,
    TerritoryRefOutputSerializer,
)
from jusoor.api.v1.programmes.serializers import (
    DescriptionOutputSerializer,
    TitleOutputSerializer,
    TranslatedField,
)
from jusoor.api.v1.territories.serializers import ChoiceWithListField
from jusoor.calls.models import Application, Call, Question
from jusoor.common.i18nfield import localized
from jusoor.organizations.models import Organization
from jusoor.territories.models import Country

MAX_ANSWERS = 200
MSG_ANSWER_KEY = _("Answers are given by question id: whole numbers such as 12.")


# --- Filters ----------------------------------------------------------------------------------------------------


class CallFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    programme = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="Programme id: its open calls only"
    )
    country = ChoiceWithListField(
        choices=Country.choices,
        required=False,
        allow_blank=True,
        help_text="TN, MA or FR: calls open to organisations of that country (or of any country)",
    )
    theme = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="Theme slug: calls of programmes on that theme"
    )


class ApplicationFilterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = ChoiceWithListField(
        choices=Application.Status.choices,
        required=False,
        allow_blank=True,
        help_text="Only this status (the managers' list leaves drafts out unless asked for)",
    )


# --- Calls ------------------------------------------------------------------------------------------------------


class ProgrammeRefOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = TitleOutputSerializer(source="*")
    operator = OrganizationRefOutputSerializer()


class CallListOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = TitleOutputSerializer(source="*")
    programme = ProgrammeRefOutputSerializer()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    is_open = serializers.BooleanField(help_text="opens_at ≤ now < closes_at")
    countries = serializers.ListField(
        source="eligible_countries", child=serializers.CharField(), help_text="Empty: organisations of any country"
    )


class ChoiceOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    value = serializers.CharField(help_text="What an answer gives")
    label = TranslatedField()  # type: ignore[assignment]  # a field named like Field.label


class QuestionOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(help_text="The key of its answer")
    position = serializers.IntegerField()
    kind = EnumField(choices=Question.Kind.choices, enum_name="QuestionKindEnum")
    label = TranslatedField()  # type: ignore[assignment]  # a field named like Field.label
    help_text = TranslatedField()  # type: ignore[assignment]  # a field named like Field.help_text
    required = serializers.BooleanField()  # type: ignore[assignment]  # a field named like Field.required
    word_limit = serializers.IntegerField(allow_null=True, help_text="For long texts: at most this many words")
    choices = ChoiceOutputSerializer(many=True, help_text="For single and multiple choices")


class RuleOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rule = serializers.ChoiceField(choices=["kind", "country", "territory", "age", "verified", "amount"])
    text = serializers.CharField(help_text="The rule in words, in the caller's language")


class EligibilityRulesOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Who can apply. An empty list or a null sets no restriction. `rules` come from the context."""

    kinds = KindOutputSerializer(source="eligible_kinds", many=True, help_text="Organisation kinds")
    countries = serializers.ListField(source="eligible_countries", child=serializers.CharField())
    territories = TerritoryRefOutputSerializer(
        source="eligible_territories", many=True, help_text="The organisation is based in one of them or inside one"
    )
    minimum_age_months = serializers.IntegerField(allow_null=True, help_text="Months since the founding date")
    verified_only = serializers.BooleanField(source="require_verified")
    max_requested = MoneyField(currency_field="programme.currency", allow_null=True)
    currency = serializers.CharField(source="programme.currency")
    rules = serializers.SerializerMethodField()

    @extend_schema_field(RuleOutputSerializer(many=True))
    def get_rules(self, call: Call) -> Any:
        return RuleOutputSerializer(self.context["rules"], many=True).data


class CallDetailOutputSerializer(CallListOutputSerializer):
    """A call with its description, its eligibility rules and its application form (`questions` and `rules` come
    from the context)."""

    primary_language = serializers.ChoiceField(choices=settings.LANGUAGES)
    description = DescriptionOutputSerializer(source="*")
    eligibility = EligibilityRulesOutputSerializer(source="*")
    questions = serializers.SerializerMethodField()

    @extend_schema_field(QuestionOutputSerializer(many=True))
    def get_questions(self, call: Call) -> Any:
        return QuestionOutputSerializer(self.context["questions"], many=True).data


# --- Applications -----------------------------------------------------------------------------------------------


@extend_schema_field({"type": "integer", "example": 12})
class OrganizationField(serializers.Field):  # type: ignore[type-arg]
    """An organisation id."""

    def to_internal_value(self, data: Any) -> Organization:
        organization_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1).run_validation(data)
        organization = Organization.objects.filter(pk=organization_id).first()
        if organization is None:
            raise serializers.ValidationError(MSG_UNKNOWN_ORGANIZATION, code="unknown")
        return organization


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {},
        "example": {"12": "Jeunes entrepreneurs de Casablanca", "13": [{"label": "Formation", "amount": "30000"}]},
    }
)
class AnswersField(serializers.Field):  # type: ignore[type-arg]
    """{question id: value}; the keys are question ids (strings of digits in JSON)."""

    def to_internal_value(self, data: Any) -> dict[int, Any]:
        if not isinstance(data, Mapping) or len(data) > MAX_ANSWERS:
            raise serializers.ValidationError(MSG_ANSWER_KEY, code="invalid")
        answers = {}
        for key, value in data.items():
            text = str(key)
            if not (text.isascii() and text.isdigit()) or len(text) > 18:  # noqa: PLR2004  (a bigint)
                raise serializers.ValidationError(MSG_ANSWER_KEY, code="invalid")
            answers[int(text)] = value
        return answers


class ApplicationCreateInputSerializer(StrictSerializer):
    """A draft for one of the caller's organisations, with its first answers (it may be incomplete)."""

    organisation = OrganizationField(help_text="Id of the applying organisation (you are one of its administrators)")
    answers = AnswersField(
        required=False,
        default=dict,
        help_text="{question id: value}: a string for texts, a number or decimal string for numbers, a choice "
        "value (or a list of them) for choices, an ISO date, budget lines [{label, amount}]. File questions are "
        "answered on the site.",
    )

    def fingerprint(self) -> dict[str, Any]:
        data = self.validated_data
        return {"organisation": data["organisation"].pk, "answers": {str(k): v for k, v in data["answers"].items()}}


class ApplicationAnswersInputSerializer(StrictSerializer):
    answers = AnswersField(help_text='{question id: value}, as when applying; null, "" or [] removes an answer')


class EligibilityResultOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rule = serializers.CharField(help_text="kind, country, territory, age, verified or amount")
    ok = serializers.BooleanField()
    reason = serializers.SerializerMethodField(help_text="In the caller's language")

    def get_reason(self, result: dict[str, Any]) -> str:
        reason = result.get("reason")
        return localized(reason) if isinstance(reason, dict) else str(reason or "")


class ApplicationOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    call = serializers.IntegerField(source="call_id")
    organisation = OrganizationRefOutputSerializer(source="organization")
    status = EnumField(choices=Application.Status.choices, enum_name="ApplicationStatusEnum")
    status_reason = serializers.CharField(help_text="Why it was moved to this status, when a reason was given")
    requested_amount = MoneyField(
        currency_field="call.programme.currency", allow_null=True, help_text="The total of the budget tables"
    )
    currency = serializers.CharField(source="call.programme.currency")
    language = serializers.CharField(help_text="ar, fr or en: the language the applicant writes in")
    eligibility = EligibilityResultOutputSerializer(many=True, help_text="Checked at submission")
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    status_changed_at = serializers.DateTimeField(allow_null=True)


class AnswerOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    question = serializers.IntegerField(source="question_id")
    value = serializers.JSONField(help_text="As stored: texts, numbers as strings, choice values, ISO dates, budgets")


class ApplicationDetailOutputSerializer(ApplicationOutputSerializer):
    """An application with its answers (`answers` from the context)."""

    answers = serializers.SerializerMethodField()

    @extend_schema_field(AnswerOutputSerializer(many=True))
    def get_answers(self, application: Application) -> Any:
        return AnswerOutputSerializer(self.context["answers"], many=True).data
