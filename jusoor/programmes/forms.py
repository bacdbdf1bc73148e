"""Forms of the programme pages. They parse input; the services decide what is valid."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jusoor.organizations.models import Organization, Theme
from jusoor.programmes import metrics
from jusoor.programmes.disaggregation import DISAGGREGATIONS, VALUES
from jusoor.programmes.models import Indicator, Programme, ProgrammeRole
from jusoor.programmes.services.programmes import PROGRAMME_CURRENCIES
from jusoor.territories.models import Territory

LANGUAGE_DIRS = {"ar": "rtl", "fr": "ltr", "en": "ltr"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _directions(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        code = name.rsplit("_", 1)[-1]
        if code in LANGUAGE_DIRS and name.startswith(("title_", "description_", "name_")):
            field.widget.attrs.update(dir=LANGUAGE_DIRS[code], lang=code)


_TEXTAREAS: dict[str, forms.Widget | type[forms.Widget]] = {
    f"description_{code}": forms.Textarea(attrs={"rows": 5}) for code in LANGUAGE_DIRS
}
_ProgrammeFields = type(
    "_ProgrammeFields",
    (forms.Form,),
    forms.fields_for_model(
        Programme,
        [
            *(f"{name}_{code}" for name in ("title", "description") for code in LANGUAGE_DIRS),
            "primary_language",
            "funder_names",
            "budget_envelope",
            "grant_minimum",
            "grant_maximum",
        ],
        widgets=_TEXTAREAS,
    ),
)


class ProgrammeForm(_ProgrammeFields):  # type: ignore[misc,valid-type]  # built from the model's fields
    operator = forms.ModelChoiceField(label=_("Operator"), queryset=Organization.objects.none())
    funders = forms.ModelMultipleChoiceField(
        label=_("Funders on Jusoor"),
        queryset=Organization.objects.filter(status=Organization.Status.VERIFIED).order_by("name_fr", "name_ar"),
        required=False,
    )
    territory_codes = forms.CharField(
        label=_("Regions and territories"),
        required=False,
        max_length=2000,
        help_text=_("Territory codes separated by commas, for example MA-06, MA-01."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("Start"), widget=DATE)
    ends_on = forms.DateField(label=_("End"), widget=DATE)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in PROGRAMME_CURRENCIES])

    def __init__(
        self, *args: Any, operators: QuerySet[Organization], programme: Programme | None = None, **kwargs: Any
    ):
        if programme is not None and "initial" not in kwargs:
            fields = [*_ProgrammeFields.base_fields, "operator", "starts_on", "ends_on", "currency"]  # type: ignore[attr-defined]  # a Form class
            initial = {name: getattr(programme, name) for name in fields}
            initial["funders"] = list(programme.funders.all())
            initial["themes"] = list(programme.themes.all())
            initial["territory_codes"] = ", ".join(t.code for t in programme.territories.all())
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["operator"]).queryset = operators
        _directions(self)

    def clean_territory_codes(self) -> list[Territory]:
        codes = [code.strip() for code in self.cleaned_data["territory_codes"].split(",") if code.strip()]
        territories = {t.code: t for t in Territory.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in territories]
        if unknown:
            raise forms.ValidationError(
                _("Unknown territory code: %(code)s."), code="unknown", params={"code": ", ".join(unknown)}
            )
        return [territories[code] for code in dict.fromkeys(codes)]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["territories"] = data.pop("territory_codes")
        return data


class TeamMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of their account"))
    role = forms.ChoiceField(label=_("Role"), choices=ProgrammeRole.choices)
    capacity = forms.IntegerField(
        label=_("Capacity (reviewers)"),
        required=False,
        min_value=1,
        help_text=_("Most applications a reviewer takes in one call."),
    )


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name_ar = forms.CharField(label=_("Name in Arabic"), max_length=200, required=False)
    name_fr = forms.CharField(label=_("Name in French"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=40)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=20, decimal_places=3, initial=0)
    kind = forms.ChoiceField(label=_("Measured"), choices=Indicator.Kind.choices, widget=forms.RadioSelect)
    metric = forms.ChoiceField(label=_("Computed from"), required=False)
    disaggregations = forms.MultipleChoiceField(
        label=_("Breakdowns"),
        required=False,
        choices=list(DISAGGREGATIONS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, required=False)

    def __init__(self, *args: Any, indicator: Indicator | None = None, **kwargs: Any) -> None:
        if indicator is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": indicator.code,
                **{f"name_{code}": (indicator.name or {}).get(code, "") for code in LANGUAGE_DIRS},
                "unit": indicator.unit,
                "baseline": indicator.baseline,
                "kind": indicator.kind,
                "metric": indicator.metric,
                "disaggregations": indicator.disaggregations,
                "position": indicator.position,
            }
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(m.key, f"{m.label} ({m.key})") for m in metrics.all_metrics()]
        if indicator is not None and indicator.metric and not metrics.get_metric(indicator.metric):
            choices.append((indicator.metric, indicator.metric))
        cast(forms.ChoiceField, self.fields["metric"]).choices = choices
        _directions(self)

    def service_data(self) -> dict[str, Any]:
        data = {key: self.cleaned_data[key] for key in ("code", "unit", "baseline", "kind", "metric")}
        data["name"] = {code: self.cleaned_data[f"name_{code}"] for code in LANGUAGE_DIRS}
        data["disaggregations"] = self.cleaned_data["disaggregations"]
        if self.cleaned_data.get("position") is not None:
            data["position"] = self.cleaned_data["position"]
        return data


class TargetForm(forms.Form):
    period_end = forms.DateField(label=_("End of the period"), widget=DATE)
    value = forms.DecimalField(label=_("Target"), max_digits=20, decimal_places=3)
    source = forms.CharField(label=_("Source"), max_length=200)
    set_on = forms.DateField(label=_("Set on"), widget=DATE)


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class ReportForm(forms.Form):
    indicator = IndicatorChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    period_end = forms.DateField(label=_("End of the period"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=3)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Territory.objects.none(), required=False)
    sex = forms.ChoiceField(label=_("Women and men"), required=False, choices=[("", "—"), *VALUES["sex"].items()])
    age_band = forms.ChoiceField(label=_("Age band"), required=False, choices=[("", "—"), *VALUES["age_band"].items()])
    evidence = forms.FileField(label=_("Evidence"), help_text=_("PDF, PNG, JPEG or WebP, 10 MB at most."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicator = cast(forms.ModelChoiceField, self.fields["indicator"])
        indicator.queryset = Indicator.objects.filter(programme=programme, kind=Indicator.Kind.MANUAL)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = programme.territories.order_by("code")

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "period_end": data["period_end"],
            "value": data["value"],
            "region": data["region"],
            "disaggregation": {key: data[key] for key in ("sex", "age_band") if data.get(key)},
            "evidence": data["evidence"],
            "note": data["note"],
        }


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
