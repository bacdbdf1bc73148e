"""The programmes API: the public list (active then closed, filters by country, territory and theme), one programme
(a draft is a 404 outside its team and the administrators of its operator and funders), and its indicators (target
against actual, per region and breakdown) for the people `programmes.view_dashboard` names. Responses are checked
against openapi/schema.yaml."""

from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from jusoor.accounts.models import Role, RoleGrant
from jusoor.accounts.tests.factories import UserFactory
from jusoor.api.tests.test_campaigns_api import api, assert_matches_schema, iso, translated
from jusoor.calls.models import Call
from jusoor.organizations.models import MembershipRole
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory, ThemeFactory
from jusoor.programmes import metrics
from jusoor.programmes.metrics import Metric, MetricValue
from jusoor.programmes.models import Programme, ProgrammeMember
from jusoor.programmes.tests.factories import IndicatorFactory, ProgrammeFactory, ReportFactory, TargetFactory
from jusoor.territories.models import Territory

pytestmark = pytest.mark.django_db

URL = "/api/v1/programmes/"
NOT_FOUND = {"code": "not_found", "message": "Not found.", "extra": {}}
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
UNTIL = datetime.date(2024, 6, 30)


def _territory(code: str, kind: str, names: tuple[str, str, str], parent: Territory | None = None) -> Territory:
    return Territory.objects.create(
        code=code,
        code_system="iso3166-2" if parent is None else "ma-hcp",
        country=code[:2],
        kind=kind,
        parent=parent,
        name_ar=names[0],
        name_fr=names[1],
        name_en=names[2],
    )


@pytest.fixture
def world(db) -> dict[str, Any]:
    """TAMURI (active, Casablanca-Settat and the Oriental, education), a closed Tunisian programme (Médenine,
    health) and a draft."""
    casablanca = _territory("MA-06", "region", ("الدار البيضاء-سطات", "Casablanca-Settat", "Casablanca-Settat"))
    province = _territory("MA-CAS", "prefecture", ("عمالة الدار البيضاء", "Casablanca", "Casablanca"), casablanca)
    commune = _territory("141.01.01", "commune", ("سيدي بليوط", "Sidi Belyout", "Sidi Belyout"), province)
    oriental = _territory("MA-02", "region", ("الشرق", "L’Oriental", "Oriental"))
    medenine = _territory("TN-82", "governorate", ("مدنين", "Médenine", "Medenine"))
    education = ThemeFactory(slug="education", label={"ar": "التعليم", "fr": "Éducation", "en": "Education"})
    health = ThemeFactory(slug="health", label={"ar": "الصحة", "fr": "Santé", "en": "Health"})
    operator = OrganizationFactory(name_ar="جمعية تامري", name_fr="Association Tamuri", name_en="", country="MA")
    funder = OrganizationFactory(name_ar="الاتحاد الأوروبي", name_fr="Union européenne", name_en="European Union")
    tamuri = ProgrammeFactory(
        operator=operator,
        title_ar="تامري",
        title_fr="TAMURI",
        title_en="TAMURI",
        description_fr="Renforcer les associations.",
        funder_names="Fondation Drosos",
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        budget_envelope=Decimal("2000000"),
    )
    tamuri.territories.set([casablanca, oriental])
    tamuri.themes.set([education])
    tamuri.funders.set([funder])
    closed = ProgrammeFactory(
        title_ar="",
        title_fr="Jeunes de Médenine",
        title_en="",
        currency="TND",
        budget_envelope=Decimal("150000.5"),
        starts_on=datetime.date(2024, 1, 1),
        status=Programme.Status.CLOSED,
    )
    closed.territories.set([medenine])
    closed.themes.set([health])
    draft = ProgrammeFactory(title_fr="Brouillon", status=Programme.Status.DRAFT, operator=operator)
    draft.territories.set([casablanca])
    return {
        "casablanca": casablanca,
        "province": province,
        "commune": commune,
        "oriental": oriental,
        "medenine": medenine,
        "tamuri": tamuri,
        "closed": closed,
        "draft": draft,
        "operator": operator,
        "funder": funder,
    }


def person(role: str, programme: Programme) -> Any:
    """A user holding `role` towards `programme`; None for anonymous."""
    if role == "anonymous":
        return None
    user = UserFactory()
    if role in {"manager", "reviewer", "coach", "juror"}:
        ProgrammeMember.objects.create(programme=programme, user=user, role=role)
    elif role == "operator_admin":
        MembershipFactory(organization=programme.operator, user=user, role=MembershipRole.ADMIN)
    elif role == "operator_member":
        MembershipFactory(organization=programme.operator, user=user, role=MembershipRole.MEMBER)
    elif role == "funder_admin":
        MembershipFactory(organization=programme.funders.get(), user=user, role=MembershipRole.OWNER)
    elif role == "other_admin":
        MembershipFactory(organization=OrganizationFactory(), user=user, role=MembershipRole.ADMIN)
    elif role == "programme_manager":
        RoleGrant.objects.create(user=user, role=Role.PROGRAMME_MANAGER)
    elif role == "platform_admin":
        RoleGrant.objects.create(user=user, role=Role.PLATFORM_ADMIN)
        TOTP.activate(user, generate_totp_secret())
    return user


def ref(organization: Any) -> dict[str, Any]:
    return {
        "id": organization.pk,
        "name": {"ar": organization.name_ar, "fr": organization.name_fr, "en": organization.name_en},
    }


def tamuri_item(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": world["tamuri"].pk,
        "title": {"ar": "تامري", "fr": "TAMURI", "en": "TAMURI"},
        "operator": ref(world["operator"]),
        "territories": [  # by code
            {"code": "MA-02", "name": {"ar": "الشرق", "fr": "L’Oriental", "en": "Oriental"}},
            {
                "code": "MA-06",
                "name": {"ar": "الدار البيضاء-سطات", "fr": "Casablanca-Settat", "en": "Casablanca-Settat"},
            },
        ],
        "themes": [{"slug": "education", "name": {"ar": "التعليم", "fr": "Éducation", "en": "Education"}}],
        "starts_on": "2023-01-01",
        "ends_on": "2025-12-31",
        "currency": "MAD",
        "budget_envelope": "2000000.00",
        "status": "active",
    }


# --- The list -----------------------------------------------------------------------------------------------------


def test_list_active_then_closed_never_drafts(world):
    response = api().get(URL)

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "PaginatedProgrammeListOutputList")
    assert body["count"] == 2
    assert body["results"][0] == tamuri_item(world)
    assert body["results"][1]["id"] == world["closed"].pk
    assert body["results"][1]["status"] == "closed"
    assert body["results"][1]["budget_envelope"] == "150000.500"
    assert body["results"][1]["title"] == {"ar": "", "fr": "Jeunes de Médenine", "en": ""}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=MA", ["tamuri"]),
        ("country=TN", ["closed"]),
        ("country=FR", []),
        ("territory=MA-06", ["tamuri"]),
        ("territory=141.01.01", ["tamuri"]),  # a commune inside one of its regions
        ("territory=MA-02", ["tamuri"]),
        ("territory=TN-82", ["closed"]),
        ("theme=health", ["closed"]),
        ("theme=education&country=MA", ["tamuri"]),
        ("theme=education&country=TN", []),
    ],
)
def test_list_filters(world, query, expected):
    body = api().get(f"{URL}?{query}").json()
    assert [item["id"] for item in body["results"]] == [world[name].pk for name in expected]


def test_a_programme_working_inside_a_region_is_found_by_the_region(world):
    local = ProgrammeFactory(title_fr="Sidi Belyout solidaire", starts_on=datetime.date(2022, 1, 1))
    local.territories.set([world["commune"]])
    ids = [item["id"] for item in api().get(f"{URL}?territory=MA-06").json()["results"]]
    assert ids == [world["tamuri"].pk, local.pk]


@pytest.mark.parametrize(
    ("query", "lang", "code", "message", "fields"),
    [
        ("theme=sport", "fr", "unknown_theme", "This theme does not exist.", None),
        ("territory=XX-99", "ar", "unknown_territory", "This territory does not exist.", None),
        (
            "country=DZ",
            "en",
            "invalid",
            "The request is not valid.",
            {"country": ['"DZ" is not allowed. Allowed values: TN, MA, FR.']},
        ),
    ],
)
def test_list_bad_filters_are_translated_400s(world, query, lang, code, message, fields):
    response = api().get(f"{URL}?{query}", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 400
    expected: dict[str, Any] = {"code": code, "message": translated(lang, message), "extra": {}}
    if fields:
        expected["extra"]["fields"] = fields
    assert response.json() == expected


def test_list_query_count_does_not_grow_with_the_programmes(world, django_assert_num_queries):
    """A count, the page with the operator, the territories and the themes."""
    client = api()
    with django_assert_num_queries(4):
        client.get(URL)
    for index in range(5):
        extra = ProgrammeFactory(title_fr=f"Autre {index}")
        extra.territories.set([world["oriental"]])
        extra.themes.set([ThemeFactory(slug=f"theme-{index}")])
    with django_assert_num_queries(4):
        assert api().get(URL).json()["count"] == 7


# --- One programme ------------------------------------------------------------------------------------------------


def test_detail(world):
    now = timezone.now()
    call = Call.objects.create(
        programme=world["tamuri"],
        title_fr="Appel 2025",
        title_ar="دعوة 2025",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        published=True,
    )
    Call.objects.create(  # not published: not listed
        programme=world["tamuri"], title_fr="Brouillon", opens_at=now, closes_at=now + timedelta(days=1)
    )

    response = api().get(f"{URL}{world['tamuri'].pk}/")

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "ProgrammeDetailOutput")
    assert body == tamuri_item(world) | {
        "primary_language": "fr",
        "description": {"ar": "", "fr": "Renforcer les associations.", "en": ""},
        "funders": [ref(world["funder"])],
        "other_funders": "Fondation Drosos",
        "grant_minimum": "20000.00",
        "grant_maximum": "100000.00",
        "calls": [
            {
                "id": call.pk,
                "title": {"ar": "دعوة 2025", "fr": "Appel 2025", "en": ""},
                "opens_at": iso(call.opens_at),
                "closes_at": iso(call.closes_at),
                "is_open": True,
            }
        ],
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("user", 404),
        ("other_admin", 404),
        ("operator_member", 404),
        ("operator_admin", 200),
        ("manager", 200),
        ("reviewer", 200),
        ("programme_manager", 200),
        ("platform_admin", 200),
    ],
)
def test_a_draft_is_seen_by_its_team_and_operator_only(world, role, status):
    response = api(person(role, world["draft"])).get(f"{URL}{world['draft'].pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    if status == 404:
        assert response.json() == NOT_FOUND
    else:
        assert_matches_schema(response.json(), "ProgrammeDetailOutput")
        assert (response.json()["status"], response.json()["calls"]) == ("draft", [])


@pytest.mark.parametrize("raw_id", ["999999", "abc", "-1", "99999999999999999999"])
def test_unknown_programme_is_a_json_404(world, raw_id):
    response = api().get(f"{URL}{raw_id}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": translated("fr", "Not found."), "extra": {}}


# --- Indicators ---------------------------------------------------------------------------------------------------


@pytest.fixture
def fake_metric(world):
    """ "api_test_reached": 120 in total, 80 in Casablanca-Settat and 40 in the Oriental, 70 women and 50 men."""

    def compute(programme, until):
        return MetricValue(
            total=Decimal("120"),
            by_region={world["casablanca"].pk: Decimal("80"), world["oriental"].pk: Decimal("40")},
            breakdowns={"sex": {"women": Decimal("70"), "men": Decimal("50")}},
        )

    metric = metrics.register(Metric("api_test_reached", "Personnes touchées (test)", "personnes", compute))
    yield metric
    metrics._REGISTRY.pop(metric.key, None)


@pytest.fixture
def framework(world, fake_metric):
    """A computed indicator (target 200 revised to 240) and a manual one (two approved reports, one waiting)."""
    programme = world["tamuri"]
    computed = IndicatorFactory(
        programme=programme,
        code="reached",
        position=0,
        kind="computed",
        metric="api_test_reached",
        unit="personnes",
        baseline=Decimal("10"),
        name={"fr": "Personnes touchées", "ar": "الأشخاص المستفيدون", "en": "People reached"},
        disaggregations=["sex", "region"],
    )
    TargetFactory(indicator=computed, value=Decimal("200"), version=1, source="Document initial")
    TargetFactory(
        indicator=computed, value=Decimal("240"), version=2, source="Révision 2023", set_on=datetime.date(2023, 1, 1)
    )
    manual = IndicatorFactory(
        programme=programme,
        code="volunteers",
        position=1,
        unit="bénévoles",
        name={"fr": "Bénévoles formés", "ar": "المتطوعون المكوَّنون", "en": "Volunteers trained"},
        disaggregations=["sex"],
    )
    TargetFactory(indicator=manual, value=Decimal("100"), period_end=datetime.date(2023, 12, 31))
    TargetFactory(indicator=manual, value=Decimal("150"), period_end=datetime.date(2025, 12, 31))
    ReportFactory(indicator=manual, value=Decimal("30"), region=world["casablanca"], disaggregation={"sex": "women"})
    ReportFactory(indicator=manual, value=Decimal("12.5"), region=world["oriental"])
    ReportFactory(indicator=manual, value=Decimal("1000"), status="submitted", region=world["casablanca"])
    return computed, manual


def indicators_url(programme: Programme, until: str = "2024-06-30") -> str:
    return f"{URL}{programme.pk}/indicators/?until={until}"


CASABLANCA = {
    "code": "MA-06",
    "name": {"ar": "الدار البيضاء-سطات", "fr": "Casablanca-Settat", "en": "Casablanca-Settat"},
}
ORIENTAL = {"code": "MA-02", "name": {"ar": "الشرق", "fr": "L’Oriental", "en": "Oriental"}}


def test_indicators_target_against_actual(world, framework):
    computed, manual = framework
    manager = person("manager", world["tamuri"])

    response = api(manager).get(indicators_url(world["tamuri"]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "DashboardOutput")
    initial = {"value": "200.000", "version": 1, "source": "Document initial", "set_on": "2022-01-10"}
    revised = {"value": "240.000", "version": 2, "source": "Révision 2023", "set_on": "2023-01-01"}
    first = {"value": "100.000", "version": 1, "source": "Document de programme", "set_on": "2022-01-10"}
    second = {"value": "150.000", "version": 1, "source": "Document de programme", "set_on": "2022-01-10"}
    assert body == {
        "programme": world["tamuri"].pk,
        "until": "2024-06-30",
        "indicators": [
            {
                "id": computed.pk,
                "code": "reached",
                "name": {"ar": "الأشخاص المستفيدون", "fr": "Personnes touchées", "en": "People reached"},
                "unit": "personnes",
                "baseline": "10.000",
                "kind": "computed",
                "metric": "api_test_reached",
                "available": True,
                "actual": "120.000",
                "target": revised | {"period_end": "2025-12-31"},
                "percent": "50.0",
                "periods": [{"period_end": "2025-12-31", "current": revised, "history": [revised, initial]}],
                # The programme's regions by code: MA-02 before MA-06.
                "regions": [{"territory": ORIENTAL, "actual": "40.000"}, {"territory": CASABLANCA, "actual": "80.000"}],
                "breakdowns": [
                    {
                        "key": "sex",
                        "label": "Women and men",
                        "cells": [
                            {"value": "women", "label": "Women", "actual": "70.000"},
                            {"value": "men", "label": "Men", "actual": "50.000"},
                        ],
                    }
                ],
            },
            {
                "id": manual.pk,
                "code": "volunteers",
                "name": {"ar": "المتطوعون المكوَّنون", "fr": "Bénévoles formés", "en": "Volunteers trained"},
                "unit": "bénévoles",
                "baseline": "0.000",
                "kind": "manual",
                "metric": "",
                "available": True,
                "actual": "42.500",
                "target": second | {"period_end": "2025-12-31"},
                "percent": "28.3",
                "periods": [
                    {"period_end": "2023-12-31", "current": first, "history": [first]},
                    {"period_end": "2025-12-31", "current": second, "history": [second]},
                ],
                "regions": [{"territory": ORIENTAL, "actual": "12.500"}, {"territory": CASABLANCA, "actual": "30.000"}],
                "breakdowns": [
                    {
                        "key": "sex",
                        "label": "Women and men",
                        "cells": [
                            {"value": "women", "label": "Women", "actual": "30.000"},
                            {"value": "men", "label": "Men", "actual": "0.000"},
                            {"value": "unspecified", "label": "Not specified", "actual": "12.500"},
                        ],
                    }
                ],
            },
        ],
    }


def test_indicator_labels_follow_the_callers_language(world, framework):
    body = api(person("manager", world["tamuri"])).get(indicators_url(world["tamuri"]), HTTP_ACCEPT_LANGUAGE="ar")
    breakdown = body.json()["indicators"][0]["breakdowns"][0]
    assert breakdown["label"] == translated("ar", "Women and men")
    assert [cell["label"] for cell in breakdown["cells"]] == [translated("ar", "Women"), translated("ar", "Men")]


def test_a_metric_nobody_registered_is_not_available(world, framework):
    IndicatorFactory(programme=world["tamuri"], code="seed", position=5, kind="computed", metric="nobody_has_it")
    body = api(person("manager", world["tamuri"])).get(indicators_url(world["tamuri"])).json()
    missing = body["indicators"][2]
    assert (missing["available"], missing["actual"], missing["percent"], missing["target"]) == (False, None, None, None)
    assert [region["actual"] for region in missing["regions"]] == [None, None]
    assert missing["breakdowns"] == []


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("anonymous", 401, NOT_AUTHENTICATED),
        ("user", 403, PERMISSION_DENIED),
        ("other_admin", 403, PERMISSION_DENIED),
        ("operator_member", 403, PERMISSION_DENIED),
        ("operator_admin", 200, None),
        ("funder_admin", 200, None),
        ("manager", 200, None),
        ("reviewer", 200, None),
        ("coach", 200, None),
        ("juror", 200, None),
        ("programme_manager", 200, None),
        ("platform_admin", 200, None),
    ],
)
def test_who_may_read_the_indicators(world, framework, role, status, expected):
    response = api(person(role, world["tamuri"])).get(indicators_url(world["tamuri"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    if expected is not None:
        assert response.json() == expected
    else:
        assert [item["code"] for item in response.json()["indicators"]] == ["reached", "volunteers"]


def test_anonymous_callers_are_told_to_log_in_in_their_language(world, framework):
    response = api().get(indicators_url(world["tamuri"]), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 401
    assert response.json()["message"] == translated("ar", "Authentication credentials were not provided.")


def test_the_indicators_of_a_draft_are_a_404_for_outsiders(world):
    for role in ("anonymous", "user"):
        response = api(person(role, world["draft"])).get(
            f"{URL}{world['draft'].pk}/indicators/", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    assert api(person("manager", world["draft"])).get(f"{URL}{world['draft'].pk}/indicators/").status_code == 200


def test_a_bad_day_is_a_400(world, framework):
    response = api(person("manager", world["tamuri"])).get(indicators_url(world["tamuri"], "30/06/2024"))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["extra"]["fields"]) == ["until"]


def test_the_day_defaults_to_today(world, framework):
    body = api(person("manager", world["tamuri"])).get(f"{URL}{world['tamuri'].pk}/indicators/").json()
    assert body["until"] == timezone.localdate().isoformat()
    assert body["indicators"][1]["actual"] == "42.500"


def test_indicators_query_count_does_not_grow_with_reports(world, framework, django_assert_num_queries):
    manager = person("manager", world["tamuri"])
    client = api(manager)
    client.get(indicators_url(world["tamuri"]))  # warm the session

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(indicators_url(world["tamuri"])).status_code == 200
        return len(queries.captured_queries)

    before = count()
    _computed, manual = framework
    for _index in range(10):
        ReportFactory(indicator=manual, value=Decimal("1"), region=world["oriental"], disaggregation={"sex": "men"})
        TargetFactory(indicator=manual, value=Decimal("1"), period_end=datetime.date(2024, 12, 31), version=_index + 1)
    assert count() == before
