from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jusoor.accounts.forms import country_choices, normalise_phone
from jusoor.organizations.models import (
    BoardMember,
    DocumentKind,
    MembershipRole,
    Organization,
    OrganizationKind,
    SDGGoal,
    Theme,
)
from jusoor.territories.models import Territory

REGISTRATION_FORMATS = {
    # registry: (regular expression, example) — checked loosely: real numbers vary over the years.
    "tn-rne": (r"^[0-9]{7}[A-Z]$", "1234567A"),
    "fr-rna": (r"^W[0-9A-Z]{9}$", "W751234567"),
    "fr-siren": (r"^[0-9]{9}$", "123456789"),
    "ma-ice": (r"^[0-9]{15}$", "001234567000089"),
}


class TerritoryCodeField(forms.CharField):
    default_error_messages = {"unknown": _("Unknown territory code: %(code)s.")}

    def clean(self, value: Any) -> Territory | None:
        code = super().clean(value)
        if not code:
            return None
        territory = Territory.objects.filter(code=code.strip()).first()
        if territory is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"code": code})
        return territory


class OrganizationForm(forms.ModelForm):
    territory = TerritoryCodeField(
        label=_("Territory"),
        required=False,
        max_length=32,
        help_text=_("Type a name and choose: governorate, municipality, region, province, commune…"),
    )
    operating_territory_codes = forms.CharField(
        label=_("Where it works"),
        required=False,
        max_length=2000,
        help_text=_("Territory codes separated by commas, for example TN-82, TN-21."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    sdg_goals = forms.ModelMultipleChoiceField(
        label=_("Sustainable development goals"),
        queryset=SDGGoal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    federations = forms.ModelMultipleChoiceField(
        label=_("Member of the federations or networks"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Used to detect conflicts of interest when members of a federation review or judge."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=())
    logo_upload = forms.FileField(label=_("Logo"), required=False, help_text=_("PNG, JPEG or WebP, 2 MB at most."))
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    social_links_text = forms.CharField(
        label=_("Social links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
        help_text=_("One address per line."),
    )

    class Meta:
        model = Organization
        fields = [
            "name_ar",
            "name_fr",
            "name_en",
            "primary_language",
            "acronym",
            "kind",
            "legal_form",
            "registry",
            "registration_number",
            "founded_on",
            "country",
            "address",
            "latitude",
            "longitude",
            "description",
            "website",
            "contact_email",
            "contact_phone",
            "members_count",
            "volunteers_count",
            "budget_band",
        ]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, language: str = "ar", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = OrganizationKind.objects.all()  # type: ignore[attr-defined]
        federations = Organization.objects.filter(
            kind__slug="federation", status__in=Organization.PUBLIC_STATUSES
        ).order_by("name_fr", "name_ar")
        if self.instance.pk:
            federations = federations.exclude(pk=self.instance.pk)
        self.fields["federations"].queryset = federations  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.initial["federations"] = list(self.instance.federations.values_list("pk", flat=True))
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = country_choices(language)
        for name in ("name_ar", "name_fr", "name_en", "description", "address", "legal_form"):
            self.fields[name].widget.attrs["dir"] = {"name_ar": "rtl", "name_fr": "ltr", "name_en": "ltr"}.get(
                name, "auto"
            )
        for name in ("registration_number", "website", "contact_email", "contact_phone", "territory"):
            self.fields[name].widget.attrs["dir"] = "ltr"
        self.fields["territory"].widget.attrs.update({"list": "territory-options", "autocomplete": "off"})
        if self.instance.pk:
            self.initial["territory"] = self.instance.territory.code if self.instance.territory else ""
            self.initial["operating_territory_codes"] = ", ".join(
                self.instance.operating_territories.values_list("code", flat=True)
            )
            self.initial["themes"] = list(self.instance.themes.values_list("pk", flat=True))
            self.initial["sdg_goals"] = list(self.instance.sdg_goals.values_list("pk", flat=True))
            self.initial["social_links_text"] = "\n".join(self.instance.social_links or [])

    def clean_contact_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("contact_phone", ""))

    def clean_registration_number(self) -> str:
        return (self.cleaned_data.get("registration_number") or "").strip().upper()

    def clean_operating_territory_codes(self) -> list[Territory]:
        codes = [c.strip() for c in self.cleaned_data.get("operating_territory_codes", "").split(",") if c.strip()]
        territories = list(Territory.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {t.code for t in territories})
        if unknown:
            raise forms.ValidationError(
                _("Unknown territory codes: %(codes)s."), code="unknown", params={"codes": ", ".join(unknown)}
            )
        return territories

    def clean_social_links_text(self) -> list[str]:
        validator = forms.URLField(assume_scheme="https")
        links = [line.strip() for line in self.cleaned_data.get("social_links_text", "").splitlines() if line.strip()]
        return [validator.clean(link) for link in links[:10]]

    def clean(self) -> dict[str, Any]:
        import re  # noqa: PLC0415

        data = super().clean() or {}
        if not any(data.get(f) for f in ("name_ar", "name_fr", "name_en")):
            raise forms.ValidationError(_("Give the organisation's name in at least one language."), code="name")
        registry, number = data.get("registry"), data.get("registration_number")
        if number and not registry:
            self.add_error("registry", _("Say which registry this number belongs to."))
        if registry in REGISTRATION_FORMATS and number:
            pattern, example = REGISTRATION_FORMATS[registry]
            if not re.match(pattern, number):
                self.add_error(
                    "registration_number",
                    _("This number does not have the expected format (for example %(example)s).")
                    % {"example": example},
                )
        return data

    def service_data(self) -> dict[str, Any]:
        """What the services take: model fields and relation lists."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["territory"] = self.cleaned_data["territory"]
        data["operating_territories"] = self.cleaned_data["operating_territory_codes"]
        data["themes"] = list(self.cleaned_data["themes"])
        data["sdg_goals"] = list(self.cleaned_data["sdg_goals"])
        data["federations"] = list(self.cleaned_data["federations"])
        data["social_links"] = self.cleaned_data["social_links_text"]
        return data


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF or image, 10 MB at most."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER)


class MemberRoleForm(forms.Form):
    user_id = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class BoardMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=BoardMember.Role.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["dir"] = "auto"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("full_name") and not data.get("role"):
            self.add_error("role", _("Choose the role of this person."))
        return data


BoardFormSet = forms.formset_factory(BoardMemberForm, extra=3, max_num=30, validate_max=True)


def board_members(formset: Any) -> list[dict[str, str]]:
    """The filled rows of a valid board formset, in order (empty rows are dropped)."""
    return [
        {"full_name": form.cleaned_data["full_name"], "role": form.cleaned_data["role"]}
        for form in formset.forms
        if form.cleaned_data.get("full_name")
    ]
