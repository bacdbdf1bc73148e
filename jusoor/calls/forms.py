"""Forms of the call pages. They parse input; the services decide what is valid (one place for the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from jusoor.calls.models import Call, Question
from jusoor.calls.services.answers import field_name
from jusoor.organizations.models import Organization, OrganizationKind
from jusoor.territories.models import Country, Territory

LANGUAGE_DIRS = {"ar": "rtl", "fr": "ltr", "en": "ltr"}
CALL_FIELDS = [
    "title_ar",
    "title_fr",
    "title_en",
    "description_ar",
    "description_fr",
    "description_en",
    "primary_language",
    "minimum_age_months",
    "require_verified",
    "max_requested",
    "reviewers_per_application",
    "blind_review",
    "same_commune_conflict",
    "disagreement_threshold",
]
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_CallFields = type("_CallFields", (forms.Form,), forms.fields_for_model(Call, CALL_FIELDS))


def _directions(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        code = name.rsplit("_", 1)[-1]
        if code in LANGUAGE_DIRS and name.startswith(("title_", "description_", "label_", "help_")):
            field.widget.attrs.update({"dir": LANGUAGE_DIRS[code], "lang": code})


class CallForm(_CallFields):  # type: ignore[misc,valid-type]  # built from the model's fields
    opens_at = forms.DateTimeField(label=_("Opens"), widget=_DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes"), widget=_DATETIME)
    eligible_kinds = forms.ModelMultipleChoiceField(
        label=_("Organisation kinds"),
        queryset=OrganizationKind.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind may apply."),
    )
    eligible_countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=Country.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: organisations of every country may apply."),
    )
    territory_codes = forms.CharField(
        label=_("Territories"),
        required=False,
        max_length=2000,
        help_text=_("Territory codes separated by commas, for example MA-06, MA-01. Empty: everywhere."),
    )

    def __init__(self, *args: Any, call: Call | None = None, **kwargs: Any) -> None:
        if call is not None and "initial" not in kwargs:
            initial = {name: getattr(call, name) for name in CALL_FIELDS}
            initial.update(
                {
                    "opens_at": call.opens_at,
                    "closes_at": call.closes_at,
                    "eligible_kinds": [kind.pk for kind in call.eligible_kinds.all()],
                    "eligible_countries": call.eligible_countries,
                    "territory_codes": ", ".join(t.code for t in call.eligible_territories.all()),
                }
            )
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        _directions(self)
        for name in ("max_requested", "disagreement_threshold", "territory_codes"):
            self.fields[name].widget.attrs["dir"] = "ltr"

    def clean_territory_codes(self) -> list[Territory]:
        codes = [code.strip() for code in self.cleaned_data["territory_codes"].split(",") if code.strip()]
        found = {territory.code: territory for territory in Territory.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                _("Unknown territory code: %(code)s."), code="unknown", params={"code": ", ".join(unknown)}
            )
        return [found[code] for code in codes]

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in CALL_FIELDS}
        data.update(
            {
                "opens_at": self.cleaned_data["opens_at"],
                "closes_at": self.cleaned_data["closes_at"],
                "eligible_kinds": list(self.cleaned_data["eligible_kinds"]),
                "eligible_countries": self.cleaned_data["eligible_countries"],
                "eligible_territories": self.cleaned_data["territory_codes"],
            }
        )
        return data


class QuestionForm(forms.Form):
    """A question with its label and help in each language and its choices, one per line ("value | ar | fr | en",
    or simply a label)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    label_ar = forms.CharField(label=_("Question in Arabic"), required=False, max_length=500)
    label_fr = forms.CharField(label=_("Question in French"), required=False, max_length=500)
    label_en = forms.CharField(label=_("Question in English"), required=False, max_length=500)
    help_ar = forms.CharField(label=_("Help in Arabic"), required=False, max_length=500)
    help_fr = forms.CharField(label=_("Help in French"), required=False, max_length=500)
    help_en = forms.CharField(label=_("Help in English"), required=False, max_length=500)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    identifying = forms.BooleanField(
        label=_("The answer reveals who applies (hidden in blind review)"), required=False, initial=False
    )
    word_limit = forms.IntegerField(label=_("Word limit"), required=False, min_value=1, max_value=10000)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One choice per line: “value | Arabic | French | English”, or just the label."),
    )

    def __init__(self, *args: Any, question: Question | None = None, **kwargs: Any) -> None:
        if question is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {
                "kind": question.kind,
                "required": question.required,
                "identifying": question.identifying,
            }
            initial["word_limit"] = question.word_limit
            for code in ("ar", "fr", "en"):
                initial[f"label_{code}"] = question.label.get(code, "")
                initial[f"help_{code}"] = question.help_text.get(code, "")
            initial["choices"] = "\n".join(
                " | ".join([c["value"], *(c["label"].get(code, "") for code in ("ar", "fr", "en"))])
                for c in question.choices
            )
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        _directions(self)

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        choices = []
        for line in data["choices"].splitlines():
            parts = [part.strip() for part in line.split("|")]
            if not any(parts):
                continue
            if len(parts) == 1:
                choices.append({"value": "", "label": dict.fromkeys(("ar", "fr", "en"), parts[0])})
            else:
                labels = dict(zip(("ar", "fr", "en"), [*parts[1:], "", "", ""][:3], strict=True))
                choices.append({"value": parts[0], "label": {k: v for k, v in labels.items() if v}})
        return {
            "kind": data["kind"],
            "label": {code: data[f"label_{code}"] for code in ("ar", "fr", "en") if data[f"label_{code}"]},
            "help_text": {code: data[f"help_{code}"] for code in ("ar", "fr", "en") if data[f"help_{code}"]},
            "required": data["required"],
            "identifying": data["identifying"],
            "word_limit": data["word_limit"],
            "choices": choices,
        }


class ApplyForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Apply on behalf of"), queryset=Organization.objects.none())

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared above)
        field.queryset = organizations


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"})
    )


def answers_from_post(questions: list[Question], post: QueryDict) -> dict[int, Any]:
    """The raw answers of the application form, {question id: value}, for `application_save_answers`."""
    answers: dict[int, Any] = {}
    for question in questions:
        name = field_name(question)
        if question.kind == Question.Kind.FILE:
            continue
        if question.kind == Question.Kind.MULTIPLE_CHOICE:
            answers[question.pk] = post.getlist(name)
        elif question.kind == Question.Kind.BUDGET:
            labels, amounts = post.getlist(f"{name}_label"), post.getlist(f"{name}_amount")
            answers[question.pk] = [
                {"label": label, "amount": amount} for label, amount in zip(labels, amounts, strict=False)
            ]
        else:
            answers[question.pk] = post.get(name, "")
    return answers


def files_from_post(questions: list[Question], files: Any) -> dict[int, Any]:
    return {
        question.pk: files[field_name(question)]
        for question in questions
        if question.kind == Question.Kind.FILE and field_name(question) in files
    }
