"""Campaign scenarios: a verified organisation with its team (owner reads Arabic, admin French, member English),
the municipality of Medenine, the prefecture of Casablanca, a draft and a live campaign."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jusoor.accounts.tests.factories import UserFactory
from jusoor.campaigns.tests.factories import CampaignFactory, GovernorateFactory, MunicipalityFactory
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory
from jusoor.territories.models import Territory


@pytest.fixture
def medenine(db) -> Territory:
    """The municipality of Medenine (code 5211) inside the governorate TN-82."""
    return MunicipalityFactory()


@pytest.fixture
def casablanca(db) -> Territory:
    region = GovernorateFactory(
        code="MA-06",
        country="MA",
        kind="region",
        name_ar="الدار البيضاء-سطات",
        name_fr="Casablanca-Settat",
        name_en="Casablanca-Settat",
    )
    return GovernorateFactory(
        code="MA-CAS",
        country="MA",
        kind="prefecture",
        parent=region,
        name_ar="عمالة الدار البيضاء",
        name_fr="Préfecture de Casablanca",
        name_en="Casablanca Prefecture",
    )


@pytest.fixture
def organization(db) -> Organization:
    return OrganizationFactory(
        status=Organization.Status.VERIFIED, name_ar="جمعية أطفال القمر", name_fr="Enfants de la Lune"
    )


@pytest.fixture
def team(organization):
    """{role: user} of the organisation: owner (ar), admin (fr), member (en)."""
    users = {}
    for role, language in (("owner", "ar"), ("admin", "fr"), ("member", "en")):
        user = UserFactory(email=f"{role}@assoc.tn", preferred_language=language)
        MembershipFactory(organization=organization, user=user, role=MembershipRole(role))
        users[role] = user
    return users


@pytest.fixture
def campaign_factory(organization, medenine):
    def create(**overrides):
        overrides.setdefault("organization", organization)
        overrides.setdefault("territory", medenine)
        return CampaignFactory(**overrides)

    return create


@pytest.fixture
def draft(campaign_factory):
    return campaign_factory(status="draft", starts_at=timezone.now() + timedelta(days=2))


@pytest.fixture
def live(campaign_factory):
    return campaign_factory(status="live")
