"""Forms of the finance staff's donation pages: opening a matching pot and refunding a donation.

They parse input; the services decide what is valid (amounts, currencies, ratio, caps, dates, what is left to
refund) and their translated messages are shown on the fields. Each form carries a hidden token, so that a form
sent twice does its work once."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jusoor.campaigns.dates import end_of_day, start_of_day
from jusoor.campaigns.models import CAMPAIGN_CURRENCIES, Campaign
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.common.money import precision, quantize
from jusoor.donations.models import DONATION_CURRENCIES
from jusoor.organizations.models import Organization, Theme
from jusoor.territories.models import Territory

DATE_INPUT = "%Y-%m-%d"  # what <input type="date"> takes, whatever the page's language
FORM_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
MSG_TOKEN = _("This form has expired. Check the page and send it again.")
MSG_PRECISION = _("%(currency)s amounts have at most %(places)s decimals.")
# Campaigns a new pot can name: those that can still receive donations.
OPEN_CAMPAIGN_STATUSES = (Campaign.Status.APPROVED, Campaign.Status.LIVE)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CampaignChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} (#{obj.pk})"


class MatchingPotForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sponsor_name = forms.CharField(label=_("Sponsor"), max_length=200)
    sponsor_organization = forms.ModelChoiceField(
        label=_("Sponsoring organisation"),
        queryset=Organization.objects.filter(status=Organization.Status.VERIFIED).order_by("name_fr", "name_ar"),
        required=False,
        empty_label=_("None (the sponsor is not on Jusoor)"),
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        help_text=_("A pot matches the donations to campaigns in its own currency."),
        widget=forms.Select(choices=[(code, code) for code in CAMPAIGN_CURRENCIES], attrs={"dir": "ltr"}),
    )
    total = forms.CharField(
        label=_("Total committed"),
        max_length=24,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal", "autocomplete": "off"}),
    )
    ratio = forms.DecimalField(
        label=_("Ratio"),
        max_digits=6,
        decimal_places=3,
        initial=1,
        help_text=_("Matched per unit donated: 1 doubles each donation, 0.5 adds half of it."),
    )
    cap_per_donation = forms.DecimalField(label=_("Cap per donation"), max_digits=20, decimal_places=3, required=False)
    cap_per_donor = forms.DecimalField(
        label=_("Cap per donor"),
        max_digits=20,
        decimal_places=3,
        required=False,
        help_text=_("Donors are recognised by their e-mail address."),
    )
    valid_from = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT)
    )
    valid_until = forms.DateField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
        help_text=_("The pot matches donations from 00:00 on the first day to 23:59 on the last day, Tunis time."),
    )
    territories = forms.CharField(
        label=_("Eligible territories"),
        required=False,
        max_length=2000,
        help_text=_("Territory codes separated by commas, for example TN-82, TN-21. Empty: everywhere."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Eligible themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every theme."),
    )
    campaigns = CampaignChoiceField(
        label=_("Eligible campaigns"),
        queryset=Campaign.objects.filter(status__in=OPEN_CAMPAIGN_STATUSES).order_by("-created_at"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("None chosen: every campaign in the pot's currency that meets the other conditions."),
    )
    token = forms.RegexField(
        regex=FORM_KEY_PATTERN, widget=forms.HiddenInput, error_messages={"required": MSG_TOKEN, "invalid": MSG_TOKEN}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not args and "data" not in kwargs:
            today = timezone.localdate()
            kwargs.setdefault("initial", {"token": new_token(), "valid_from": today, "ratio": 1})
        super().__init__(*args, **kwargs)
        for name in ("name", "sponsor_name"):
            self.fields[name].widget.attrs["dir"] = "auto"
        self.fields["currency"].widget.attrs.pop("maxlength", None)  # a select
        for name in ("ratio", "cap_per_donation", "cap_per_donor"):
            self.fields[name].widget.attrs.update({"dir": "ltr", "inputmode": "decimal"})

    def clean_territories(self) -> list[Territory]:
        codes = list(dict.fromkeys(c.strip() for c in self.cleaned_data.get("territories", "").split(",") if c.strip()))
        found = {t.code.upper(): t for t in Territory.objects.filter(code__in=[*codes, *(c.upper() for c in codes)])}
        unknown = [code for code in codes if code.upper() not in found]
        if unknown:
            raise forms.ValidationError(
                _("Unknown territory codes: %(codes)s."), code="unknown", params={"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(found[code.upper()] for code in codes))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        currency = str(data.get("currency", "")).strip().upper()
        if currency in DONATION_CURRENCIES:
            for name in ("cap_per_donation", "cap_per_donor"):
                cap = data.get(name)
                if cap is not None and quantize(cap, currency) != cap:
                    self.add_error(name, MSG_PRECISION % {"currency": currency, "places": precision(currency)})
        return data

    def service_data(self) -> dict[str, Any]:
        """What `matching_pot_open` takes (besides the acting user and the idempotency key)."""
        data = self.cleaned_data
        zone = settings.TIME_ZONE
        return {
            "name": data["name"].strip(),
            "sponsor_name": data["sponsor_name"].strip(),
            "sponsor_organization": data["sponsor_organization"],
            "currency": data["currency"],
            "total": data["total"],
            "ratio": data["ratio"],
            "cap_per_donation": data["cap_per_donation"],
            "cap_per_donor": data["cap_per_donor"],
            "valid_from": start_of_day(data["valid_from"], zone),
            "valid_until": end_of_day(data["valid_until"], zone),
            "territories": data["territories"],
            "themes": list(data["themes"]),
            "campaigns": list(data["campaigns"]),
        }

    def add_service_error(self, error: ApplicationError) -> None:
        add_service_error(self, error, aliases={"amount": "total"})


# --- Refunds --------------------------------------------------------------------------------------------------
REFUND_TOKEN_SALT = "jusoor.donations.refund-form"  # noqa: S105  (a signing salt, not a secret)


def refund_token(*, donation_id: int, refunds_seen: int) -> str:
    """A signed token: which donation the form is for and how many refunds it had when the form was shown."""
    return signing.dumps({"d": donation_id, "r": refunds_seen, "n": new_token()}, salt=REFUND_TOKEN_SALT)


class RefundForm(forms.Form):
    # The amount is parsed by the service (the donation currency's decimals, translated messages).
    amount = forms.CharField(
        label=_("Amount to refund"),
        max_length=24,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the refund and in the audit trail."),
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=300, error_messages={"required": MSG_TOKEN})

    def __init__(self, *args: Any, donation_id: int, **kwargs: Any) -> None:
        self.donation_id = donation_id
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["dir"] = "auto"

    def clean_amount(self) -> Decimal:
        """A number; the service checks that it is above zero, within the currency's decimals and what is left."""
        raw = self.cleaned_data["amount"].strip().replace(" ", "").replace(",", ".")
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(_("Enter an amount greater than zero."), code="invalid") from None
        if not amount.is_finite():
            raise forms.ValidationError(_("Enter an amount greater than zero."), code="invalid")
        return amount

    def clean_token(self) -> dict[str, Any]:
        try:
            token = signing.loads(self.cleaned_data["token"], salt=REFUND_TOKEN_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(MSG_TOKEN, code="invalid") from None
        if not isinstance(token, dict) or token.get("d") != self.donation_id or not isinstance(token.get("r"), int):
            raise forms.ValidationError(MSG_TOKEN, code="invalid")
        return token

    @property
    def refunds_seen(self) -> int:
        return int(self.cleaned_data["token"]["r"])

    @property
    def nonce(self) -> str:
        return str(self.cleaned_data["token"]["n"])
