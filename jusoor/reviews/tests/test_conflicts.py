"""Conflicts derived from the registry and declared by reviewers."""

import pytest

from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory
from jusoor.reviews.models import ConflictDeclaration, ReviewAssignment
from jusoor.reviews.selectors.conflicts import conflict_reasons, same_federation
from jusoor.reviews.services.conflicts import conflict_declare, conflict_withdraw

pytestmark = pytest.mark.django_db


def _reasons(scene, reviewer):
    return [str(reason) for reason in conflict_reasons(application=scene.application, reviewer=reviewer)]


def test_member_of_the_applicant_is_in_conflict(scene):
    assert _reasons(scene, scene.conflicted) == ["member of the applicant organisation"]
    assert _reasons(scene, scene.reviewer_a) == []


@pytest.mark.parametrize(
    ("rule_on", "commune", "expected"),
    [
        (True, "settat", ["lives, works or is a member of an organisation in the applicant's commune"]),
        (False, "settat", []),
        (True, "berrechid", []),
    ],
)
def test_same_commune_rule(scene, communes, rule_on, commune, expected):
    scene.call.same_commune_conflict = rule_on
    scene.call.save(update_fields=["same_commune_conflict"])
    MembershipFactory(
        organization=OrganizationFactory(country="MA", territory=getattr(communes, commune)), user=scene.reviewer_a
    )
    assert _reasons(scene, scene.reviewer_a) == expected


@pytest.mark.parametrize(("rule_on", "expected"), [(True, 1), (False, 0)])
def test_a_reviewer_living_in_the_applicants_commune_is_in_conflict(scene, communes, rule_on, expected):
    scene.call.same_commune_conflict = rule_on
    scene.call.save(update_fields=["same_commune_conflict"])
    scene.reviewer_a.commune = communes.settat
    scene.reviewer_a.save(update_fields=["commune"])
    scene.reviewer_b.commune = communes.berrechid
    scene.reviewer_b.save(update_fields=["commune"])
    assert (
        _reasons(scene, scene.reviewer_a)
        == ["lives, works or is a member of an organisation in the applicant's commune"][:expected]
    )
    assert _reasons(scene, scene.reviewer_b) == []


def test_same_federation(scene):
    federation = OrganizationFactory(name_fr="Fédération des associations de Settat")
    sister = OrganizationFactory()
    stranger = OrganizationFactory()
    scene.organization.federations.add(federation)
    sister.federations.add(federation)
    assert same_federation(scene.organization, sister) is True
    assert same_federation(scene.organization, federation) is True  # the federation itself
    assert same_federation(scene.organization, stranger) is False
    assert same_federation(scene.organization, scene.organization) is False


@pytest.mark.parametrize("where", ["sister", "federation"])
def test_a_member_of_the_applicants_federation_is_in_conflict(scene, where):
    federation = OrganizationFactory()
    sister = OrganizationFactory()
    scene.organization.federations.add(federation)
    sister.federations.add(federation)
    MembershipFactory(organization=sister if where == "sister" else federation, user=scene.reviewer_a)
    assert _reasons(scene, scene.reviewer_a) == ["member of an organisation of the same federation"]
    assert _reasons(scene, scene.reviewer_b) == []


def test_declaring_removes_open_reviews_and_withdrawing_restores_eligibility(scene):
    ReviewAssignment.objects.create(application=scene.application, reviewer=scene.reviewer_a)

    declaration = conflict_declare(
        reviewer=scene.reviewer_a,
        organization=scene.organization,
        reason="Ancien salarié",
        acting_user=scene.reviewer_a,
    )

    assert _reasons(scene, scene.reviewer_a) == ["declared by the reviewer"]
    assert not ReviewAssignment.objects.filter(reviewer=scene.reviewer_a).exists()
    conflict_withdraw(declaration=declaration, acting_user=scene.reviewer_a)
    assert _reasons(scene, scene.reviewer_a) == []


def test_a_declaration_needs_a_reason(scene):
    with pytest.raises(ApplicationError) as error:
        conflict_declare(reviewer=scene.reviewer_a, organization=scene.organization, reason="  ", acting_user=None)
    assert error.value.code == "reason_required"
    assert ConflictDeclaration.objects.count() == 0
