"""Incubation scenarios: a programme in Morocco with its team (manager, coach assigned to the applicant organisation,
coach not assigned, facilitator), the applicant organisation (owner/admin) selected in a call, another organisation,
an activity in a commune of Rabat-Salé-Kénitra."""

from __future__ import annotations

import pytest

from jusoor.accounts.tests.factories import UserFactory
from jusoor.campaigns.tests.factories import GovernorateFactory
from jusoor.incubation.models import Cohort, CohortMembership
from jusoor.incubation.tests.factories import (
    ActivityFactory,
    ApplicationFactory,
    CallFactory,
    CoachAssignmentFactory,
    ProgrammeFactory,
)
from jusoor.organizations.models import MembershipRole
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory
from jusoor.programmes.models import ProgrammeMember, ProgrammeRole
from jusoor.territories.models import Territory


@pytest.fixture
def morocco(db) -> dict[str, Territory]:
    """Two regions, a province and a commune in each (codes as the real data; a small tree for speed)."""
    rabat_region = GovernorateFactory(
        code="MA-04", country="MA", kind="region", name_fr="Rabat-Salé-Kénitra", name_ar="الرباط سلا القنيطرة"
    )
    souss = GovernorateFactory(code="MA-09", country="MA", kind="region", name_fr="Souss-Massa", name_ar="سوس ماسة")
    rabat_prefecture = GovernorateFactory(
        code="MA-RAB", country="MA", kind="prefecture", parent=rabat_region, name_fr="Rabat", name_ar="الرباط"
    )
    agadir_prefecture = GovernorateFactory(
        code="MA-AGD", country="MA", kind="prefecture", parent=souss, name_fr="Agadir", name_ar="أكادير"
    )
    rabat = GovernorateFactory(
        code="441.01.01",
        code_system="ma-hcp",
        country="MA",
        kind="commune",
        parent=rabat_prefecture,
        name_fr="Rabat",
        name_ar="الرباط",
    )
    agadir = GovernorateFactory(
        code="001.01.01",
        code_system="ma-hcp",
        country="MA",
        kind="commune",
        parent=agadir_prefecture,
        name_fr="Agadir",
        name_ar="أكادير",
    )
    return {
        "rabat_region": rabat_region,
        "souss": souss,
        "rabat": rabat,
        "agadir": agadir,
        "rabat_prefecture": rabat_prefecture,
    }


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


def _team_member(programme, role, **kwargs):
    user = UserFactory(**kwargs)
    ProgrammeMember.objects.create(programme=programme, user=user, role=role)
    return user


@pytest.fixture
def manager(programme):
    return _team_member(programme, ProgrammeRole.MANAGER, email="manager@tamuri.ma")


@pytest.fixture
def coach(programme):
    return _team_member(programme, ProgrammeRole.COACH, email="coach@tamuri.ma")


@pytest.fixture
def other_coach(programme):
    return _team_member(programme, ProgrammeRole.COACH, email="coach2@tamuri.ma")


@pytest.fixture
def facilitator(db):
    return UserFactory(email="facilitator@tamuri.ma")


@pytest.fixture
def applicant(programme, morocco):
    """The organisation selected in the programme's call, in the commune of Rabat."""
    organization = OrganizationFactory(country="MA", territory=morocco["rabat"], name_fr="Association Amal Rabat")
    ApplicationFactory(call=CallFactory(programme=programme), organization=organization)
    return organization


@pytest.fixture
def applicant_admin(applicant):
    user = UserFactory(email="admin@amal.ma", preferred_language="ar")
    MembershipFactory(organization=applicant, user=user, role=MembershipRole.ADMIN)
    return user


@pytest.fixture
def other_organization(morocco):
    return OrganizationFactory(country="MA", territory=morocco["agadir"], name_fr="Association Souss")


@pytest.fixture
def other_admin(other_organization):
    user = UserFactory(email="admin@souss.ma")
    MembershipFactory(organization=other_organization, user=user, role=MembershipRole.OWNER)
    return user


@pytest.fixture
def assignment(programme, coach, applicant):
    return CoachAssignmentFactory(programme=programme, coach=coach, organization=applicant)


@pytest.fixture
def cohort(programme, applicant):
    from django.utils import timezone

    cohort = Cohort.objects.create(programme=programme, name="Cohorte 1")
    CohortMembership.objects.create(cohort=cohort, organization=applicant, joined_at=timezone.now())
    return cohort


@pytest.fixture
def activity(programme, facilitator, morocco):
    activity = ActivityFactory(programme=programme, territory=morocco["rabat"], capacity=3, title="Hackathon Rabat")
    activity.facilitators.add(facilitator)
    return activity
