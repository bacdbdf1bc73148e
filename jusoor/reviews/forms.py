from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jusoor.organizations.models import Organization
from jusoor.reviews.models import Criterion, ReviewAssignment


class CriterionForm(forms.Form):
    label_ar = forms.CharField(label=_("Criterion in Arabic"), max_length=200, required=False)
    label_fr = forms.CharField(label=_("Criterion in French"), max_length=200, required=False)
    label_en = forms.CharField(label=_("Criterion in English"), max_length=200, required=False)
    guidance_ar = forms.CharField(
        label=_("Guidance in Arabic"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    guidance_fr = forms.CharField(
        label=_("Guidance in French"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    guidance_en = forms.CharField(
        label=_("Guidance in English"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    weight = forms.DecimalField(label=_("Weight"), max_digits=6, decimal_places=3, initial=1)
    scale_min = forms.IntegerField(label=_("Lowest score"), initial=1)
    scale_max = forms.IntegerField(label=_("Highest score"), initial=5)
    optional = forms.BooleanField(label=_("Optional: shown but left out of the total"), required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0, required=False)

    @classmethod
    def initial_for(cls, criterion: Criterion) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(criterion, name) for name in ("weight", "scale_min", "scale_max", "optional", "position")
        }
        for code in ("ar", "fr", "en"):
            initial[f"label_{code}"] = criterion.label.get(code, "")
            initial[f"guidance_{code}"] = criterion.guidance.get(code, "")
        return initial

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "label": {code: data[f"label_{code}"] for code in ("ar", "fr", "en")},
            "guidance": {code: data[f"guidance_{code}"] for code in ("ar", "fr", "en")},
            "weight": data["weight"],
            "scale_min": data["scale_min"],
            "scale_max": data["scale_max"],
            "optional": data["optional"],
            "position": data["position"] or 0,
        }


class ConflictForm(forms.Form):
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none()
    )
    reason = forms.CharField(label=_("Why you are in conflict"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class ScoreForm(forms.Form):
    """One select per criterion (named score_<id>), one comment per criterion, and an overall comment."""

    comment = forms.CharField(label=_("Overall comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(
        self, *args: Any, criteria: list[Criterion], assignment: ReviewAssignment | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            choices = [("", "—")] + [
                (str(value), str(value)) for value in range(criterion.scale_min, criterion.scale_max + 1)
            ]
            # An integer field (not a choice field) so that a value outside the scale reaches the service, whose
            # message says which scale applies.
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.text,
                required=False,
                help_text=criterion.guidance_text,
                widget=forms.Select(choices=choices, attrs={"class": "form-select"}),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}") or "" for c in self.criteria}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("shortlist", _("Shortlist")),
            ("select", _("Select")),
            ("waitlist", _("Waiting list")),
            ("reject", _("Reject")),
        ],
    )
    reason = forms.CharField(label=_("Reason (sent to the applicant)"), required=False, max_length=2000)


class ManualAssignmentForm(forms.Form):
    application = forms.IntegerField(label=_("Application number"), min_value=1)
    reviewer = forms.IntegerField(label=_("Reviewer"), min_value=1)
