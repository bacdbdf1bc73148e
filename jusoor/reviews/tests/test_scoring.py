"""Scoring: only one's own assignments, within the scale, drafts then a final submission; bad input writes nothing."""

import pytest

from jusoor.calls.models import Application
from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.reviews.models import CriterionScore, ReviewAssignment
from jusoor.reviews.selectors.reviews import other_reviews
from jusoor.reviews.services.scoring import review_save, review_submit
from jusoor.reviews.tests.factories import submitted_review

pytestmark = pytest.mark.django_db


def _counts():
    return (ReviewAssignment.objects.count(), CriterionScore.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def assigned(scene):
    return ReviewAssignment.objects.create(application=scene.application, reviewer=scene.reviewer_a)


def test_draft_then_submit(scene, assigned):
    relevance, feasibility, innovation = scene.criteria

    review_save(application=scene.application, reviewer=scene.reviewer_a, scores={relevance.pk: 4}, comment="Bon")
    assigned.refresh_from_db()
    assert assigned.status == ReviewAssignment.Status.ASSIGNED
    assert dict(CriterionScore.objects.filter(assignment=assigned).values_list("criterion_id", "value")) == {
        relevance.pk: 4
    }

    review_submit(
        application=scene.application,
        reviewer=scene.reviewer_a,
        scores={relevance.pk: 5, feasibility.pk: 3},  # innovation is optional: may stay empty
        comments={feasibility.pk: "Budget serré"},
        comment="Projet solide",
    )
    assigned.refresh_from_db()
    assert assigned.status == ReviewAssignment.Status.SUBMITTED
    assert assigned.submitted_at is not None
    assert assigned.comment == "Projet solide"
    assert dict(CriterionScore.objects.filter(assignment=assigned).values_list("criterion_id", "value")) == {
        relevance.pk: 5,
        feasibility.pk: 3,
    }
    assert CriterionScore.objects.get(assignment=assigned, criterion=feasibility).comment == "Budget serré"
    assert list(
        AuditEvent.objects.filter(target_id=str(assigned.pk), action__startswith="reviews.review.")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["reviews.review.saved", "reviews.review.submitted"]
    assert not CriterionScore.objects.filter(criterion=innovation).exists()


@pytest.mark.parametrize("value", [0, 6, -1, 100])
def test_a_score_outside_the_scale_is_refused_and_nothing_written(scene, assigned, value):
    relevance, feasibility, _innovation = scene.criteria
    review_save(application=scene.application, reviewer=scene.reviewer_a, scores={relevance.pk: 2})
    before = _counts()

    with pytest.raises(ApplicationError) as error:
        review_save(
            application=scene.application,
            reviewer=scene.reviewer_a,
            scores={relevance.pk: 4, feasibility.pk: value},
        )

    assert error.value.code == "score_out_of_scale"
    assert error.value.extra["fields"] == {f"score_{feasibility.pk}": ["Give a whole number from 1 to 5."]}
    assert _counts() == before
    assert CriterionScore.objects.get(assignment=assigned, criterion=relevance).value == 2


def test_scoring_an_application_not_assigned_is_refused(scene, assigned):
    relevance, _f, _i = scene.criteria
    before = _counts()
    for reviewer, application in ((scene.outsider, scene.application), (scene.reviewer_a, scene.other)):
        with pytest.raises(ApplicationError) as error:
            review_submit(application=application, reviewer=reviewer, scores={relevance.pk: 3})
        assert error.value.code == "not_assigned"
        assert str(error.value.message) == "This application is not assigned to you."
    assert _counts() == before


def test_a_conflicted_reviewer_cannot_score_even_when_assigned(scene):
    relevance, _f, _i = scene.criteria
    ReviewAssignment.objects.create(application=scene.application, reviewer=scene.conflicted)  # slipped through
    before = _counts()
    with pytest.raises(ApplicationError) as error:
        review_save(application=scene.application, reviewer=scene.conflicted, scores={relevance.pk: 3})
    assert error.value.code == "not_assigned"
    assert _counts() == before


def test_submit_needs_every_counted_criterion(scene, assigned):
    relevance, feasibility, innovation = scene.criteria
    before = _counts()
    with pytest.raises(ApplicationError) as error:
        review_submit(
            application=scene.application, reviewer=scene.reviewer_a, scores={relevance.pk: 3, innovation.pk: 4}
        )
    assert error.value.code == "scores_missing"
    assert error.value.extra["fields"] == {f"score_{feasibility.pk}": ["Score this criterion."]}
    assert _counts() == before
    assigned.refresh_from_db()
    assert assigned.status == ReviewAssignment.Status.ASSIGNED


def test_unknown_criterion_and_submitted_review_and_closed_application_are_refused(scene, assigned):
    relevance, feasibility, _i = scene.criteria
    with pytest.raises(ApplicationError) as error:
        review_save(application=scene.application, reviewer=scene.reviewer_a, scores={999999: 3})
    assert error.value.code == "unknown_criterion"

    Application.objects.filter(pk=scene.application.pk).update(status=Application.Status.SHORTLISTED)
    with pytest.raises(ApplicationError) as error:
        review_save(application=scene.application, reviewer=scene.reviewer_a, scores={relevance.pk: 3})
    assert error.value.code == "review_closed"

    Application.objects.filter(pk=scene.application.pk).update(status=Application.Status.UNDER_REVIEW)
    review_submit(application=scene.application, reviewer=scene.reviewer_a, scores={relevance.pk: 3, feasibility.pk: 3})
    before = _counts()
    with pytest.raises(ApplicationError) as error:
        review_save(application=scene.application, reviewer=scene.reviewer_a, scores={relevance.pk: 5})
    assert error.value.code == "already_submitted"
    assert _counts() == before


def test_others_scores_are_hidden_until_one_submits(scene, assigned):
    relevance, feasibility, _i = scene.criteria
    submitted_review(scene.application, scene.reviewer_b, {relevance: 2, feasibility: 4}, comment="Fragile")

    assert other_reviews(assigned) == []

    review_submit(application=scene.application, reviewer=scene.reviewer_a, scores={relevance.pk: 5, feasibility.pk: 5})
    assigned.refresh_from_db()
    others = other_reviews(assigned)
    assert [(o.reviewer_name, o.comment, o.scores) for o in others] == [
        ("Reviewer B", "Fragile", {relevance.pk: 2, feasibility.pk: 4})
    ]
