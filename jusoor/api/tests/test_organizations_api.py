"""The organisations API: directory, profile, create, update, verification, submission.

Permission matrices cover every role (anonymous, ordinary user, partner, member, admin, owner, verifier, platform
administrator); every refusal also checks that nothing changed. Responses are checked against openapi/schema.yaml.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from jusoor.accounts.models import Role, RoleGrant
from jusoor.common.models import AuditEvent
from jusoor.organizations.models import (
    BoardMember,
    DocumentKind,
    Organization,
    OrganizationDocument,
    OrganizationKind,
    SDGGoal,
    SDGTarget,
    Theme,
)
from jusoor.organizations.services.search_index import organization_reindex
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory
from jusoor.territories.models import Territory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"
ROLES = ["anonymous", "user", "partner", "member", "admin", "owner", "verifier", "platform_admin"]

NOT_AUTHENTICATED = {
    "code": "not_authenticated",
    "message": "Authentication credentials were not provided.",
    "extra": {},
}
PERMISSION_DENIED = {
    "code": "permission_denied",
    "message": "You do not have permission to perform this action.",
    "extra": {},
}
NOT_FOUND = {"code": "not_found", "message": "Not found.", "extra": {}}


# --- Checking responses against the committed OpenAPI schema ------------------------------------------------------


def _convert(node: Any) -> Any:
    """OpenAPI 3.0 → JSON Schema: `nullable`, boolean exclusive bounds; objects closed to undocumented keys."""
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _convert(value) for key, value in node.items() if key not in {"example", "readOnly", "writeOnly"}}
    for bound, exclusive in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        if node.get(exclusive) is True:
            node[exclusive] = node.pop(bound)
        elif node.get(exclusive) is False:
            del node[exclusive]
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


@cache
def _components() -> dict[str, Any]:
    schema = yaml.safe_load((Path(settings.BASE_DIR) / "openapi" / "schema.yaml").read_text())
    return {"components": {"schemas": _convert(schema["components"]["schemas"])}}


def assert_matches_schema(body: Any, component: str, *, many: bool = False) -> None:
    """`body` is a valid `component` (or a list of them) of openapi/schema.yaml, with no undocumented key."""
    ref = {"$ref": f"#/components/schemas/{component}"}
    schema = {**_components(), **({"type": "array", "items": ref} if many else ref)}
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


# --- Reference data and people ------------------------------------------------------------------------------------


def _label(ar: str, fr: str, en: str) -> dict[str, str]:
    return {"ar": ar, "fr": fr, "en": en}


@pytest.fixture
def reference(db) -> dict[str, Any]:
    """Kinds, themes, the 17 goals (three targets) and four territories: Médenine with Zarzis inside it, Sousse,
    Casablanca-Settat."""
    kinds = {
        "association": OrganizationKind.objects.create(
            slug="association", label=_label("جمعية", "Association", "Association"), position=1
        ),
        "cooperative": OrganizationKind.objects.create(
            slug="cooperative", label=_label("تعاضدية", "Coopérative", "Cooperative"), position=2
        ),
    }
    themes = {
        "health": Theme.objects.create(slug="health", label=_label("الصحة", "Santé", "Health"), position=1),
        "education": Theme.objects.create(
            slug="education", label=_label("التعليم", "Éducation", "Education"), position=2
        ),
    }
    goals = {
        n: SDGGoal.objects.create(
            number=n,
            title=_label(f"الهدف {n}", f"Objectif {n}", f"Goal {n}"),
            short=_label(f"{n}", f"{n}", f"{n}"),
            color="#E5243B",
        )
        for n in range(1, 18)
    }
    targets = {
        code: SDGTarget.objects.create(code=code, goal=goals[goal], title=_label(code, code, code), position=i)
        for i, (code, goal) in enumerate([("1.1", 1), ("1.a", 1), ("4.1", 4)])
    }
    medenine = Territory.objects.create(
        code="TN-82",
        code_system="iso3166-2",
        country="TN",
        kind="governorate",
        name_ar="مدنين",
        name_fr="Médenine",
        name_en="Medenine",
    )
    zarzis = Territory.objects.create(
        code="TN-8261",
        code_system="tn-municipality",
        country="TN",
        kind="municipality",
        parent=medenine,
        name_ar="جرجيس",
        name_fr="Zarzis",
        name_en="Zarzis",
    )
    sousse = Territory.objects.create(
        code="TN-51",
        code_system="iso3166-2",
        country="TN",
        kind="governorate",
        name_ar="سوسة",
        name_fr="Sousse",
        name_en="Sousse",
    )
    casablanca = Territory.objects.create(
        code="MA-06",
        code_system="iso3166-2",
        country="MA",
        kind="region",
        name_ar="الدار البيضاء سطات",
        name_fr="Casablanca-Settat",
        name_en="Casablanca-Settat",
    )
    return {
        "kinds": kinds,
        "themes": themes,
        "goals": goals,
        "targets": targets,
        "medenine": medenine,
        "zarzis": zarzis,
        "sousse": sousse,
        "casablanca": casablanca,
    }


def make_organization(reference: dict[str, Any], **fields: Any) -> Organization:
    """A full organisation (every field filled), verified unless told otherwise, indexed for search."""
    themes = fields.pop("themes", [reference["themes"]["health"]])
    values: dict[str, Any] = {
        "name_ar": "جمعية أطفال مدنين",
        "name_fr": "Association des enfants de Médenine",
        "name_en": "Children of Medenine",
        "primary_language": "ar",
        "acronym": "AEM",
        "kind": reference["kinds"]["association"],
        "legal_form": "Association loi 2011-88",
        "registry": "tn-rne",
        "registration_number": "1234567A",
        "country": "TN",
        "territory": reference["medenine"],
        "address": "12 rue de la République, Médenine",
        "latitude": Decimal("33.354000"),
        "longitude": Decimal("10.505000"),
        "description": "Soutien scolaire et santé des enfants.",
        "website": "https://aem.example.tn",
        "social_links": ["https://facebook.com/aem"],
        "contact_email": "contact@aem.example.tn",
        "contact_phone": "+21675640000",
        "members_count": 120,
        "volunteers_count": 35,
        "budget_band": "lt50k",
        "status": Organization.Status.VERIFIED,
        **fields,
    }
    organization = Organization.objects.create(**values)
    organization.themes.set(themes)
    organization.sdg_goals.set([reference["goals"][1], reference["goals"][4]])
    organization.sdg_targets.set([reference["targets"]["1.1"]])
    organization.operating_territories.set([reference["sousse"]])
    BoardMember.objects.create(organization=organization, full_name="Leïla Ben Salem", role="president")
    organization_reindex(organization_ids=[organization.pk])
    return organization


@pytest.fixture
def organization(reference) -> Organization:
    return make_organization(reference)


@pytest.fixture
def person(user_factory):
    """person(role, organization): a user holding `role` with respect to `organization` (None for anonymous)."""

    def make(role: str, organization: Organization) -> Any:
        if role == "anonymous":
            return None
        user = user_factory()
        if role in {"member", "admin", "owner"}:
            MembershipFactory(organization=organization, user=user, role=role)
        elif role == "partner":  # a member of another, verified organisation
            MembershipFactory(organization=OrganizationFactory(status=Organization.Status.VERIFIED), user=user)
        elif role == "verifier":
            RoleGrant.objects.create(user=user, role=Role.VERIFIER)
        elif role == "platform_admin":
            RoleGrant.objects.create(user=user, role=Role.PLATFORM_ADMIN)
            TOTP.activate(user, generate_totp_secret())  # required of platform administrators, as on the pages
        return user

    return make


def api(user: Any = None, **kwargs: Any) -> APIClient:
    client = APIClient(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def snapshot(organization: Organization) -> dict[str, Any]:
    organization.refresh_from_db()
    return {
        **{f.attname: getattr(organization, f.attname) for f in Organization._meta.concrete_fields},
        "themes": sorted(organization.themes.values_list("slug", flat=True)),
        "sdg_goals": sorted(organization.sdg_goals.values_list("number", flat=True)),
        "memberships": sorted(organization.memberships.values_list("user_id", "role")),
        "audit": AuditEvent.objects.count(),
    }


def create_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "name": {"ar": "جمعية نساء جرجيس", "fr": "Association des femmes de Zarzis"},
        "primary_language": "fr",
        "kind": "association",
        "country": "TN",
        "territory": "TN-8261",
        "operating_territories": ["TN-82", "TN-51"],
        "themes": ["education", "health"],
        "sdg_goals": [5, 4],
        "sdg_targets": ["4.1"],
        "registry": "tn-rne",
        "registration_number": " 7654321b ",
        "contact_email": "bureau@femmes-zarzis.tn",
        "contact_phone": "+216 75 690 000",
        "website": "https://femmes-zarzis.tn",
        "members_count": 40,
    }
    payload.update(overrides)
    return payload


def invalid(fields: dict[str, list[str]]) -> dict[str, Any]:
    return {"code": "invalid", "message": "The request is not valid.", "extra": {"fields": fields}}


# --- Reading: directory and profile -------------------------------------------------------------------------------


def test_profile_shape_for_a_member(organization, person):
    member = person("member", organization)
    response = api(member).get(f"{URL}{organization.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "OrganizationDetailOutput")
    assert body["id"] == organization.pk
    assert body["name"] == {
        "ar": "جمعية أطفال مدنين",
        "fr": "Association des enfants de Médenine",
        "en": "Children of Medenine",
    }
    assert body["primary_language"] == "ar"
    assert body["kind"] == {"slug": "association", "name": {"ar": "جمعية", "fr": "Association", "en": "Association"}}
    assert body["territory"] == {"code": "TN-82", "name": {"ar": "مدنين", "fr": "Médenine", "en": "Medenine"}}
    assert body["operating_territories"] == [{"code": "TN-51", "name": {"ar": "سوسة", "fr": "Sousse", "en": "Sousse"}}]
    assert body["themes"] == [{"slug": "health", "name": {"ar": "الصحة", "fr": "Santé", "en": "Health"}}]
    assert [goal["number"] for goal in body["sdg_goals"]] == [1, 4]
    assert body["sdg_goals"][0] == {"number": 1, "short": {"ar": "1", "fr": "1", "en": "1"}, "color": "#E5243B"}
    assert body["sdg_targets"] == ["1.1"]
    assert body["status"] == "verified"
    assert body["verified"] is True
    assert body["registry"] == "tn-rne"
    assert body["registration_number"] == "1234567A"
    assert body["board"] == [{"full_name": "Leïla Ben Salem", "role": "president"}]
    assert body["contact_email"] == "contact@aem.example.tn"
    assert body["contact_phone"] == "+21675640000"
    assert body["address"] == "12 rue de la République, Médenine"
    assert body["latitude"] == 33.354
    assert body["longitude"] == 10.505
    assert body["logo"] is None


@pytest.mark.parametrize(
    ("role", "sees_contact"),
    [
        ("anonymous", False),
        ("user", False),
        ("partner", True),
        ("member", True),
        ("admin", True),
        ("owner", True),
        ("verifier", True),
        ("platform_admin", True),
    ],
)
def test_contact_details_only_for_members_partners_and_staff(organization, person, role, sees_contact):
    body = api(person(role, organization)).get(f"{URL}{organization.pk}/").json()
    private = {"contact_email", "contact_phone", "address", "latitude", "longitude"}
    assert (private <= set(body)) is sees_contact
    assert (private & set(body) == set()) is not sees_contact
    assert ("contact@aem.example.tn" in str(body)) is sees_contact
    assert_matches_schema(body, "OrganizationDetailOutput")


def test_the_directory_never_lists_contact_details(organization, person):
    for role in ROLES:
        body = api(person(role, organization)).get(URL).json()
        assert organization.pk in [item["id"] for item in body["results"]]
        assert "contact@aem.example.tn" not in str(body)
        assert "+21675640000" not in str(body)
        assert not {"contact_email", "contact_phone", "address"} & set(body["results"][0])


def test_directory_item_shape(organization):
    response = api().get(URL)
    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "PaginatedOrganizationListOutputList")
    assert body["count"] == 1
    assert body["results"][0] == {
        "id": organization.pk,
        "name": {"ar": "جمعية أطفال مدنين", "fr": "Association des enfants de Médenine", "en": "Children of Medenine"},
        "primary_language": "ar",
        "acronym": "AEM",
        "kind": {"slug": "association", "name": {"ar": "جمعية", "fr": "Association", "en": "Association"}},
        "country": "TN",
        "territory": {"code": "TN-82", "name": {"ar": "مدنين", "fr": "Médenine", "en": "Medenine"}},
        "themes": [{"slug": "health", "name": {"ar": "الصحة", "fr": "Santé", "en": "Health"}}],
        "sdg_goals": [
            {"number": 1, "short": {"ar": "1", "fr": "1", "en": "1"}, "color": "#E5243B"},
            {"number": 4, "short": {"ar": "4", "fr": "4", "en": "4"}, "color": "#E5243B"},
        ],
        "status": "verified",
        "verified": True,
        "status_changed_at": None,
        "website": "https://aem.example.tn",
        "logo": None,
    }


@pytest.mark.parametrize("status", ["unverified", "suspended"])
@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("anonymous", False),
        ("user", False),
        ("partner", False),
        ("member", True),
        ("owner", True),
        ("verifier", True),
        ("platform_admin", True),
    ],
)
def test_unverified_and_suspended_organisations_are_404_to_the_public(reference, person, status, role, visible):
    hidden = make_organization(reference, status=status)
    response = api(person(role, hidden)).get(f"{URL}{hidden.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    if visible:
        assert response.status_code == 200
        assert response.json()["status"] == status
    else:
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


def test_hidden_organisations_are_not_listed_except_to_staff(reference, person):
    public = [
        make_organization(reference, status="verified", registration_number="1000001A"),
        make_organization(reference, status="pending", registration_number="1000002A"),
    ]
    hidden = [
        make_organization(reference, status="unverified", registration_number="1000003A"),
        make_organization(reference, status="suspended", registration_number="1000004A"),
    ]
    for role in ["anonymous", "user", "partner", "member"]:
        viewer = person(role, hidden[0])
        ids = [item["id"] for item in api(viewer).get(URL).json()["results"]]
        # (a partner's own organisation is verified, so public too)
        public_ids = Organization.objects.filter(status__in=["verified", "pending"]).values_list("pk", flat=True)
        assert sorted(ids) == sorted(public_ids), role
        assert not {o.pk for o in hidden} & set(ids)
    verifier = person("verifier", hidden[0])
    ids = [item["id"] for item in api(verifier).get(URL).json()["results"]]
    assert sorted(ids) == sorted(Organization.objects.values_list("pk", flat=True))
    assert {o.pk for o in public + hidden} <= set(ids)


@pytest.mark.parametrize("raw", ["999999", "abc", "12a", "٣", "99999999999999999999999", "-1"])
def test_unknown_or_malformed_id_is_a_json_404(organization, raw):
    response = api().get(f"{URL}{raw}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_404_is_translated(organization):
    response = api().get(f"{URL}999999/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json() == {"code": "not_found", "message": "Introuvable.", "extra": {}}


@pytest.fixture
def directory(reference) -> dict[str, Organization]:
    """Four organisations with distinct places, kinds, themes, goals and statuses."""
    themes, goals = reference["themes"], reference["goals"]
    medenine = make_organization(reference, registration_number="2000001A")
    zarzis = make_organization(
        reference,
        name_ar="تعاضدية صيادي جرجيس",
        name_fr="Coopérative des pêcheurs de Zarzis",
        name_en="",
        acronym="",
        kind=reference["kinds"]["cooperative"],
        territory=reference["zarzis"],
        registration_number="2000002A",
        description="",
        status="pending",
        themes=[themes["education"]],
    )
    zarzis.sdg_goals.set([goals[14]])
    zarzis.operating_territories.set([])
    sousse = make_organization(
        reference,
        name_ar="",
        name_fr="Amicale des jeunes de Sousse",
        name_en="",
        acronym="",
        territory=reference["sousse"],
        registration_number="2000003A",
        description="",
        themes=[],
    )
    sousse.sdg_goals.set([])
    sousse.operating_territories.set([])
    casablanca = make_organization(
        reference,
        name_ar="",
        name_fr="Association Casablanca Solidaire",
        name_en="",
        acronym="ACS",
        country="MA",
        territory=reference["casablanca"],
        registry="ma-recepisse",
        registration_number="CS-2019-44",
        description="",
        themes=[themes["education"]],
    )
    casablanca.operating_territories.set([])
    return {"medenine": medenine, "zarzis": zarzis, "sousse": sousse, "casablanca": casablanca}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["casablanca", "sousse", "zarzis", "medenine"]),
        ("q=enfants", ["medenine"]),
        ("q=medenine", ["medenine"]),
        ("q=جرجيس", ["zarzis"]),
        ("country=MA", ["casablanca"]),
        ("country=TN&sort=name", ["sousse", "medenine", "zarzis"]),  # Amicale, Association, Coopérative
        ("territory=TN-82", ["zarzis", "medenine"]),  # Médenine and Zarzis inside it
        ("territory=TN-51", ["sousse", "medenine"]),  # seat in Sousse, or works in Sousse
        ("territory=TN-8261", ["zarzis"]),
        ("kind=cooperative", ["zarzis"]),
        ("theme=education", ["casablanca", "zarzis"]),
        ("theme=health", ["medenine"]),
        ("sdg=14", ["zarzis"]),
        ("sdg=4", ["casablanca", "medenine"]),
        ("verified=true", ["casablanca", "sousse", "medenine"]),
        ("verified=true&country=TN&theme=health", ["medenine"]),
    ],
)
def test_filters_and_search(directory, query, expected):
    response = api().get(f"{URL}?{query}", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    names = {org.pk: key for key, org in directory.items()}
    assert [names[item["id"]] for item in response.json()["results"]] == expected


def test_sort_by_name_follows_the_request_language(directory):
    names = {org.pk: key for key, org in directory.items()}

    def order(language: str) -> list[str]:
        body = api().get(f"{URL}?sort=name&country=TN", HTTP_ACCEPT_LANGUAGE=language).json()
        return [names[item["id"]] for item in body["results"] if names[item["id"]] in {"medenine", "zarzis"}]

    assert order("fr") == ["medenine", "zarzis"]  # Association… < Coopérative…
    assert order("ar") == ["zarzis", "medenine"]  # تعاضدية… < جمعية…


@pytest.mark.parametrize(
    ("query", "body"),
    [
        (
            "kind=village",
            {"code": "unknown_kind", "message": "This kind of organisation does not exist.", "extra": {}},
        ),
        ("theme=sport", {"code": "unknown_theme", "message": "This theme does not exist.", "extra": {}}),
        ("territory=XX-1", {"code": "unknown_territory", "message": "This territory does not exist.", "extra": {}}),
        (
            "country=DZ",
            invalid({"country": ['"DZ" is not allowed. Allowed values: TN, MA, FR.']}),
        ),
        ("sdg=18", invalid({"sdg": ["Ensure this value is less than or equal to 17."]})),
        ("sdg=x", invalid({"sdg": ["A valid integer is required."]})),
        (
            "sort=oldest",
            invalid({"sort": ['"oldest" is not allowed. Allowed values: relevance, name, newest.']}),
        ),
        ("verified=maybe", invalid({"verified": ["Must be a valid boolean."]})),
        ("q=" + "x" * 201, invalid({"q": ["Ensure this field has no more than 200 characters."]})),
    ],
)
def test_bad_filters_are_a_400_in_the_error_shape(directory, query, body):
    response = api().get(f"{URL}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == body
    assert_matches_schema(response.json(), "Error")


def test_bad_filter_message_is_translated(directory):
    response = api().get(f"{URL}?sdg=x", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "La requête n'est pas valide.",
        "extra": {"fields": {"sdg": ["Un nombre entier valide est requis."]}},
    }


def test_directory_is_paginated(directory):
    body = api().get(f"{URL}?page_size=3").json()
    assert body["count"] == 4
    assert len(body["results"]) == 3
    assert body["next"].endswith("/api/v1/organisations/?page=2&page_size=3")
    assert len(api().get(body["next"]).json()["results"]) == 1


@pytest.mark.parametrize("role", ["anonymous", "member", "verifier"])
def test_list_query_count_does_not_depend_on_the_page_size(reference, person, django_assert_num_queries, role):
    for n in range(12):
        make_organization(reference, registration_number=f"30000{n:02d}A")
    viewer = person(role, Organization.objects.first())
    client = api(viewer)
    client.get(URL)  # the session and the user's roles are read on each request: count them too, once warm
    # anonymous: count, page, themes, goals; + session, user, platform roles; + Django's own permission tables
    # when the rules say no (ModelBackend is asked next).
    queries = {"anonymous": 4, "member": 9, "verifier": 7}[role]
    with django_assert_num_queries(queries):
        assert len(client.get(f"{URL}?page_size=2").json()["results"]) == 2
    with django_assert_num_queries(queries):
        assert len(client.get(f"{URL}?page_size=12").json()["results"]) == 12


# --- Creating -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["user", "partner", "member", "admin", "owner", "verifier", "platform_admin"])
def test_any_logged_in_user_creates_and_becomes_owner(reference, person, role, organization):
    creator = person(role, organization)
    response = api(creator).post(URL, create_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert_matches_schema(body, "OrganizationDetailOutput")
    created = Organization.objects.get(pk=body["id"])
    assert created.status == "unverified"
    assert created.name_fr == "Association des femmes de Zarzis"
    assert created.name_en == ""
    assert created.territory.code == "TN-8261"
    assert created.registration_number == "7654321B"
    assert created.contact_phone == "+21675690000"
    assert sorted(created.themes.values_list("slug", flat=True)) == ["education", "health"]
    assert sorted(created.sdg_goals.values_list("number", flat=True)) == [4, 5]
    assert list(created.memberships.values_list("user_id", "role")) == [(creator.pk, "owner")]
    assert body["status"] == "unverified"
    assert body["verified"] is False
    assert [t["slug"] for t in body["themes"]] == ["health", "education"]  # the themes' display order
    assert [g["number"] for g in body["sdg_goals"]] == [4, 5]
    assert [t["code"] for t in body["operating_territories"]] == ["TN-51", "TN-82"]
    assert body["contact_email"] == "bureau@femmes-zarzis.tn"
    assert (
        AuditEvent.objects.filter(action="organizations.organization.created", target_id=str(created.pk)).count() == 1
    )
    # The owner then reads it although it is unverified; the public does not.
    assert api(creator).get(f"{URL}{created.pk}/").status_code == 200
    assert api().get(f"{URL}{created.pk}/").status_code == 404


def test_anonymous_cannot_create(reference):
    response = api().post(URL, create_payload(), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json() == NOT_AUTHENTICATED
    assert Organization.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_minimal_create(reference, user):
    response = api(user).post(URL, {"name": {"ar": "جمعية"}, "kind": "cooperative", "country": "ma"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == {"ar": "جمعية", "fr": "", "en": ""}
    assert body["country"] == "MA"
    assert body["primary_language"] == "ar"
    assert body["territory"] is None
    assert body["themes"] == []


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"territory": "TN-99"}, {"territory": ["Unknown territory code: TN-99."]}),
        (
            {"operating_territories": ["TN-82", "XX-1", "YY-2"]},
            {"operating_territories": ["Unknown territory codes: XX-1, YY-2."]},
        ),
        ({"kind": "village"}, {"kind": ["This kind of organisation does not exist."]}),
        ({"themes": ["health", "sport"]}, {"themes": ["Unknown themes: sport."]}),
        ({"sdg_goals": [18]}, {"sdg_goals.0": ["Ensure this value is less than or equal to 17."]}),
        ({"sdg_targets": ["9.9"]}, {"sdg_targets": ["Unknown SDG targets: 9.9."]}),
        (
            {"registration_number": "12345"},
            {"registration_number": ["This number does not have the expected format (for example 1234567A)."]},
        ),
        (
            {"registry": "fr-siren", "registration_number": "W751234567"},
            {"registration_number": ["This number does not have the expected format (for example 123456789)."]},
        ),
        (
            {"registry": "", "registration_number": "1234567A"},
            {"registry": ["Say which registry this number belongs to."]},
        ),
        (
            {"contact_phone": "71 234 567"},
            {
                "contact_phone": [
                    "Enter the phone number in international format, starting with + and the country code."
                ]
            },
        ),
        ({"contact_phone": "+216 12"}, {"contact_phone": ["This phone number is not valid."]}),
        ({"contact_email": "not-an-address"}, {"contact_email": ["Enter a valid email address."]}),
        ({"name": {"ar": "", "fr": " "}}, {"name": ["Give the organisation's name in at least one language."]}),
        ({"name": {"fr": "x" * 256}}, {"name.fr": ["Ensure this field has no more than 255 characters."]}),
        ({"name": {"de": "Verein"}}, {"name.de": ["This field does not exist."]}),
        ({"name": "Association"}, {"name": ["Invalid data. Expected a dictionary, but got str."]}),
        ({"acronym": "A" * 31}, {"acronym": ["Ensure this field has no more than 30 characters."]}),
        ({"description": "x" * 10_001}, {"description": ["Ensure this field has no more than 10000 characters."]}),
        ({"country": "XX"}, {"country": ['"XX" is not a valid choice.']}),
        ({"country": "TUN"}, {"country": ['"TUN" is not a valid choice.']}),
        ({"members_count": -1}, {"members_count": ["Ensure this value is greater than or equal to 0."]}),
        ({"latitude": 91}, {"latitude": ["Ensure this value is less than or equal to 90."]}),
        ({"social_links": ["https://ok.tn", "nope"]}, {"social_links.1": ["Enter a valid URL."]}),
        ({"status": "verified"}, {"status": ["This field does not exist."]}),
        ({"budget_band": "huge"}, {"budget_band": ['"huge" is not a valid choice.']}),
    ],
)
def test_bad_input_is_a_400_with_field_errors(reference, user, overrides, fields):
    response = api(user).post(URL, create_payload(**overrides), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == invalid(fields)
    assert_matches_schema(response.json(), "Error")
    assert Organization.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_required_fields(reference, user):
    response = api(user).post(URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == invalid(
        {
            "name": ["This field is required."],
            "kind": ["This field is required."],
            "country": ["This field is required."],
        }
    )


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (
            "[1, 2]",
            "application/json",
            invalid({"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
        ),
        (
            "{",
            "application/json",
            {
                "code": "parse_error",
                "message": "JSON parse error - Expecting property name enclosed in double quotes: "
                "line 1 column 2 (char 1)",
                "extra": {},
            },
        ),
        (
            "name=x",
            "application/x-www-form-urlencoded",
            {
                "code": "unsupported_media_type",
                "message": 'Unsupported media type "application/x-www-form-urlencoded" in request.',
                "extra": {},
            },
        ),
    ],
)
def test_malformed_bodies_are_400_or_415_never_500(reference, user, body, content_type, expected):
    response = api(user).generic("POST", URL, body, content_type=content_type, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in {400, 415}
    assert response.json() == expected
    assert Organization.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            r'{"name": {"fr": "\ud800"}, "kind": "association", "country": "TN"}',
            {"name.fr": ["Surrogate characters are not allowed: U+D800."]},
        ),
        (
            r'{"name": {"fr": "a\u0000b"}, "kind": "association", "country": "TN"}',
            {"name.fr": ["Null characters are not allowed."]},
        ),
        (
            r'{"name": {"fr": "x"}, "kind": "association", "country": "TN", "themes": ["\u0000"]}',
            {"themes.0": ["Null characters are not allowed."]},
        ),
    ],
)
def test_characters_postgresql_refuses_are_a_400_not_a_500(reference, user, body, fields):
    response = api(user).generic("POST", URL, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == invalid(fields)
    assert Organization.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "status", "fields"),
    [
        ("q=%00", 400, {"q": ["Null characters are not allowed."]}),
        ("territory=%00", 400, {"territory": ["Null characters are not allowed."]}),
        ("q=%ED%A0%80", 200, None),  # not UTF-8: decoded with replacement characters
        ("page=abc", 404, None),
        ("page=999", 404, None),
    ],
)
def test_odd_query_strings_are_never_a_500(reference, query, status, fields):
    response = api().get(f"{URL}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    if fields:
        assert response.json() == invalid(fields)
    if status == 404:
        assert response.json() == NOT_FOUND


def test_field_errors_are_translated(reference, user):
    response = api(user).post(
        URL, create_payload(kind=None, members_count="many"), format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "La requête n'est pas valide.",
        "extra": {
            "fields": {
                "kind": ["Ce champ ne peut être nul."],
                "members_count": ["Un nombre entier valide est requis."],
            }
        },
    }


def test_duplicate_registration_is_a_400(organization, user):
    before = snapshot(organization)
    response = api(user).post(
        URL, create_payload(registration_number="1234567a"), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    message = "An organisation with this registration number is already registered."
    assert response.json() == {
        "code": "duplicate_registration",
        "message": message,
        "extra": {"fields": {"__all__": [message]}},
    }
    assert Organization.objects.count() == 1
    assert snapshot(organization) == before


def test_the_same_number_in_another_registry_is_not_a_duplicate(organization, user):
    response = api(user).post(URL, create_payload(registry="tn-jort", registration_number="1234567A"), format="json")
    assert response.status_code == 201


def test_csrf_is_enforced_for_session_writes(reference, user):
    client = api(user, enforce_csrf_checks=True)
    response = client.post(URL, create_payload(), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["message"].startswith("CSRF Failed")
    assert Organization.objects.count() == 0


# --- Updating -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "body"),
    [
        ("anonymous", 403, NOT_AUTHENTICATED),
        ("user", 403, PERMISSION_DENIED),
        ("partner", 403, PERMISSION_DENIED),
        ("member", 403, PERMISSION_DENIED),
        ("verifier", 403, PERMISSION_DENIED),
        ("admin", 200, None),
        ("owner", 200, None),
        ("platform_admin", 200, None),
    ],
)
def test_update_permission_matrix(organization, person, role, status, body):
    actor = person(role, organization)
    before = snapshot(organization)
    response = api(actor).patch(
        f"{URL}{organization.pk}/",
        {"name": {"fr": "Enfants de Médenine"}, "themes": ["education"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == status
    if body is not None:
        assert response.json() == body
        assert snapshot(organization) == before
        return
    assert response.json()["name"]["fr"] == "Enfants de Médenine"
    assert response.json()["name"]["ar"] == "جمعية أطفال مدنين"
    assert [t["slug"] for t in response.json()["themes"]] == ["education"]
    assert response.json()["contact_email"] == "contact@aem.example.tn"
    organization.refresh_from_db()
    assert organization.name_fr == "Enfants de Médenine"
    assert list(organization.themes.values_list("slug", flat=True)) == ["education"]
    event = AuditEvent.objects.get(action="organizations.organization.updated")
    assert event.actor_id == actor.pk


def test_update_of_a_hidden_organisation_is_a_404_for_outsiders(reference, person):
    hidden = make_organization(reference, status="unverified")
    people = {role: person(role, hidden) for role in ["anonymous", "user", "partner", "member", "owner"]}
    before = snapshot(hidden)
    for role in ["anonymous", "user", "partner"]:
        response = api(people[role]).patch(
            f"{URL}{hidden.pk}/", {"acronym": "X"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 404, role
        assert response.json() == NOT_FOUND
    response = api(people["member"]).patch(f"{URL}{hidden.pk}/", {"acronym": "X"}, format="json")
    assert response.status_code == 403
    assert snapshot(hidden) == before
    response = api(people["owner"]).patch(f"{URL}{hidden.pk}/", {"acronym": "X"}, format="json")
    assert response.status_code == 200


def test_update_only_changes_what_is_sent(organization, person):
    owner = person("owner", organization)
    before = snapshot(organization)
    response = api(owner).patch(
        f"{URL}{organization.pk}/",
        {"territory": None, "sdg_goals": [], "contact_phone": "+33 1 23 45 67 89", "latitude": None},
        format="json",
    )
    assert response.status_code == 200
    after = snapshot(organization)
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {"territory_id", "sdg_goals", "contact_phone", "latitude", "updated_at", "audit"}
    assert after["contact_phone"] == "+33123456789"
    assert response.json()["territory"] is None
    assert response.json()["sdg_goals"] == []


def test_update_with_nothing_new_writes_nothing(organization, person):
    owner = person("owner", organization)
    before = snapshot(organization)
    response = api(owner).patch(f"{URL}{organization.pk}/", {"acronym": "AEM", "themes": ["health"]}, format="json")
    assert response.status_code == 200
    assert snapshot(organization) == before


def test_update_validates_against_the_current_values(organization, person):
    owner = person("owner", organization)
    before = snapshot(organization)
    client = api(owner)
    # The registry changes but the stored number does not fit it.
    response = client.patch(
        f"{URL}{organization.pk}/", {"registry": "fr-siren"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json() == invalid(
        {"registration_number": ["This number does not have the expected format (for example 123456789)."]}
    )
    # Emptying the only names left.
    response = client.patch(
        f"{URL}{organization.pk}/", {"name": {"ar": "", "fr": "", "en": ""}}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json() == invalid({"name": ["Give the organisation's name in at least one language."]})
    response = client.patch(
        f"{URL}{organization.pk}/", {"status": "verified", "id": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json() == invalid({"id": ["This field does not exist."], "status": ["This field does not exist."]})
    assert snapshot(organization) == before


def test_update_to_a_registration_already_taken_is_a_duplicate(reference, organization, person):
    other = make_organization(reference, registration_number="7777777A")
    owner = person("owner", other)
    before = snapshot(other)
    response = api(owner).patch(f"{URL}{other.pk}/", {"registration_number": "1234567A"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_registration"
    assert snapshot(other) == before


def test_permission_denied_is_translated(organization, person):
    response = api(person("member", organization)).patch(
        f"{URL}{organization.pk}/", {"acronym": "X"}, format="json", HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "message": "ليس لديك صلاحية للقيام بهذا الإجراء.",
        "extra": {},
    }


# --- Verification -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "body"),
    [
        ("anonymous", 403, NOT_AUTHENTICATED),
        ("user", 403, PERMISSION_DENIED),
        ("partner", 403, PERMISSION_DENIED),
        ("member", 403, PERMISSION_DENIED),
        ("admin", 403, PERMISSION_DENIED),
        ("owner", 403, PERMISSION_DENIED),
        ("verifier", 200, None),
        ("platform_admin", 200, None),
    ],
)
def test_verification_permission_matrix(reference, person, role, status, body, mailoutbox):
    pending = make_organization(reference, status="pending")
    actor = person(role, pending)
    before = snapshot(pending)
    response = api(actor).post(
        f"{URL}{pending.pk}/verification/",
        {"action": "verify", "reason": "Statuts conformes."},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == status
    if body is not None:
        assert response.json() == body
        assert snapshot(pending) == before
        assert mailoutbox == []
        return
    assert_matches_schema(response.json(), "OrganizationDetailOutput")
    assert response.json()["status"] == "verified"
    assert response.json()["verified"] is True
    pending.refresh_from_db()
    assert (pending.status, pending.status_reason, pending.status_changed_by_id) == (
        "verified",
        "Statuts conformes.",
        actor.pk,
    )
    assert AuditEvent.objects.filter(action="organizations.organization.verified").count() == 1


def test_platform_admin_without_two_factor_cannot_verify(reference, user_factory):
    pending = make_organization(reference, status="pending")
    admin = user_factory()
    RoleGrant.objects.create(user=admin, role=Role.PLATFORM_ADMIN)
    before = snapshot(pending)
    response = api(admin).post(
        f"{URL}{pending.pk}/verification/",
        {"action": "verify", "reason": "ok"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "two_factor_required",
        "message": "Your role requires two-factor authentication. Set it up to continue.",
        "extra": {},
    }
    assert snapshot(pending) == before


def test_verification_of_a_hidden_organisation_is_a_404_for_outsiders(reference, person):
    unverified = make_organization(reference, status="unverified")
    for role in ["anonymous", "user", "partner"]:
        response = api(person(role, unverified)).post(
            f"{URL}{unverified.pk}/verification/",
            {"action": "verify", "reason": "x"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


def test_refuse_then_suspend_flow(reference, person):
    pending = make_organization(reference, status="pending")
    verifier = api(person("verifier", pending))
    url = f"{URL}{pending.pk}/verification/"
    response = verifier.post(url, {"action": "refuse", "reason": "Statuts illisibles."}, format="json")
    assert response.json()["status"] == "unverified"
    assert api().get(f"{URL}{pending.pk}/").status_code == 404
    pending.status = "verified"
    pending.save(update_fields=["status"])
    response = verifier.post(url, {"action": "suspend", "reason": "Plainte reçue."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "suspended"
    assert response.json()["verified"] is False
    assert api().get(f"{URL}{pending.pk}/").status_code == 404
    assert pending.pk not in [item["id"] for item in api().get(URL).json()["results"]]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"action": "verify"}, invalid({"reason": ["This field is required."]})),
        ({"action": "verify", "reason": ""}, invalid({"reason": ["This field may not be blank."]})),
        (
            {"action": "verify", "reason": "x" * 2001},
            invalid({"reason": ["Ensure this field has no more than 2000 characters."]}),
        ),
        (
            {"action": "approve", "reason": "ok"},
            invalid({"action": ['"approve" is not allowed. Allowed values: verify, refuse, suspend.']}),
        ),
        ({"reason": "ok"}, invalid({"action": ["This field is required."]})),
        (
            {"action": "suspend", "reason": "ok"},
            {
                "code": "invalid_transition",
                "message": "This organisation cannot go from “Verification pending” to “Suspended”.",
                "extra": {},
            },
        ),
    ],
)
def test_bad_verification_requests(reference, person, payload, expected):
    pending = make_organization(reference, status="pending")
    verifier = person("verifier", pending)
    before = snapshot(pending)
    response = api(verifier).post(f"{URL}{pending.pk}/verification/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == expected
    assert snapshot(pending) == before


# --- Submission ---------------------------------------------------------------------------------------------------


def with_documents(organization: Organization) -> Organization:
    for kind in (DocumentKind.STATUTES, DocumentKind.REGISTRATION_PROOF):
        OrganizationDocument.objects.create(
            organization=organization,
            kind=kind,
            file=f"organisations/{organization.pk}/documents/{kind}.pdf",
            original_name=f"{kind}.pdf",
            content_type="application/pdf",
            size=100,
        )
    return organization


@pytest.mark.parametrize(
    ("role", "status", "body"),
    [
        ("anonymous", 404, NOT_FOUND),  # an unverified organisation is hidden from them
        ("user", 404, NOT_FOUND),
        ("partner", 404, NOT_FOUND),
        ("member", 403, PERMISSION_DENIED),
        ("verifier", 403, PERMISSION_DENIED),
        ("platform_admin", 403, PERMISSION_DENIED),  # as on the pages: only the organisation's administrators
        ("admin", 200, None),
        ("owner", 200, None),
    ],
)
def test_submit_permission_matrix(reference, person, role, status, body):
    unverified = with_documents(make_organization(reference, status="unverified"))
    actor = person(role, unverified)
    before = snapshot(unverified)
    response = api(actor).post(f"{URL}{unverified.pk}/submit/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    if body is not None:
        assert response.json() == body
        assert snapshot(unverified) == before
        return
    assert response.json()["status"] == "pending"
    unverified.refresh_from_db()
    assert unverified.status == "pending"
    # Pending organisations are public.
    assert api().get(f"{URL}{unverified.pk}/").status_code == 200


def test_anonymous_submit_on_a_public_organisation_is_not_authenticated(reference):
    pending = make_organization(reference, status="pending")
    response = api().post(f"{URL}{pending.pk}/submit/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json() == NOT_AUTHENTICATED


def test_submit_without_documents_is_a_400(reference, person):
    unverified = make_organization(reference, status="unverified")
    owner = person("owner", unverified)
    before = snapshot(unverified)
    response = api(owner).post(f"{URL}{unverified.pk}/submit/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "code": "documents_missing",
        "message": "Upload these documents before asking for verification: Statutes, Proof of legal registration.",
        "extra": {},
    }
    assert snapshot(unverified) == before


def test_submit_of_a_verified_organisation_is_an_invalid_transition(organization, person):
    with_documents(organization)
    response = api(person("owner", organization)).post(f"{URL}{organization.pk}/submit/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_transition"


# --- Methods ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("delete", "{id}/"), ("put", "{id}/"), ("get", "{id}/verification/"), ("get", "{id}/submit/"), ("delete", "")],
)
def test_other_methods_are_405_in_the_error_shape(organization, person, method, path):
    owner = person("owner", organization)
    response = getattr(api(owner), method)(URL + path.format(id=organization.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert Organization.objects.filter(pk=organization.pk).exists()
