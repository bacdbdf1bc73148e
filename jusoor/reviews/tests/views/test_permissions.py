"""Roles × pages: who gets the page, who gets 403, who is sent to log in, who gets 404 (the application is not
theirs to see: not assigned, or in conflict). A refused action changes nothing."""

import pytest

from jusoor.accounts.tests.factories import PASSWORD
from jusoor.calls.models import Application
from jusoor.common.models import AuditEvent
from jusoor.reviews.models import ConflictDeclaration, Criterion, CriterionScore, ReviewAssignment

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "applicant", "reviewer", "unassigned", "conflicted", "coach", "juror", "manager"]
LOGIN, OK, DENIED, HIDDEN, DONE = "login", 200, 403, 404, 302


def expect(**by_role):
    default = by_role.pop("others")
    return {role: by_role.get(role, default) for role in ROLES}


REVIEWERS = {"reviewer": OK, "unassigned": OK, "conflicted": OK}
# (name, method, path, data, expected per role)
PAGES = [
    ("queue", "get", "/en/reviews/", None, expect(anonymous=LOGIN, others=OK)),
    ("score page", "get", "/en/reviews/applications/{app}/", None, expect(anonymous=LOGIN, reviewer=OK, others=HIDDEN)),
    (
        "score save",
        "post",
        "/en/reviews/applications/{app}/",
        {"action": "save", "score_{relevance}": "4"},
        expect(anonymous=LOGIN, reviewer=DONE, others=HIDDEN),
    ),
    (
        "conflicts",
        "get",
        "/en/reviews/programmes/{programme}/conflicts/",
        None,
        expect(anonymous=LOGIN, **REVIEWERS, others=DENIED),
    ),
    (
        "declare conflict",
        "post",
        "/en/reviews/programmes/{programme}/conflicts/",
        {"action": "declare", "organization": "{org}", "reason": "Famille"},
        expect(anonymous=LOGIN, **dict.fromkeys(REVIEWERS, DONE), others=DENIED),
    ),
    ("rubric", "get", "/en/reviews/calls/{call}/rubric/", None, expect(anonymous=LOGIN, manager=OK, others=DENIED)),
    (
        "add criterion",
        "post",
        "/en/reviews/calls/{call}/rubric/",
        {"label_fr": "Impact", "weight": "1", "scale_min": "1", "scale_max": "5"},
        expect(anonymous=LOGIN, manager=DONE, others=DENIED),
    ),
    (
        "assignment",
        "get",
        "/en/reviews/calls/{call}/assignments/",
        None,
        expect(anonymous=LOGIN, manager=OK, others=DENIED),
    ),
    (
        "auto-assign",
        "post",
        "/en/reviews/calls/{call}/assignments/",
        {"action": "auto"},
        expect(anonymous=LOGIN, manager=DONE, others=DENIED),
    ),
    ("ranking", "get", "/en/reviews/calls/{call}/ranking/", None, expect(anonymous=LOGIN, manager=OK, others=DENIED)),
    (
        "export",
        "get",
        "/en/reviews/calls/{call}/ranking.xlsx",
        None,
        expect(anonymous=LOGIN, manager=OK, others=DENIED),
    ),
    (
        "decide",
        "post",
        "/en/reviews/calls/{call}/ranking/{app}/decide/",
        {"decision": "shortlist", "reason": ""},
        expect(anonymous=LOGIN, manager=DONE, others=DENIED),
    ),
]


def _state():
    return (
        ReviewAssignment.objects.count(),
        CriterionScore.objects.count(),
        Criterion.objects.count(),
        ConflictDeclaration.objects.count(),
        AuditEvent.objects.count(),
        tuple(Application.objects.order_by("pk").values_list("status", flat=True)),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "data", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_matrix(client, scene, role, name, method, path, data, expected):
    ReviewAssignment.objects.create(application=scene.application, reviewer=scene.reviewer_a)
    # An assignment that slipped through before the reviewer joined the applicant: still refused.
    ReviewAssignment.objects.create(application=scene.application, reviewer=scene.conflicted)
    users = {
        "applicant": scene.applicant,
        "reviewer": scene.reviewer_a,
        "unassigned": scene.outsider,
        "conflicted": scene.conflicted,
        "coach": scene.coach,
        "juror": scene.juror,
        "manager": scene.manager,
    }
    if role != "anonymous":
        client.login(email=users[role].email, password=PASSWORD)
    values = {
        "app": scene.application.pk,
        "call": scene.call.pk,
        "programme": scene.programme.pk,
        "org": scene.organization.pk,
        "relevance": scene.criteria[0].pk,
    }
    url = path.format(**values)
    payload = {k.format(**values): v.format(**values) for k, v in (data or {}).items()}
    before = _state()

    response = getattr(client, method)(url, payload) if method == "post" else client.get(url)

    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == want, (name, role)
    if want != DONE and method == "post":
        assert _state() == before
    if want == HIDDEN:
        assert "Association Amal Settat" not in response.content.decode()
