"""A closed call of a Moroccan programme with two applications under review, a rubric and a team: manager,
three reviewers, a coach and a juror; the applicant organisation's owner."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from jusoor.accounts.tests.factories import UserFactory
from jusoor.organizations.models import MembershipRole
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory
from jusoor.programmes.models import ProgrammeRole
from jusoor.reviews.tests.factories import add_member, add_reviewer, make_application, make_call, make_rubric
from jusoor.territories.models import Territory


@pytest.fixture
def communes(db):
    """Region Casablanca-Settat → province of Settat → two communes."""
    region = Territory.objects.create(
        code="T-MA-06",
        code_system="iso3166-2",
        country="MA",
        kind="region",
        name_ar="الدار البيضاء-سطات",
        name_fr="Casablanca-Settat",
        name_en="Casablanca-Settat",
    )
    province = Territory.objects.create(
        code="T-MA-SET",
        code_system="iso3166-2",
        country="MA",
        kind="province",
        parent=region,
        name_ar="إقليم سطات",
        name_fr="Province de Settat",
        name_en="Settat Province",
    )
    settat = Territory.objects.create(
        code="T-MA-SET-1",
        code_system="ma-hcp",
        country="MA",
        kind="commune",
        parent=province,
        name_ar="سطات",
        name_fr="Settat",
        name_en="Settat",
    )
    berrechid = Territory.objects.create(
        code="T-MA-SET-2",
        code_system="ma-hcp",
        country="MA",
        kind="commune",
        parent=province,
        name_ar="برشيد",
        name_fr="Berrechid",
        name_en="Berrechid",
    )
    return SimpleNamespace(region=region, province=province, settat=settat, berrechid=berrechid)


@pytest.fixture
def scene(db, communes):
    call = make_call()
    programme = call.programme
    applicant_org = OrganizationFactory(
        country="MA",
        territory=communes.settat,
        name_fr="Association Amal Settat",
        name_ar="جمعية أمل سطات",
        registration_number="RC-4471",
        primary_language="fr",
    )
    application = make_application(call, organization=applicant_org)
    other = make_application(call)
    applicant = UserFactory(email="owner@amal.ma", preferred_language="ar")
    MembershipFactory(organization=applicant_org, user=applicant, role=MembershipRole.OWNER)
    manager = add_member(programme, ProgrammeRole.MANAGER, UserFactory(email="manager@tamuri.ma"))
    reviewer_a = add_reviewer(programme, UserFactory(email="ra@tamuri.ma", full_name="Reviewer A"))
    reviewer_b = add_reviewer(programme, UserFactory(email="rb@tamuri.ma", full_name="Reviewer B"))
    outsider = add_reviewer(programme, UserFactory(email="rc@tamuri.ma", full_name="Reviewer C"))
    conflicted = add_reviewer(programme, UserFactory(email="rd@tamuri.ma", full_name="Reviewer D"))
    MembershipFactory(organization=applicant_org, user=conflicted, role=MembershipRole.MEMBER)
    coach = add_member(programme, ProgrammeRole.COACH, UserFactory(email="coach@tamuri.ma"))
    juror = add_member(programme, ProgrammeRole.JUROR, UserFactory(email="juror@tamuri.ma"))
    criteria = make_rubric(call)
    return SimpleNamespace(
        call=call,
        programme=programme,
        application=application,
        other=other,
        organization=applicant_org,
        applicant=applicant,
        manager=manager,
        reviewer_a=reviewer_a,
        reviewer_b=reviewer_b,
        outsider=outsider,
        conflicted=conflicted,
        coach=coach,
        juror=juror,
        criteria=criteria,
    )
