from __future__ import annotations

from typing import Any

import phonenumbers
from babel import Locale
from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jusoor.accounts.models import User
from jusoor.territories.models import Kind, Territory

COMMUNE_KINDS = (Kind.COMMUNE, Kind.MUNICIPALITY)

# Countries first offered: where Jusoor works and where most of the diaspora lives.
PRIORITY_COUNTRIES = ["TN", "MA", "FR", "BE", "DE", "IT", "ES", "CA"]


def country_choices(language: str) -> list[tuple[str, str]]:
    names: dict[str, str] = {
        str(code): str(name)
        for code, name in Locale.parse({"ar": "ar", "fr": "fr"}.get(language[:2], "en")).territories.items()
    }
    others = sorted(
        (code for code in names if len(code) == 2 and code.isalpha() and code not in PRIORITY_COUNTRIES),
        key=lambda code: names[code],
    )
    return [("", "—")] + [(code, names[code]) for code in PRIORITY_COUNTRIES + others]


def normalise_phone(raw: str) -> str:
    """Return the number in E.164, or raise ValidationError with a translated message."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException as exc:
        raise forms.ValidationError(
            _("Enter the phone number in international format, starting with + and the country code."),
            code="phone_format",
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("This phone number is not valid."), code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "country_of_residence", "phone"]

    commune = forms.CharField(
        label=_("Commune where you live or work"),
        required=False,
        max_length=32,
        help_text=_("Type its name and pick it from the list. Used to detect conflicts of interest in reviews."),
    )

    country_of_residence = forms.ChoiceField(label=_("Country of residence"), required=False, choices=())
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        help_text=_("International format, for example +216 71 123 456."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_field = self.fields["country_of_residence"]
        assert isinstance(country_field, forms.ChoiceField)
        country_field.choices = country_choices(get_language() or "ar")
        self.fields["full_name"].widget.attrs["dir"] = "auto"
        self.fields["phone"].widget.attrs.update({"dir": "ltr", "inputmode": "tel", "autocomplete": "tel"})
        self.fields["commune"].widget.attrs.update({"list": "commune-options", "autocomplete": "off", "dir": "auto"})
        if self.instance.pk and self.instance.commune_id and not self.is_bound:
            self.initial["commune"] = self.instance.commune.code

    def clean_commune(self) -> Territory | None:
        code = self.cleaned_data.get("commune", "").strip()
        if not code:
            return None
        commune = Territory.objects.filter(code=code, kind__in=COMMUNE_KINDS).first()
        if commune is None:
            raise forms.ValidationError(
                _("Choose a commune or municipality from the list (unknown: %(code)s)."),
                params={"code": code},
                code="unknown",
            )
        return commune

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))
