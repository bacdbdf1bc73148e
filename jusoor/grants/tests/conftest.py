"""Grants scenario: a MAD programme (envelope 1,000,000; grants 20,000–100,000) with a manager, three jurors, a
coach; a live Demo Day with two criteria (impact ×2, feasibility ×1, both 1–5) and three pitches; the first
pitching organisation has an owner (Arabic) and an admin (French), and a second organisation has its own admin.
Juror 3 is a member of the first pitching organisation (recused by the registry)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from jusoor.accounts.tests.factories import UserFactory
from jusoor.grants.tests.factories import (
    DemoDayFactory,
    JuryCriterionFactory,
    PitchFactory,
    ProgrammeFactory,
    ProgrammeMemberFactory,
)
from jusoor.organizations.models import MembershipRole
from jusoor.organizations.tests.factories import MembershipFactory


@pytest.fixture
def scene(db):
    programme = ProgrammeFactory()
    manager = UserFactory(email="manager@tamuri.ma")
    ProgrammeMemberFactory(programme=programme, user=manager, role="manager")
    jurors = [UserFactory(email=f"juror{i}@tamuri.ma") for i in (1, 2, 3)]
    for juror in jurors:
        ProgrammeMemberFactory(programme=programme, user=juror, role="juror")
    coach = UserFactory(email="coach@tamuri.ma")
    ProgrammeMemberFactory(programme=programme, user=coach, role="coach")
    demo_day = DemoDayFactory(programme=programme)
    impact = JuryCriterionFactory(demo_day=demo_day, weight=Decimal("2"), position=1)
    feasibility = JuryCriterionFactory(
        demo_day=demo_day, weight=Decimal("1"), position=2, label={"fr": "Faisabilité", "ar": "قابلية التنفيذ"}
    )
    pitches = [PitchFactory(demo_day=demo_day, order=i) for i in (1, 2, 3)]
    org = pitches[0].organization
    owner = UserFactory(email="owner@assoc.ma", preferred_language="ar")
    admin = UserFactory(email="admin@assoc.ma", preferred_language="fr")
    MembershipFactory(organization=org, user=owner, role=MembershipRole.OWNER)
    MembershipFactory(organization=org, user=admin, role=MembershipRole.ADMIN)
    MembershipFactory(organization=org, user=jurors[2], role=MembershipRole.MEMBER)
    other_admin = UserFactory(email="admin@other.ma")
    MembershipFactory(organization=pitches[1].organization, user=other_admin, role=MembershipRole.ADMIN)
    return SimpleNamespace(
        programme=programme,
        manager=manager,
        jurors=jurors,
        coach=coach,
        demo_day=demo_day,
        impact=impact,
        feasibility=feasibility,
        pitches=pitches,
        org=org,
        owner=owner,
        admin=admin,
        other_admin=other_admin,
    )
