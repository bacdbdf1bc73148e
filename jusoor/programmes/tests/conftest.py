"""Programme scenarios: TAMURI-like programme in two Moroccan regions, its operator with an administrator, a
funder with an administrator, a team (manager, reviewer, coach, juror), and a fake metric registered for a test."""

from __future__ import annotations

from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from jusoor.accounts.models import Role
from jusoor.accounts.tests.factories import RoleGrantFactory, UserFactory
from jusoor.organizations.models import MembershipRole
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory
from jusoor.programmes import metrics
from jusoor.programmes.metrics import Metric, MetricValue
from jusoor.programmes.tests.factories import MemberFactory, ProgrammeFactory, RegionFactory

ROLES = [
    "anonymous",
    "user",
    "operator_admin",
    "manager",
    "reviewer",
    "coach",
    "juror",
    "platform_admin",
    "funder_admin",
]


@pytest.fixture
def regions(db):
    casablanca = RegionFactory()
    oriental = RegionFactory(code="MA-02", name_ar="الشرق", name_fr="L’Oriental", name_en="Oriental")
    return [casablanca, oriental]


@pytest.fixture
def funder(db):
    return OrganizationFactory(name_fr="Union européenne", name_ar="الاتحاد الأوروبي", country="FR")


@pytest.fixture
def programme(regions, funder):
    programme = ProgrammeFactory(title_fr="TAMURI", title_ar="تامري")
    programme.territories.set(regions)
    programme.funders.set([funder])
    return programme


def make_actor(kind: str, programme):
    """A user in the given role towards `programme` (platform admins have two-factor authentication set up)."""
    if kind == "anonymous":
        return AnonymousUser()
    user = UserFactory()
    if kind in {"manager", "reviewer", "coach", "juror"}:
        MemberFactory(programme=programme, user=user, role=kind, capacity=20 if kind == "reviewer" else None)
    elif kind == "operator_admin":
        MembershipFactory(organization=programme.operator, user=user, role=MembershipRole.ADMIN)
    elif kind == "funder_admin":
        MembershipFactory(organization=programme.funders.get(), user=user, role=MembershipRole.OWNER)
    elif kind == "programme_manager_role":
        RoleGrantFactory(user=user, role=Role.PROGRAMME_MANAGER)
    elif kind == "platform_admin":
        RoleGrantFactory(user=user, role=Role.PLATFORM_ADMIN)
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def manager(programme):
    return make_actor("manager", programme)


@pytest.fixture
def coach(programme):
    return make_actor("coach", programme)


def pdf_upload(name: str = "liste.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


@pytest.fixture
def fake_metric(regions):
    """A metric "test_beneficiaries": 120 in total, 80 in Casablanca-Settat and 40 in the Oriental, 70 women and
    50 men; unregistered after the test."""
    calls = []

    def compute(programme, until):
        calls.append((programme.pk, until))
        return MetricValue(
            total=Decimal("120"),
            by_region={regions[0].pk: Decimal("80"), regions[1].pk: Decimal("40")},
            breakdowns={"sex": {"women": Decimal("70"), "men": Decimal("50")}},
        )

    metric = metrics.register(Metric("test_beneficiaries", "Bénéficiaires (test)", "personnes", compute))
    yield calls
    metrics._REGISTRY.pop(metric.key, None)
