"""Forms of the incubation pages. They validate types; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from jusoor.calls.models import Call
from jusoor.incubation.models import (
    Activity,
    AgeBand,
    CoachingSession,
    Cohort,
    LocalTeam,
    LocalTeamMember,
    Milestone,
    Sex,
)
from jusoor.incubation.services.activities import ActivityData
from jusoor.organizations.models import Organization
from jusoor.programmes.models import Programme, ProgrammeRole
from jusoor.territories.models import Territory

User = get_user_model()
BLANK: list[tuple[str, Any]] = [("", "—")]
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def programme_organizations(programme: Programme) -> Any:
    """Organisations of the programme's cohorts, for choice lists."""
    return (
        Organization.objects.filter(cohort_memberships__cohort__programme=programme)
        .distinct()
        .order_by("name_fr", "name_ar")
    )


class TerritoryCodeField(forms.CharField):
    """A territory given by its code (region MA-01, province, HCP commune code, Tunisian municipality code)."""

    def clean(self, value: Any) -> Territory | None:  # type: ignore[override]  # returns the territory
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        territory = Territory.objects.filter(code=code).first()
        if territory is None:
            raise forms.ValidationError(_("No territory has this code."), code="unknown_territory")
        return territory


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language of the title"), choices=settings.LANGUAGES)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    territory = TerritoryCodeField(label=_("Territory code"), required=False, help_text=_("For example MA-04."))
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False, help_text=_("Empty: no limit."))
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none(), required=False)
    local_team = forms.ModelChoiceField(label=_("Local team"), queryset=LocalTeam.objects.none(), required=False)
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    facilitator_names = forms.CharField(label=_("Other facilitators"), max_length=300, required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(programme=programme)  # type: ignore[attr-defined]
        self.fields["local_team"].queryset = LocalTeam.objects.filter(programme=programme)  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(programme_roles__programme=programme).distinct().order_by("full_name", "email")
        )

    @classmethod
    def initial_from(cls, activity: Activity) -> dict[str, Any]:
        initial = {name: getattr(activity, name) for name in ("kind", "title", "language", "description")}
        initial.update(
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            place=activity.place,
            online_link=activity.online_link,
            territory=activity.territory.code if activity.territory else "",
            capacity=activity.capacity,
            cohort=activity.cohort_id,
            local_team=activity.local_team_id,
            facilitators=list(activity.facilitators.all()),
            facilitator_names=activity.facilitator_names,
        )
        return initial

    def data_for_service(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            kind=data["kind"],
            title=data["title"],
            language=data["language"],
            description=data["description"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            online_link=data["online_link"],
            territory=data["territory"],
            capacity=data["capacity"],
            cohort=data["cohort"],
            local_team=data["local_team"],
            facilitators=data["facilitators"],
            facilitator_names=data["facilitator_names"],
        )


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + list(Sex.choices), required=False)
    age_band = forms.ChoiceField(label=_("Age band"), choices=BLANK + list(AgeBand.choices), required=False)


class RegistrationForm(PersonForm):
    email = forms.EmailField(label=_("E-mail"), required=False)
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none(), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = programme_organizations(programme)  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    anonymous = forms.BooleanField(label=_("Give my feedback anonymously"), required=False)


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name of the cohort"), max_length=200)
    call = forms.ModelChoiceField(
        label=_("Call for applications"),
        queryset=Call.objects.none(),
        required=False,
        help_text=_("Empty: the selected applications of every call of the programme."),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.filter(programme=programme)  # type: ignore[attr-defined]


class AssignCoachForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=User.objects.none())
    organization = forms.ModelChoiceField(label=_("Organisation"), queryset=Organization.objects.none())

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            programme_roles__programme=programme, programme_roles__role=ProgrammeRole.COACH
        ).order_by("full_name", "email")
        self.fields["organization"].queryset = programme_organizations(programme)  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=720)
    modality = forms.ChoiceField(label=_("Modality"), choices=CoachingSession.Modality.choices)
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea(attrs={"rows": 2}))
    agreed = forms.CharField(label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    next_steps = forms.CharField(label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MilestoneForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    date = forms.DateField(label=_("Date"), widget=DATE)
    label = forms.CharField(label=_("Milestone"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Milestone.Kind.choices)

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class LocalTeamForm(forms.Form):
    name = forms.CharField(label=_("Name of the team"), max_length=200)
    territory = TerritoryCodeField(label=_("Commune code"), help_text=_("The HCP code of the commune."))
    partner = forms.CharField(label=_("Local partner"), max_length=200, required=False)


class LocalTeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-mail of their Jusoor account"), required=False, help_text=_("Optional: links the member's account.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=LocalTeamMember.Role.choices)

    def clean_email(self) -> Any:
        email = (self.cleaned_data.get("email") or "").strip()
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account uses this e-mail address."), code="unknown_user")
        return user
