"""Forms of the exchange-rate page. They parse input; `exchange_rate_set` decides what is a valid rate (its
translated messages are shown on the fields)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jusoor.common.exceptions import ApplicationError
from jusoor.finance.error_codes import LedgerErrorCode
from jusoor.finance.models import SUPPORTED_CURRENCIES
from jusoor.finance.services_import import MAX_BYTES

CURRENCY_CHOICES = [(code, code) for code in SUPPORTED_CURRENCIES]


def _currency_widget() -> forms.Select:
    # A select for people, but a plain text field for the form: the service says which currencies it supports.
    return forms.Select(choices=CURRENCY_CHOICES, attrs={"dir": "ltr"})


class ExchangeRateForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    base = forms.CharField(label=_("From"), max_length=3, widget=_currency_widget())
    quote = forms.CharField(label=_("To"), max_length=3, widget=_currency_widget())
    rate = forms.CharField(
        label=_("Rate"),
        max_length=40,
        help_text=_("How many units of the second currency one unit of the first buys, with at most 8 decimals."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal", "autocomplete": "off"}),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=120,
        required=False,
        help_text=_("Where the rate comes from, for example the central bank's daily fixing."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"day": timezone.localdate(), "base": "EUR", "quote": "TND"})
        super().__init__(*args, **kwargs)
        self.fields["source"].widget.attrs["dir"] = "auto"
        for name in ("base", "quote"):
            self.fields[name].widget.attrs.pop("maxlength", None)  # a select

    def clean_rate(self) -> Decimal:
        raw = self.cleaned_data["rate"].strip().replace(" ", "")
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            rate = Decimal(raw)
        except InvalidOperation:
            rate = Decimal("NaN")
        if not rate.is_finite():
            raise forms.ValidationError(_("Enter a number."), code="invalid")
        return rate

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "base": data["base"],
            "quote": data["quote"],
            "day": data["day"],
            "rate": data["rate"],
            "source": data["source"].strip(),
        }

    def add_service_error(self, error: ApplicationError) -> None:
        """Show the service's message on the field it is about."""
        field: str | None = None
        if error.code == LedgerErrorCode.CURRENCY:
            field = "base" if self.cleaned_data["base"].strip().upper() not in SUPPORTED_CURRENCIES else "quote"
        elif error.code == LedgerErrorCode.RATE_INVALID:
            same = self.cleaned_data["base"].strip().upper() == self.cleaned_data["quote"].strip().upper()
            field = "quote" if same else "rate"
        self.add_error(field, str(error.message))


class ExchangeRateImportForm(forms.Form):
    file = forms.FileField(
        label=_("Rates file (CSV)"),
        help_text=_(
            "A header row with the columns day, base, quote, rate and optionally source; separated by ; or ,; "
            "in UTF-8. Days as 2026-03-31 or 31/03/2026."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large; the limit is 5 MB."))
        return upload
