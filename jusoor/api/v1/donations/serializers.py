"""Donations in the API: the pledge a donor sends, what they get back, and the organisation's list.

Amounts come in as decimal strings ("50", "12.500") and are parsed by the donations service, which knows each
currency's places and limits; they go out with the currency's places.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jusoor.api.v1.campaigns.fields import EnumField, MoneyField
from jusoor.api.v1.organizations.serializers import CountryCodeField, StrictSerializer
from jusoor.donations.models import DONATION_CURRENCIES, Donation
from jusoor.donations.providers import PaymentStep

# --- Input ----------------------------------------------------------------------------------------------------


class DonationCreateInputSerializer(StrictSerializer):
    """A pledge. No account is needed: the e-mail address receives the receipt and the status link."""

    amount = serializers.CharField(
        max_length=20,
        help_text="A decimal string greater than zero, with at most the currency's decimals (TND 3, others 2).",
    )
    currency = serializers.CharField(
        max_length=3, help_text=f"What the donor pays in: {', '.join(DONATION_CURRENCIES)}"
    )
    provider = serializers.CharField(
        max_length=20, help_text="Payment method identifier (testpay, stripe, bank_transfer…) taking this currency"
    )
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    country_of_residence = CountryCodeField(help_text="ISO 3166-1 alpha-2 code")
    message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    dedication = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="In honour or memory of"
    )
    anonymous_public = serializers.BooleanField(required=False, default=False, help_text="Hide the name publicly")
    anonymous_to_organization = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Hide the name and e-mail from the organisation too (implies anonymous_public)",
    )


# --- Output ---------------------------------------------------------------------------------------------------


class PaymentStepOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What the donor does next: open `redirect_url` (a hosted payment page), or follow `instructions` (a bank
    transfer: IBAN, reference, amount). Both empty once the donation is no longer waiting for its payment."""

    redirect_url = serializers.CharField(allow_null=True)
    instructions = serializers.DictField(child=serializers.CharField())


class DonationCreatedOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The pledge, its exchange-rate snapshot and the next step. `payment` and `status_url` come from the
    context."""

    reference = serializers.CharField(help_text="To quote in a bank transfer's label and when writing to us")
    status = EnumField(choices=Donation.Status.choices, enum_name="DonationStatusEnum")
    amount = MoneyField()
    currency = serializers.CharField()
    campaign_amount = MoneyField(currency_field="campaign_currency", help_text="In the campaign's currency")
    campaign_currency = serializers.CharField()
    rate = serializers.DecimalField(
        max_digits=18, decimal_places=8, help_text="campaign_amount = amount × rate, rounded"
    )
    rate_day = serializers.DateField(help_text="The day of the exchange rate used")
    payment = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField(help_text="The donor's page for this donation (no login needed)")

    @extend_schema_field(PaymentStepOutputSerializer)
    def get_payment(self, donation: Donation) -> dict[str, Any]:
        step: PaymentStep = self.context["payment"]
        return {"redirect_url": step.redirect_url or None, "instructions": dict(step.instructions)}

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_status_url(self, donation: Donation) -> str:
        return str(self.context["status_url"])


class DonationOrganizationOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A donation as the organisation sees it: `name` and `email` are null for donors who hid from it too."""

    reference = serializers.CharField()
    status = EnumField(choices=Donation.Status.choices, enum_name="DonationStatusEnum")
    amount = MoneyField()
    currency = serializers.CharField()
    campaign_amount = MoneyField(currency_field="campaign_currency")
    campaign_currency = serializers.CharField()
    refunded_amount = MoneyField(help_text="In the donor's currency")
    provider = serializers.CharField()
    name = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    country_of_residence = serializers.CharField()
    message = serializers.CharField()
    dedication = serializers.CharField()
    anonymous_public = serializers.BooleanField()
    anonymous_to_organization = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    captured_at = serializers.DateTimeField(allow_null=True)

    def get_name(self, donation: Donation) -> str | None:
        return None if donation.anonymous_to_organization else donation.name

    @extend_schema_field({"type": "string", "format": "email", "nullable": True})
    def get_email(self, donation: Donation) -> str | None:
        return None if donation.anonymous_to_organization else donation.email
