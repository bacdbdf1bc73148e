"""Aggregation and ranking, with the arithmetic written out."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jusoor.accounts.tests.factories import UserFactory
from jusoor.calls.models import Application
from jusoor.reviews.selectors.ranking import call_ranking, envelope_summary
from jusoor.reviews.tests.factories import make_application, make_call, make_rubric, submitted_review

pytestmark = pytest.mark.django_db


def test_weighted_totals_mean_median_spread_and_disagreement(scene):
    relevance, feasibility, innovation = scene.criteria  # weights 2, 1, and 1 (optional: not counted)
    x, y = scene.application, scene.other
    submitted_review(x, scene.reviewer_a, {relevance: 4, feasibility: 3, innovation: 5})  # (2×4 + 3) / 3 = 11/3
    submitted_review(x, scene.reviewer_b, {relevance: 5, feasibility: 5, innovation: 1})  # (10 + 5) / 3 = 5
    submitted_review(x, scene.outsider, {relevance: 2, feasibility: 2})  # (4 + 2) / 3 = 2
    submitted_review(y, scene.reviewer_a, {relevance: 4, feasibility: 2})  # (8 + 2) / 3 = 10/3
    submitted_review(y, scene.reviewer_b, {relevance: 3, feasibility: 5})  # (6 + 5) / 3 = 11/3
    # A draft (not submitted) never counts.
    from jusoor.reviews.models import CriterionScore, ReviewAssignment

    draft = ReviewAssignment.objects.create(application=y, reviewer=scene.outsider)
    CriterionScore.objects.create(assignment=draft, criterion=relevance, value=1)

    rows = {row.application.pk: row for row in call_ranking(call=scene.call)}

    # x: mean (11/3 + 5 + 2) / 3 = 32/9 = 3.5555… → 3.556; median 11/3 → 3.667; spread 5 − 2 = 3 > 1.5.
    assert rows[x.pk].review_totals == [Decimal("3.667"), Decimal("5.000"), Decimal("2.000")]
    assert (rows[x.pk].mean, rows[x.pk].median, rows[x.pk].spread) == (
        Decimal("3.556"),
        Decimal("3.667"),
        Decimal("3.000"),
    )
    assert rows[x.pk].disagreement is True
    assert rows[x.pk].reviews == 3
    # y: mean (10/3 + 11/3) / 2 = 7/2 = 3.5; median of two = their mean = 3.5; spread 1/3 → 0.333 ≤ 1.5.
    assert (rows[y.pk].mean, rows[y.pk].median, rows[y.pk].spread) == (
        Decimal("3.500"),
        Decimal("3.500"),
        Decimal("0.333"),
    )
    assert rows[y.pk].disagreement is False
    assert rows[y.pk].reviews == 2
    # 3.556 > 3.5: x first; the means differ, so no tie-break is explained.
    assert [r.rank for r in (rows[x.pk], rows[y.pk])] == [1, 2]
    assert rows[x.pk].tie_break is None


def test_ties_are_broken_by_median_then_count_then_submission_time_and_explained(db):
    call = make_call()
    (score,) = make_rubric(call, [("Overall", "1", False)])  # one criterion of weight 1: the total is the score
    reviewers = [UserFactory() for _ in range(4)]
    now = timezone.now()
    q = make_application(call, submitted_at=now - timedelta(days=15))
    r = make_application(call, submitted_at=now - timedelta(days=14))
    s = make_application(call, submitted_at=now - timedelta(days=20))
    p = make_application(call, submitted_at=now - timedelta(days=12))
    n = make_application(call, submitted_at=now - timedelta(days=30))  # no review yet
    for application, values in ((q, [1, 4, 4, 5]), (r, [3, 3, 4, 4]), (s, [3, 4]), (p, [3, 4])):
        for reviewer, value in zip(reviewers, values, strict=False):
            submitted_review(application, reviewer, {score: value})
    # Means: q 14/4 = 3.5, r 14/4 = 3.5, s 7/2 = 3.5, p 7/2 = 3.5 — all tied.
    # Medians: q (4 + 4)/2 = 4, r (3 + 4)/2 = 3.5, s 3.5, p 3.5 → q first.
    # Reviews: r 4, s 2, p 2 → r before s and p. s and p tie on everything but time: s was submitted earlier.

    rows = call_ranking(call=call)

    assert [row.application.pk for row in rows] == [q.pk, r.pk, s.pk, p.pk, n.pk]
    assert [str(row.tie_break) if row.tie_break else None for row in rows] == [
        "Tie on mean: higher median.",
        "Tie on mean and median: more reviews.",
        "Tie on mean, median and number of reviews: submitted earlier.",
        None,
        None,
    ]
    assert [row.mean for row in rows] == [Decimal("3.500")] * 4 + [None]
    assert rows[0].median == Decimal("4.000")


def test_ranking_reads_two_queries_whatever_the_size(scene, django_assert_num_queries):
    relevance, feasibility, _innovation = scene.criteria
    for _ in range(20):
        application = make_application(scene.call)
        submitted_review(application, scene.reviewer_a, {relevance: 3, feasibility: 4})
        submitted_review(application, scene.reviewer_b, {relevance: 5, feasibility: 1})

    with django_assert_num_queries(2):
        rows = call_ranking(call=scene.call)
        names = [row.application.organization.name for row in rows]
    assert len(names) == 22


def test_envelope_counts_selected_applications_of_the_programme(scene):
    # Envelope 300,000 MAD. Selected: 50,000 (this call) + 80,000 (another call of the programme).
    Application.objects.filter(pk=scene.application.pk).update(status=Application.Status.SELECTED)
    Application.objects.filter(pk=scene.other.pk).update(
        status=Application.Status.SHORTLISTED, requested_amount=Decimal("70000")
    )
    other_call = make_call(scene.programme, title_fr="Deuxième appel")
    make_application(other_call, status=Application.Status.SELECTED, requested_amount=Decimal("80000"))
    make_application(make_call(), status=Application.Status.SELECTED)  # another programme: not counted

    envelope = envelope_summary(call=scene.call)

    assert envelope.currency == "MAD"
    assert envelope.envelope == Decimal("300000")
    assert envelope.selected == Decimal("130000")
    assert envelope.shortlisted == Decimal("70000")
    assert envelope.remaining == Decimal("170000")
    assert envelope.over is False
