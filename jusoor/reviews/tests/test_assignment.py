"""Automatic and manual assignment: balance, capacity, conflicts, idempotency, constant query count."""

from collections import Counter

import pytest

from jusoor.accounts.tests.factories import UserFactory
from jusoor.calls.models import Application
from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.organizations.tests.factories import MembershipFactory
from jusoor.reviews.models import ConflictDeclaration, ReviewAssignment
from jusoor.reviews.services.assignment import assign_reviewers, assignment_add, assignment_remove
from jusoor.reviews.tests.factories import add_reviewer, make_application, make_call

pytestmark = pytest.mark.django_db


def _pairs(call):
    return set(ReviewAssignment.objects.filter(application__call=call).values_list("application_id", "reviewer_id"))


def test_balanced_deterministic_and_idempotent(db):
    call = make_call(reviewers_per_application=2)
    reviewers = [add_reviewer(call.programme) for _ in range(3)]
    applications = [make_application(call) for _ in range(6)]
    make_application(call, status=Application.Status.SUBMITTED)  # not eligible yet: ignored
    make_application(call, status=Application.Status.INELIGIBLE)  # ignored

    outcome = assign_reviewers(call=call, acting_user=None)

    assert outcome.created == 12  # 6 applications × 2
    assert outcome.short == {}
    loads = Counter(ReviewAssignment.objects.values_list("reviewer_id", flat=True))
    assert sorted(loads.values()) == [4, 4, 4]  # 12 reviews over 3 reviewers
    for application in applications:
        assert ReviewAssignment.objects.filter(application=application).count() == 2
    first = _pairs(call)
    # The first application (earliest submitted, then lowest id) gets the two reviewers of lowest id.
    ids = sorted(r.pk for r in reviewers)
    assert {rid for aid, rid in first if aid == applications[0].pk} == {ids[0], ids[1]}

    again = assign_reviewers(call=call, acting_user=None)

    assert again.created == 0
    assert _pairs(call) == first
    assert AuditEvent.objects.filter(action="reviews.reviewers.assigned").count() == 1


def test_capacity_is_respected_and_shortfalls_reported(db):
    call = make_call(reviewers_per_application=2)
    small = add_reviewer(call.programme, capacity=1)
    large = add_reviewer(call.programme, capacity=2)
    applications = [make_application(call) for _ in range(3)]

    outcome = assign_reviewers(call=call, acting_user=None)

    loads = Counter(ReviewAssignment.objects.values_list("reviewer_id", flat=True))
    assert loads == {small.pk: 1, large.pk: 2}
    # 3 reviews for 6 wanted: application 1 got both, application 2 only `large`, application 3 none.
    assert outcome.created == 3
    assert outcome.short == {applications[1].pk: 1, applications[2].pk: 2}


def test_conflicted_reviewers_are_never_assigned(scene, communes):
    call = scene.call
    call.same_commune_conflict = True
    call.save(update_fields=["same_commune_conflict"])
    call.reviewers_per_application = 4
    call.save(update_fields=["reviewers_per_application"])
    # reviewer_b declares a conflict with the applicant; outsider belongs to another organisation of Settat.
    ConflictDeclaration.objects.create(reviewer=scene.reviewer_b, organization=scene.organization, reason="Cousin")
    from jusoor.organizations.tests.factories import OrganizationFactory

    MembershipFactory(organization=OrganizationFactory(country="MA", territory=communes.settat), user=scene.outsider)

    outcome = assign_reviewers(call=call, acting_user=scene.manager)

    reviewers_of_application = set(
        ReviewAssignment.objects.filter(application=scene.application).values_list("reviewer_id", flat=True)
    )
    assert reviewers_of_application == {scene.reviewer_a.pk}
    assert outcome.short[scene.application.pk] == 3
    reviewers_of_other = set(
        ReviewAssignment.objects.filter(application=scene.other).values_list("reviewer_id", flat=True)
    )
    assert reviewers_of_other == {scene.reviewer_a.pk, scene.reviewer_b.pk, scene.outsider.pk, scene.conflicted.pk}


def test_query_count_does_not_grow_with_the_call(db, django_assert_num_queries):
    def run(size):
        call = make_call(reviewers_per_application=3)
        for _ in range(4):
            add_reviewer(call.programme)
        for _ in range(size):
            make_application(call)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assign_reviewers(call=call, acting_user=None)
        return len(queries)

    assert run(3) == run(30)


def test_manual_assignment_checks_and_removal(scene):
    before = ReviewAssignment.objects.count()
    with pytest.raises(ApplicationError) as error:
        assignment_add(application=scene.application, reviewer=scene.conflicted, acting_user=scene.manager)
    assert error.value.code == "conflict_of_interest"
    with pytest.raises(ApplicationError) as error:
        assignment_add(application=scene.application, reviewer=UserFactory(), acting_user=scene.manager)
    assert error.value.code == "not_a_reviewer"
    assert ReviewAssignment.objects.count() == before

    assignment = assignment_add(application=scene.application, reviewer=scene.reviewer_a, acting_user=scene.manager)
    with pytest.raises(ApplicationError) as error:
        assignment_add(application=scene.application, reviewer=scene.reviewer_a, acting_user=scene.manager)
    assert error.value.code == "already_assigned"

    assignment_remove(assignment=assignment, acting_user=scene.manager)
    assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEvent.objects.filter(action="reviews.assignment.removed").count() == 1


def test_manual_assignment_respects_capacity(scene):
    capped = add_reviewer(scene.programme, capacity=1)
    assignment_add(application=scene.other, reviewer=capped, acting_user=scene.manager)
    with pytest.raises(ApplicationError) as error:
        assignment_add(application=scene.application, reviewer=capped, acting_user=scene.manager)
    assert error.value.code == "capacity_reached"
    assert ReviewAssignment.objects.filter(reviewer=capped).count() == 1
