"""Reference lists of the organisations API: kinds, themes, SDG goals with their targets. Not paginated."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from jusoor.api.tests.test_organizations_api import assert_matches_schema
from jusoor.organizations.models import OrganizationKind, SDGGoal, SDGTarget, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def taxonomy(db) -> None:
    OrganizationKind.objects.create(
        slug="municipality",
        label={"ar": "بلدية", "fr": "Commune", "en": "Municipality"},
        position=2,
        can_receive_funds=False,
    )
    OrganizationKind.objects.create(
        slug="association", label={"ar": "جمعية", "fr": "Association", "en": "Association"}, position=1
    )
    Theme.objects.create(slug="water", label={"ar": "الماء", "fr": "Eau", "en": "Water"}, position=3)
    Theme.objects.create(slug="health", label={"ar": "الصحة", "fr": "Santé", "en": "Health"}, position=1)
    Theme.objects.create(slug="education", label={"ar": "التعليم", "fr": "Éducation", "en": "Education"}, position=1)
    no_poverty = SDGGoal.objects.create(
        number=1,
        title={"ar": "القضاء على الفقر", "fr": "Pas de pauvreté", "en": "No poverty"},
        short={"ar": "القضاء على الفقر", "fr": "Pas de pauvreté", "en": "No poverty"},
        color="#E5243B",
    )
    SDGGoal.objects.create(
        number=6,
        title={"ar": "المياه النظيفة", "fr": "Eau propre et assainissement", "en": "Clean water and sanitation"},
        short={"ar": "المياه", "fr": "Eau propre", "en": "Clean water"},
        color="#26BDE2",
    )
    SDGGoal.objects.create(
        number=4,
        title={"ar": "التعليم الجيد", "fr": "Éducation de qualité", "en": "Quality education"},
        short={"ar": "التعليم", "fr": "Éducation", "en": "Education"},
        color="#C5192D",
    )
    SDGTarget.objects.create(code="1.a", goal=no_poverty, title={"ar": "أ", "fr": "a", "en": "a"}, position=2)
    SDGTarget.objects.create(code="1.1", goal=no_poverty, title={"ar": "١", "fr": "1", "en": "1"}, position=1)


def test_themes_in_display_order_with_their_names(taxonomy):
    response = APIClient().get("/api/v1/themes/")
    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "ThemeOutput", many=True)
    assert body == [
        {"slug": "education", "name": {"ar": "التعليم", "fr": "Éducation", "en": "Education"}},
        {"slug": "health", "name": {"ar": "الصحة", "fr": "Santé", "en": "Health"}},
        {"slug": "water", "name": {"ar": "الماء", "fr": "Eau", "en": "Water"}},
    ]


def test_sdgs_in_order_with_their_targets(taxonomy):
    response = APIClient().get("/api/v1/sdgs/")
    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "SDGGoalOutput", many=True)
    assert [goal["number"] for goal in body] == [1, 4, 6]
    assert body[0] == {
        "number": 1,
        "short": {"ar": "القضاء على الفقر", "fr": "Pas de pauvreté", "en": "No poverty"},
        "color": "#E5243B",
        "title": {"ar": "القضاء على الفقر", "fr": "Pas de pauvreté", "en": "No poverty"},
        "targets": [
            {"code": "1.1", "title": {"ar": "١", "fr": "1", "en": "1"}},
            {"code": "1.a", "title": {"ar": "أ", "fr": "a", "en": "a"}},
        ],
    }
    assert body[1]["targets"] == []


def test_kinds_in_display_order(taxonomy):
    body = APIClient().get("/api/v1/organisation-kinds/").json()
    assert_matches_schema(body, "OrganizationKindOutput", many=True)
    assert body == [
        {
            "slug": "association",
            "name": {"ar": "جمعية", "fr": "Association", "en": "Association"},
            "can_receive_funds": True,
        },
        {
            "slug": "municipality",
            "name": {"ar": "بلدية", "fr": "Commune", "en": "Municipality"},
            "can_receive_funds": False,
        },
    ]


@pytest.mark.parametrize("path", ["themes", "sdgs", "organisation-kinds"])
def test_lists_are_empty_lists_when_nothing_is_loaded(db, path):
    response = APIClient().get(f"/api/v1/{path}/")
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(("path", "queries"), [("themes", 1), ("sdgs", 2), ("organisation-kinds", 1)])
def test_query_counts(taxonomy, django_assert_num_queries, path, queries):
    with django_assert_num_queries(queries):
        APIClient().get(f"/api/v1/{path}/")


@pytest.mark.parametrize("path", ["themes", "sdgs", "organisation-kinds"])
def test_reference_lists_are_read_only(taxonomy, user, path):
    client = APIClient()
    client.force_login(user)
    response = client.post(f"/api/v1/{path}/", {"slug": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": 'Method "POST" not allowed.', "extra": {}}
    assert Theme.objects.count() == 3
    assert OrganizationKind.objects.count() == 2
