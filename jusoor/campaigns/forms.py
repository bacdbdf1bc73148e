"""Forms of the campaign pages. They parse input; the services decide what is valid (one place for the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jusoor.campaigns.dates import end_of_day, in_zone, start_of_day
from jusoor.campaigns.models import CAMPAIGN_CURRENCIES, COUNTRY_TIMEZONE, DISPLAY_TIMEZONES, Campaign
from jusoor.campaigns.selectors.readiness import CHECKLIST_KEYS, TITLES
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.organizations.forms import TerritoryCodeField
from jusoor.organizations.models import SDGGoal, Theme

LANGUAGE_DIRS = {"ar": "rtl", "fr": "ltr", "en": "ltr"}
STORY_FIELDS = [f"{name}_{code}" for name in ("summary", "story") for code in ("ar", "fr", "en")]


def _text_directions(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        code = name.rsplit("_", 1)[-1]
        if name.startswith(("title_", "summary_", "story_")) and code in LANGUAGE_DIRS:
            field.widget.attrs["dir"] = LANGUAGE_DIRS[code]
            field.widget.attrs["lang"] = code


_TEXTAREAS: dict[str, forms.Widget | type[forms.Widget]] = {}
for _code in ("ar", "fr", "en"):
    _TEXTAREAS[f"story_{_code}"] = forms.Textarea(attrs={"rows": 8})
    _TEXTAREAS[f"summary_{_code}"] = forms.Textarea(attrs={"rows": 2})
# Plain forms built from the model's fields: the services validate, so no ModelForm touches the instance.
_StoryFields = type("_StoryFields", (forms.Form,), forms.fields_for_model(Campaign, STORY_FIELDS, widgets=_TEXTAREAS))
_MainFields = type(
    "_MainFields",
    (forms.Form,),
    forms.fields_for_model(
        Campaign,
        [
            "title_ar",
            "title_fr",
            "title_en",
            "primary_language",
            "beneficiaries_count",
            "beneficiaries_description",
            "funding_model",
        ],
    ),
)
# Service field names shown by another form field.
FIELD_ALIASES = {"starts_at": "starts_on", "ends_at": "ends_on", "cover_image": "cover_upload"}


class CampaignStoryForm(_StoryFields):  # type: ignore[misc,valid-type]  # built from the model's fields
    """What can still change once the campaign is live: summary, story and cover image."""

    cover_upload = forms.FileField(
        label=_("Cover image"), required=False, help_text=_("PNG, JPEG or WebP, 5 MB at most.")
    )
    data_fields = STORY_FIELDS

    def __init__(self, *args: Any, campaign: Campaign | None = None, **kwargs: Any) -> None:
        if campaign is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(campaign)
        super().__init__(*args, **kwargs)
        _text_directions(self)

    def initial_for(self, campaign: Campaign) -> dict[str, Any]:
        return {name: getattr(campaign, name) for name in self.data_fields}

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.data_fields}
        if self.cleaned_data.get("cover_upload"):
            data["cover_image"] = self.cleaned_data["cover_upload"]
        return data


class CampaignForm(_MainFields, CampaignStoryForm):  # type: ignore[misc,valid-type]  # built from the model's fields
    territory = TerritoryCodeField(
        label=_("Where the money will be spent"),
        max_length=32,
        help_text=_("Type a name and choose: governorate, municipality, region, province, commune…"),
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
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in CAMPAIGN_CURRENCIES])
    # No limit on decimals here: the service answers with the currency's own precision.
    goal = forms.DecimalField(
        label=_("Goal"),
        required=False,
        max_digits=20,
        help_text=_("The total of the budget lines. Leave it empty to have it added up for you."),
    )
    minimum_goal = forms.DecimalField(
        label=_("Minimum goal"),
        required=False,
        max_digits=20,
        help_text=_("Optional: below this amount the project cannot be done."),
    )
    stretch_goal = forms.DecimalField(
        label=_("Stretch goal"), required=False, max_digits=20, help_text=_("Optional: what more money would allow.")
    )
    starts_on = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The campaign closes at 23:59 that day, in its time zone."),
    )
    display_timezone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=[("", _("The country's time zone")), *DISPLAY_TIMEZONES],
    )
    data_fields = [
        "title_ar",
        "title_fr",
        "title_en",
        *STORY_FIELDS,
        "primary_language",
        "beneficiaries_count",
        "beneficiaries_description",
        "funding_model",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].widget.attrs.update({"list": "territory-options", "autocomplete": "off", "dir": "ltr"})
        self.fields["beneficiaries_description"].widget.attrs["dir"] = "auto"
        for name in ("goal", "minimum_goal", "stretch_goal"):
            self.fields[name].widget.attrs.update({"dir": "ltr", "inputmode": "decimal"})

    def initial_for(self, campaign: Campaign) -> dict[str, Any]:
        initial = super().initial_for(campaign)
        initial.update(
            {
                "territory": campaign.territory.code,
                "themes": [theme.pk for theme in campaign.themes.all()],
                "sdg_goals": [goal.pk for goal in campaign.sdg_goals.all()],
                "currency": campaign.currency,
                "minimum_goal": campaign.minimum_goal,
                "stretch_goal": campaign.stretch_goal,
                "starts_on": in_zone(campaign.starts_at, campaign.display_timezone).date(),
                "ends_on": in_zone(campaign.ends_at, campaign.display_timezone).date(),
                "display_timezone": campaign.display_timezone,
            }
        )
        return initial

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        territory = self.cleaned_data["territory"]
        zone = self.cleaned_data["display_timezone"] or COUNTRY_TIMEZONE.get(territory.country, "Africa/Tunis")
        data.update(
            {
                "territory": territory,
                "themes": list(self.cleaned_data["themes"]),
                "sdg_goals": list(self.cleaned_data["sdg_goals"]),
                "currency": self.cleaned_data["currency"],
                "goal": self.cleaned_data["goal"],
                "minimum_goal": self.cleaned_data["minimum_goal"],
                "stretch_goal": self.cleaned_data["stretch_goal"],
                "starts_at": start_of_day(self.cleaned_data["starts_on"], zone),
                "ends_at": end_of_day(self.cleaned_data["ends_on"], zone),
                "display_timezone": zone,
            }
        )
        return data


class BudgetLineForm(forms.Form):
    label = forms.CharField(label=_("What it pays for"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["label"].widget.attrs["dir"] = "auto"
        self.fields["amount"].widget.attrs.update({"dir": "ltr", "inputmode": "decimal"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("label") and data.get("amount") is None:
            self.add_error("amount", _("Give the amount of this line."))
        if data.get("amount") is not None and not data.get("label"):
            self.add_error("label", _("Say what this amount pays for."))
        return data


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, max_num=50, validate_max=True)
BUDGET_PREFIX = "lines"


def budget_lines(formset: Any) -> list[dict[str, Any]]:
    """The filled rows of a valid budget formset, in order (empty rows are dropped)."""
    return [
        {"label": form.cleaned_data["label"], "amount": form.cleaned_data["amount"]}
        for form in formset.forms
        if form.cleaned_data.get("label") or form.cleaned_data.get("amount") is not None
    ]


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image"), help_text=_("PNG, JPEG or WebP, 5 MB at most."))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caption"].widget.attrs["dir"] = "auto"


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["dir"] = "auto"


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the organisation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Required to ask for changes: say what must change."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in CHECKLIST_KEYS:
            self.fields[f"check_{key}"] = forms.BooleanField(label=TITLES[key], required=False)

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(f"check_{key}")) for key in CHECKLIST_KEYS}


class ReportForm(forms.Form):
    final_report = forms.CharField(
        label=_("Final report"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_("What was done with the money, for whom, and what remains to do."),
    )


def apply_error(form: forms.BaseForm, error: ApplicationError) -> None:
    """Show a service error on the form fields it names, or above the form."""
    add_service_error(form, error, FIELD_ALIASES)
