"""Forms of the grants pages. They parse; the services decide (their errors land on the form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jusoor.campaigns.models import Campaign
from jusoor.organizations.models import Organization

SCHEDULE_ROWS = 6


class DemoDayForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place or online link"), max_length=200, required=False)


class PitchForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Project"), max_length=200, required=False)

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class CriterionForm(forms.Form):
    label_ar = forms.CharField(label=_("Name in Arabic"), max_length=120, required=False)
    label_fr = forms.CharField(label=_("Name in French"), max_length=120, required=False)
    label_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    weight = forms.CharField(label=_("Weight"), initial="1")
    scale_min = forms.CharField(label=_("Lowest score"), initial="1")
    scale_max = forms.CharField(label=_("Highest score"), initial="5")

    def label(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"label_{code}"] for code in ("ar", "fr", "en")}


class AwardForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())
    amount = forms.CharField(label=_("Amount"))
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class AgreementForm(forms.Form):
    agreement = forms.FileField(label=_("Signed agreement (PDF)"), required=False)
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ScheduleForm(forms.Form):
    """Up to six tranches; empty rows are ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, SCHEDULE_ROWS + 1):
            self.fields[f"amount_{index}"] = forms.CharField(label=_("Amount"), required=False)
            self.fields[f"due_{index}"] = forms.DateField(
                label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"amount_{i}"], self[f"due_{i}"]) for i in range(1, SCHEDULE_ROWS + 1)]

    def tranches(self) -> list[tuple[str, Any]]:
        data = self.cleaned_data
        return [
            (data[f"amount_{i}"], data[f"due_{i}"])
            for i in range(1, SCHEDULE_ROWS + 1)
            if (data.get(f"amount_{i}") or "").strip() or data.get(f"due_{i}")
        ]


class ReportForm(forms.Form):
    tranche = forms.TypedChoiceField(label=_("For the tranche"), coerce=int, required=False, empty_value=None)
    narrative = forms.CharField(label=_("Narrative report"), widget=forms.Textarea(attrs={"rows": 6}))
    spent_amount = forms.CharField(label=_("Amount spent"), initial="0")
    financial_statement = forms.FileField(label=_("Financial statement (PDF or image)"), required=False)
    beneficiaries_direct = forms.IntegerField(label=_("Direct beneficiaries"), min_value=0, initial=0)
    direct_women = forms.IntegerField(label=_("of whom women"), min_value=0, required=False)
    direct_men = forms.IntegerField(label=_("of whom men"), min_value=0, required=False)
    beneficiaries_indirect = forms.IntegerField(label=_("Indirect beneficiaries"), min_value=0, initial=0)
    indirect_women = forms.IntegerField(label=_("of whom women"), min_value=0, required=False)
    indirect_men = forms.IntegerField(label=_("of whom men"), min_value=0, required=False)

    def __init__(self, *args: Any, tranches: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [("", _("No tranche (progress report)"))]
        choices += [(t.pk, f"{t.position} · {t.amount} · {t.due_on}") for t in tranches or []]
        self.fields["tranche"].choices = choices  # type: ignore[attr-defined]

    def breakdown(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            kind: {sex: data.get(f"{kind}_{sex}") for sex in ("women", "men") if data.get(f"{kind}_{sex}") is not None}
            for kind in ("direct", "indirect")
        }


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MatchingPotForm(forms.Form):
    campaign: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    amount = forms.CharField(label=_("Amount of the pot"), required=False)

    def __init__(self, *args: Any, campaigns: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
