from __future__ import annotations

import pytest
from django.core.management import call_command

from jusoor.incubation.models import Activity, CoachingSession, LocalTeam
from jusoor.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_demo_loads_alone_and_again_without_duplicates(morocco):
    call_command("load_demo_incubation", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    counts = (Programme.objects.count(), Activity.objects.count(), CoachingSession.objects.count())
    call_command("load_demo_incubation", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert (Programme.objects.count(), Activity.objects.count(), CoachingSession.objects.count()) == counts
    assert counts == (1, 6, 15)
    programme = Programme.objects.get()
    assert programme.title_fr == "TAMURI"
    assert set(Activity.objects.values_list("kind", flat=True)) == {
        "hackathon",
        "bootcamp",
        "masterclass",
        "demo_day",
        "team_training",
    }
    team = LocalTeam.objects.get()
    assert (team.territory, team.members.count()) == (morocco["rabat"], 17)


def test_demo_on_top_of_the_other_demos(territories):
    for command in ("load_reference", "load_demo", "load_demo_organizations", "load_demo_incubation"):
        call_command(command, stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    programme = Programme.objects.get(title_fr="TAMURI")
    assert programme.operator.registration_number == "DEMO-MA-MCISE"
    assert CoachingSession.objects.filter(programme=programme).count() == 15
    team = LocalTeam.objects.get()
    assert team.territory.name_ar.startswith("كيسر")
    assert programme.cohorts.get().organizations.count() == 5
