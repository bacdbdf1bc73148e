"""The pages: blind review, others' scores, bad input, decisions, the export and query counts."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jusoor.accounts.tests.factories import PASSWORD
from jusoor.calls.models import Answer, Application, Question
from jusoor.reviews.models import CriterionScore, ReviewAssignment
from jusoor.reviews.tests.factories import add_reviewer, make_application, submitted_review

pytestmark = pytest.mark.django_db


def login(client, user):
    client.login(email=user.email, password=PASSWORD)


@pytest.fixture
def assigned(scene):
    Question.objects.create(call=scene.call, position=1, kind="short_text", label={"en": "Project name"})
    Answer.objects.create(application=scene.application, question=scene.call.questions.get(), value="Water for Settat")
    return ReviewAssignment.objects.create(application=scene.application, reviewer=scene.reviewer_a)


def test_open_review_shows_the_applicant(client, scene, assigned):
    login(client, scene.reviewer_a)
    page = client.get(f"/en/reviews/applications/{scene.application.pk}/").content.decode()
    for shown in ("Association Amal Settat", "RC-4471", "Settat", "Casablanca-Settat", "Water for Settat"):
        assert shown in page


def test_blind_review_hides_the_identity_but_keeps_the_region(client, scene, assigned):
    scene.call.blind_review = True
    scene.call.save(update_fields=["blind_review"])
    login(client, scene.reviewer_a)

    page = client.get(f"/en/reviews/applications/{scene.application.pk}/").content.decode()
    queue = client.get("/en/reviews/").content.decode()

    assert "Blind review: the applicant's identity is hidden." in page
    assert "Casablanca-Settat" in page
    assert "Water for Settat" in page  # this answer is not marked identifying
    for hidden in ("Amal", "RC-4471", "Province de Settat", "Settat Province", ">Settat<"):
        assert hidden not in page
    assert "Amal" not in queue
    assert f"#{scene.application.pk}" in queue


def test_blind_review_hides_answers_marked_identifying(client, scene, assigned):
    scene.call.blind_review = True
    scene.call.save(update_fields=["blind_review"])
    president = Question.objects.create(
        call=scene.call, position=2, kind="short_text", label={"en": "President"}, identifying=True
    )
    Answer.objects.create(application=scene.application, question=president, value="Fatima Zahra Bennani")
    login(client, scene.reviewer_a)
    page = client.get(f"/en/reviews/applications/{scene.application.pk}/").content.decode()
    assert "Water for Settat" in page
    assert "Fatima Zahra Bennani" not in page
    scene.call.blind_review = False
    scene.call.save(update_fields=["blind_review"])
    assert "Fatima Zahra Bennani" in client.get(f"/en/reviews/applications/{scene.application.pk}/").content.decode()


def test_reviewers_see_choice_labels_not_their_codes(client, scene, assigned):
    audience = Question.objects.create(
        call=scene.call,
        position=3,
        kind="multiple_choice",
        label={"en": "Who benefits"},
        choices=[
            {"value": "youth", "label": {"en": "Young people", "fr": "Jeunes"}},
            {"value": "women", "label": {"en": "Women", "fr": "Femmes"}},
        ],
    )
    Answer.objects.create(application=scene.application, question=audience, value=["women", "youth"])
    login(client, scene.reviewer_a)
    page = client.get(f"/en/reviews/applications/{scene.application.pk}/").content.decode()
    assert "Women, Young people" in page


def test_others_scores_appear_only_after_submitting(client, scene, assigned):
    relevance, feasibility, _i = scene.criteria
    submitted_review(scene.application, scene.reviewer_b, {relevance: 2, feasibility: 4}, comment="Trop vague")
    login(client, scene.reviewer_a)
    url = f"/en/reviews/applications/{scene.application.pk}/"

    before = client.get(url).content.decode()
    assert "Reviewer B" not in before
    assert "Trop vague" not in before

    response = client.post(url, {"action": "submit", f"score_{relevance.pk}": "5", f"score_{feasibility.pk}": "3"})
    assert response.status_code == 302
    after = client.get(url).content.decode()
    assert "Reviewer B" in after
    assert "Trop vague" in after


def test_a_crafted_score_outside_the_scale_gets_a_clear_error_and_writes_nothing(client, scene, assigned):
    relevance, feasibility, _i = scene.criteria
    login(client, scene.reviewer_a)

    response = client.post(
        f"/en/reviews/applications/{scene.application.pk}/",
        {"action": "save", f"score_{relevance.pk}": "9", f"score_{feasibility.pk}": "3"},
    )

    assert response.status_code == 400
    assert "Give a whole number from 1 to 5." in response.content.decode()
    assert CriterionScore.objects.count() == 0


def test_error_is_translated(client, scene, assigned):
    relevance, _f, _i = scene.criteria
    login(client, scene.reviewer_a)
    response = client.post(
        f"/fr/reviews/applications/{scene.application.pk}/", {"action": "submit", f"score_{relevance.pk}": "3"}
    )
    assert response.status_code == 400
    assert CriterionScore.objects.count() == 0
    assert ReviewAssignment.objects.get(pk=assigned.pk).status == "assigned"


def test_manager_shortlists_from_the_ranking(client, scene, mailoutbox):
    login(client, scene.manager)
    response = client.post(
        f"/en/reviews/calls/{scene.call.pk}/ranking/{scene.application.pk}/decide/", {"decision": "shortlist"}
    )
    assert response.status_code == 302
    scene.application.refresh_from_db()
    assert scene.application.status == Application.Status.SHORTLISTED

    # Rejecting needs a reason: the calls service refuses, nothing changes.
    response = client.post(
        f"/en/reviews/calls/{scene.call.pk}/ranking/{scene.other.pk}/decide/", {"decision": "reject", "reason": ""}
    )
    assert response.status_code == 302
    scene.other.refresh_from_db()
    assert scene.other.status == Application.Status.UNDER_REVIEW


def test_ranking_page_and_export(client, scene, django_assert_max_num_queries):
    relevance, feasibility, _i = scene.criteria
    submitted_review(scene.application, scene.reviewer_a, {relevance: 4, feasibility: 3})  # 11/3
    submitted_review(scene.application, scene.reviewer_b, {relevance: 1, feasibility: 1})  # 1
    login(client, scene.manager)

    page = client.get(f"/en/reviews/calls/{scene.call.pk}/ranking/").content.decode()
    assert "Reviewers disagree" in page  # 11/3 − 1 = 2.667 > 1.5
    assert "2.333" in page  # mean (11/3 + 1) / 2 = 7/3

    response = client.get(f"/en/reviews/calls/{scene.call.pk}/ranking.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Rank", "Application", "Organisation")
    assert rows[1][:10] == (
        1,
        scene.application.pk,
        "Association Amal Settat",
        "Under review",
        50000,
        2,
        2.333,
        2.333,
        2.667,
        "yes",
    )
    assert rows[1][10] == "3.667; 1.000"


def _ranking_queries(client, scene, size, django_assert_num_queries):
    relevance, feasibility, _i = scene.criteria
    for _ in range(size):
        application = make_application(scene.call)
        submitted_review(application, scene.reviewer_a, {relevance: 3, feasibility: 3})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/en/reviews/calls/{scene.call.pk}/ranking/").status_code == 200
    return len(queries)


def test_ranking_page_queries_do_not_grow(client, scene, django_assert_num_queries):
    login(client, scene.manager)
    small = _ranking_queries(client, scene, 2, django_assert_num_queries)
    large = _ranking_queries(client, scene, 25, django_assert_num_queries)
    assert small == large


def test_queue_and_assignment_pages_queries_do_not_grow(client, scene):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, scene.manager)
    reviewer = add_reviewer(scene.programme)
    counts = []
    for size in (2, 20):
        for _ in range(size):
            ReviewAssignment.objects.create(application=make_application(scene.call), reviewer=reviewer)
        with CaptureQueriesContext(connection) as queue:
            client.force_login(reviewer)
            assert client.get("/en/reviews/").status_code == 200
        client.force_login(scene.manager)
        with CaptureQueriesContext(connection) as assignment:
            assert client.get(f"/en/reviews/calls/{scene.call.pk}/assignments/").status_code == 200
        counts.append((len(queue), len(assignment)))
    assert counts[0] == counts[1]


def test_rubric_page_refuses_a_zero_weight(client, scene):
    login(client, scene.manager)
    response = client.post(
        f"/en/reviews/calls/{scene.call.pk}/rubric/",
        {"label_fr": "Impact", "weight": "0", "scale_min": "1", "scale_max": "5"},
    )
    assert response.status_code == 400
    assert "The weight must be a number above 0 and below 1000, with at most 3 decimals." in response.content.decode()
    assert scene.call.rubric.criteria.count() == 3
    assert Decimal("0") not in list(scene.call.rubric.criteria.values_list("weight", flat=True))


def test_assignment_page_starts_the_review_and_assigns_by_hand(client, scene):
    eligible = make_application(scene.call, status=Application.Status.ELIGIBLE)
    login(client, scene.manager)
    url = f"/en/reviews/calls/{scene.call.pk}/assignments/"

    assert client.post(url, {"action": "start_review"}).status_code == 302
    eligible.refresh_from_db()
    assert eligible.status == Application.Status.UNDER_REVIEW

    response = client.post(url, {"action": "add", "application": scene.application.pk, "reviewer": scene.conflicted.pk})
    assert response.status_code == 400
    assert "This reviewer is in conflict of interest with the applicant." in response.content.decode()
    assert not ReviewAssignment.objects.exists()

    response = client.post(url, {"action": "add", "application": scene.application.pk, "reviewer": scene.outsider.pk})
    assert response.status_code == 302
    assert list(ReviewAssignment.objects.values_list("application_id", "reviewer_id")) == [
        (scene.application.pk, scene.outsider.pk)
    ]
    page = client.get(f"{url}?application={scene.application.pk}").content.decode()
    assert "Reviewer C" in page
