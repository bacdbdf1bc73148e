from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jusoor.accounts.forms import country_choices
from jusoor.common.exceptions import ApplicationError
from jusoor.donations.models import DONATION_CURRENCIES
from jusoor.donations.providers import available_providers
from jusoor.donations.services.pledge import checked_amount


class DonateForm(forms.Form):
    # Amounts are parsed by the service (per-currency precision and limits, translated messages).
    amount = forms.CharField(label=_("Amount"), max_length=20)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in DONATION_CURRENCIES])
    provider = forms.ChoiceField(label=_("Payment method"), widget=forms.RadioSelect, choices=())
    email = forms.EmailField(label=_("E-mail"))
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    country_of_residence = forms.ChoiceField(label=_("Country of residence"), choices=())
    message = forms.CharField(label=_("Message"), max_length=500, required=False, widget=forms.Textarea({"rows": 2}))
    dedication = forms.CharField(label=_("In honour or memory of"), max_length=200, required=False)
    anonymous_public = forms.BooleanField(label=_("Hide my name from the public"), required=False)
    anonymous_to_organization = forms.BooleanField(label=_("Hide my name from the organisation too"), required=False)
    # One token per displayed form: submitting the same form twice (double click, retry) pledges once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider_field = self.fields["provider"]
        assert isinstance(provider_field, forms.ChoiceField)
        provider_field.choices = [(p.identifier, p.verbose_name) for p in available_providers()]
        country_field = self.fields["country_of_residence"]
        assert isinstance(country_field, forms.ChoiceField)
        country_field.choices = country_choices(get_language() or "ar")
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", secrets.token_urlsafe(24))

    def clean(self) -> dict[str, Any]:
        """Check the amount against its currency here too, so every mistake shows on the first submission."""
        data = super().clean() or {}
        if "amount" in data and "currency" in data:
            try:
                data["amount"], _currency = checked_amount(data["amount"], data["currency"])
            except ApplicationError as error:
                for message in error.extra.get("fields", {}).get("amount", [str(error.message)]):
                    self.add_error("amount", message)
        return data
