"""Call scenarios: a Moroccan association in Casablanca (a commune of the prefecture in the Casablanca-Settat
region) with its team (owner reads Arabic, admin French, member English), a MAD programme with a manager, and an
open call whose form has one question of each kind."""

from __future__ import annotations

from datetime import date

import pytest

from jusoor.accounts.tests.factories import UserFactory
from jusoor.calls.models import Question
from jusoor.calls.tests.factories import ApplicationFactory, CallFactory, ProgrammeFactory, QuestionFactory
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory, OrganizationKindFactory
from jusoor.programmes.models import ProgrammeMember
from jusoor.territories.models import Territory


@pytest.fixture
def region(db) -> Territory:
    return Territory.objects.create(
        code="MA-06",
        code_system="iso3166-2",
        country="MA",
        kind="region",
        name_ar="الدار البيضاء-سطات",
        name_fr="Casablanca-Settat",
        name_en="Casablanca-Settat",
    )


@pytest.fixture
def prefecture(region) -> Territory:
    return Territory.objects.create(
        code="MA-CAS",
        code_system="iso3166-2",
        country="MA",
        kind="prefecture",
        parent=region,
        name_ar="عمالة الدار البيضاء",
        name_fr="Préfecture de Casablanca",
        name_en="Casablanca Prefecture",
    )


@pytest.fixture
def commune(prefecture) -> Territory:
    return Territory.objects.create(
        code="141.01.01",
        code_system="ma-hcp",
        country="MA",
        kind="commune",
        parent=prefecture,
        name_ar="سيدي بليوط",
        name_fr="Sidi Belyout",
        name_en="Sidi Belyout",
    )


@pytest.fixture
def organization(commune) -> Organization:
    return OrganizationFactory(
        country="MA",
        territory=commune,
        kind=OrganizationKindFactory(),
        founded_on=date(2015, 3, 1),
        status=Organization.Status.VERIFIED,
        name_ar="جمعية أفق",
        name_fr="Association Horizon",
    )


@pytest.fixture
def team(organization):
    users = {}
    for role, language in (("owner", "ar"), ("admin", "fr"), ("member", "en")):
        user = UserFactory(email=f"{role}@horizon.ma", preferred_language=language)
        MembershipFactory(organization=organization, user=user, role=MembershipRole(role))
        users[role] = user
    return users


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


@pytest.fixture
def manager(programme):
    user = UserFactory(email="manager@programme.ma")
    ProgrammeMember.objects.create(programme=programme, user=user, role="manager")
    return user


@pytest.fixture
def call(programme):
    return CallFactory(programme=programme)


@pytest.fixture
def questions(call):
    """One question of each kind, in order; only the short text and the budget are required."""

    def q(kind, **kwargs):
        kwargs.setdefault("required", False)
        return QuestionFactory(call=call, kind=kind, label={"fr": kind, "ar": kind}, **kwargs)

    choices = [
        {"value": "youth", "label": {"fr": "Jeunes", "ar": "الشباب"}},
        {"value": "women", "label": {"fr": "Femmes", "ar": "النساء"}},
        {"value": "elders", "label": {"fr": "Aînés", "ar": "المسنون"}},
    ]
    return {
        "short": q(Question.Kind.SHORT_TEXT, required=True, position=0),
        "long": q(Question.Kind.LONG_TEXT, word_limit=5, position=1),
        "number": q(Question.Kind.NUMBER, position=2),
        "single": q(Question.Kind.SINGLE_CHOICE, choices=choices, position=3),
        "multiple": q(Question.Kind.MULTIPLE_CHOICE, choices=choices, position=4),
        "date": q(Question.Kind.DATE, position=5),
        "file": q(Question.Kind.FILE, position=6),
        "budget": q(Question.Kind.BUDGET, required=True, position=7),
    }


@pytest.fixture
def draft(call, organization, questions):
    return ApplicationFactory(call=call, organization=organization)


@pytest.fixture
def complete_answers(questions):
    return {
        questions["short"].pk: "Jeunes entrepreneurs de Casablanca",
        questions["budget"].pk: [
            {"label": "Formation", "amount": "30000"},
            {"label": "Matériel", "amount": "15000.50"},
        ],
    }
