"""The map of organisations: counts per area, the GeoJSON endpoint and the page (real territories loaded once)."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import Organization, OrganizationKind
from jusoor.organizations.selectors.map import map_areas, organization_count_by_territory
from jusoor.territories.models import Territory

Status = Organization.Status


@pytest.fixture
def kind(db):
    return OrganizationKind.objects.create(
        slug="association", label={"ar": "جمعية", "fr": "Association", "en": "Association"}
    )


@pytest.fixture
def place(territories, kind):
    """place(territory code or None, status) creates an organisation there."""
    counter = iter(range(1000))

    def make(code: str | None, status: str = Status.VERIFIED, country: str = "") -> Organization:
        territory = Territory.objects.get(code=code) if code else None
        return Organization.objects.create(
            name_fr=f"Organisation {next(counter)}",
            kind=kind,
            country=country or (territory.country if territory else "TN"),
            territory=territory,
            status=status,
        )

    return make


@pytest.fixture
def tunisia(place):
    place("1111")  # Tunis municipality, in governorate TN-11
    place("1112", Status.PENDING)  # TN-11
    place("TN-11")  # the governorate itself
    place("3111")  # Sousse municipality, TN-51
    place("1113", Status.UNVERIFIED)  # not public
    place("3111", Status.SUSPENDED)  # not public
    place(None)  # no territory
    place("FR-75C")  # another country


@pytest.fixture
def morocco(place):
    place("06.141.01.0")  # Casablanca commune → prefecture MA-CAS → region MA-06
    place("MA-NOU")  # province of Nouaceur, region MA-06
    place("06.385.01.01")  # Bouskoura commune → MA-NOU → MA-06
    place("MA-06", Status.PENDING)  # the region itself: on the region map only
    place("MA-TNG")  # prefecture of Tanger-Assilah, region MA-01
    place("06.385.01.02", Status.UNVERIFIED)
    place("MA-TNG", Status.SUSPENDED)


def _non_zero(counts: dict[str, int]) -> dict[str, int]:
    return {code: count for code, count in counts.items() if count}


# --- Selector ---------------------------------------------------------------------------------------------
def test_tunisia_counts_per_governorate_include_municipalities(tunisia):
    counts = organization_count_by_territory(viewer=None, country="TN", level="governorate")
    assert len(counts) == 24
    assert _non_zero(counts) == {"TN-11": 3, "TN-51": 1}
    assert list(counts) == sorted(counts)


def test_morocco_counts_per_region_include_provinces_and_communes(morocco):
    counts = organization_count_by_territory(viewer=None, country="MA", level="region")
    assert len(counts) == 12
    assert _non_zero(counts) == {"MA-06": 4, "MA-01": 1}


def test_morocco_counts_per_province_and_prefecture(morocco):
    counts = organization_count_by_territory(viewer=None, country="MA", level="province")
    assert len(counts) == 75  # 62 provinces and 13 prefectures
    assert _non_zero(counts) == {"MA-CAS": 1, "MA-NOU": 2, "MA-TNG": 1}


def test_counts_are_public_whoever_asks(tunisia, user):
    user.is_superuser = True
    counts = organization_count_by_territory(viewer=user, country="TN", level="governorate")
    assert _non_zero(counts) == {"TN-11": 3, "TN-51": 1}


@pytest.mark.parametrize(
    ("country", "level", "code"),
    [
        ("FR", "region", "map_unknown_country"),
        ("XX", "governorate", "map_unknown_country"),
        ("tn", "governorate", "map_unknown_country"),
        ("TN", "region", "map_unknown_level"),
        ("MA", "governorate", "map_unknown_level"),
        ("MA", "commune", "map_unknown_level"),
        ("MA", "prefecture", "map_unknown_level"),
    ],
)
def test_unknown_country_or_level_is_an_application_error(db, country, level, code):
    with pytest.raises(ApplicationError) as raised:
        organization_count_by_territory(viewer=None, country=country, level=level)
    assert raised.value.code == code


def test_count_takes_two_queries_then_one_with_the_areas_cached(morocco, django_assert_num_queries):
    with django_assert_num_queries(2):
        organization_count_by_territory(viewer=None, country="MA", level="province")
    with django_assert_num_queries(1):
        organization_count_by_territory(viewer=None, country="MA", level="province")
    with django_assert_num_queries(0):
        areas = map_areas(country="MA", level="province")
    assert len(areas) == 75
    assert all(area.geometry_json is not None for area in areas)


# --- GeoJSON ----------------------------------------------------------------------------------------------
def _features(response) -> dict[str, dict]:
    return {feature["id"]: feature for feature in json.loads(response.content)["features"]}


def test_geojson_of_tunisian_governorates(client, tunisia):
    response = client.get("/fr/organisations/map/data.geojson?country=TN")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert set(data) == {"type", "features"}
    assert data["type"] == "FeatureCollection"
    features = _features(response)
    assert len(features) == 24
    tunis = features["TN-11"]
    assert set(tunis) == {"type", "id", "properties", "geometry"}
    assert tunis["type"] == "Feature"
    assert tunis["properties"] == {
        "code": "TN-11",
        "name": "Tunis",
        "count": 3,
        "url": "/fr/organisations/?territory=TN-11",
    }
    assert tunis["geometry"]["type"] == "MultiPolygon"
    assert features["TN-51"]["properties"]["count"] == 1
    assert sum(feature["properties"]["count"] for feature in features.values()) == 4


def test_geojson_names_and_urls_follow_the_request_language(client, morocco):
    with translation.override("ar"):
        url = reverse("organization_map_data")
    assert url == "/ar/organisations/map/data.geojson"
    response = client.get(url + "?country=MA&level=province")
    features = _features(response)
    assert len(features) == 75
    casablanca = Territory.objects.get(code="MA-CAS")
    assert features["MA-CAS"]["properties"] == {
        "code": "MA-CAS",
        "name": casablanca.name_ar,
        "count": 1,
        "url": "/ar/organisations/?territory=MA-CAS",
    }
    assert features["MA-NOU"]["properties"]["count"] == 2
    en = _features(client.get("/en/organisations/map/data.geojson?country=MA&level=region"))
    assert len(en) == 12
    assert en["MA-06"]["properties"]["name"] == Territory.objects.get(code="MA-06").name_en
    assert en["MA-06"]["properties"]["count"] == 4
    assert en["MA-06"]["properties"]["url"] == "/en/organisations/?territory=MA-06"


def test_geojson_is_compressed_when_the_client_accepts_it(client, territories):
    plain = client.get("/fr/organisations/map/data.geojson?country=MA&level=province")
    packed = client.get("/fr/organisations/map/data.geojson?country=MA&level=province", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ("?country=FR", "map_unknown_country", "There is no map for this country."),
        ("?country=", "map_unknown_country", "There is no map for this country."),
        ("?country=TN&level=region", "map_unknown_level", "There is no map at this level for this country."),
        ("?country=MA&level=commune", "map_unknown_level", "There is no map at this level for this country."),
        ("?country=MA&level=" + "x" * 5000, "map_unknown_level", "There is no map at this level for this country."),
    ],
)
def test_geojson_bad_parameters_are_a_400_with_a_message(client, territories, query, code, message):
    response = client.get("/en/organisations/map/data.geojson" + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"code": code, "message": message, "extra": {}}


def test_geojson_only_answers_get(client, territories):
    assert client.post("/fr/organisations/map/data.geojson?country=TN").status_code == 405


def _csp(response) -> dict[str, str]:
    parts = (part.strip().partition(" ") for part in response["Content-Security-Policy"].split(";"))
    return {name: value for name, _space, value in parts}


# --- Page -------------------------------------------------------------------------------------------------
def test_page_for_tunisia(client, tunisia):
    response = client.get("/fr/organisations/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-geojson-url="/fr/organisations/map/data.geojson?country=TN&amp;level=governorate"' in html
    assert 'data-tile-url=""' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/js/organization-map.js" in html
    assert '<a class="nav-link active" aria-current="page" href="?country=TN">' in html
    assert "level=region" not in html  # no level switch for Tunisia
    rows = response.context["rows"]
    assert len(rows) == 24
    assert [row["name"] for row in rows][:4] == ["Béja", "Ben Arous", "Bizerte", "Gabès"]  # accents ignored
    tunis = next(row for row in rows if row["code"] == "TN-11")
    assert tunis == {"code": "TN-11", "name": "Tunis", "count": 3, "url": "/fr/organisations/?territory=TN-11"}
    assert response.context["total"] == 4
    assert '<a href="/fr/organisations/?territory=TN-11">Tunis</a>' in html
    # CSP: no inline script, no style attribute.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html


def test_page_for_moroccan_provinces_in_arabic(client, morocco):
    response = client.get("/ar/organisations/map/?country=MA&level=province")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'id="organization-map" class="organization-map mb-2" dir="ltr" hidden' in html
    assert 'data-geojson-url="/ar/organisations/map/data.geojson?country=MA&amp;level=province"' in html
    assert 'aria-current="page" href="?country=MA&amp;level=province"' in html
    assert 'href="?country=MA&amp;level=region"' in html
    assert len(response.context["rows"]) == 75
    assert response.context["total"] == 4
    assert "OpenStreetMap" in html


def test_moroccan_page_defaults_to_regions(client, morocco):
    response = client.get("/fr/organisations/map/?country=ma")
    assert response.status_code == 200
    assert response.context["level"] == "region"
    assert len(response.context["rows"]) == 12
    assert response.context["total"] == 5


@pytest.mark.parametrize("query", ["?country=FR", "?country=TN&level=province", "?country=MA&level=municipality"])
def test_page_bad_parameters_are_a_400_with_a_message(client, territories, query):
    response = client.get("/en/organisations/map/" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<div class="alert alert-warning" role="alert">There is no map' in html
    assert 'id="organization-map"' not in html
    assert 'href="?country=TN"' in html  # the tabs lead back to a map


def test_no_tiles_by_default_and_the_csp_stays_strict(client, territories):
    response = client.get("/fr/organisations/map/")
    assert _csp(response)["img-src"] == "'self' data:"


@override_settings(
    JUSOOR_MAP_TILE_URL="https://{s}.tile.example.org/{z}/{x}/{y}.png",
    JUSOOR_MAP_TILE_ATTRIBUTION="© Example contributors",
)
def test_tiles_when_configured_and_allowed_by_the_csp(client, territories):
    response = client.get("/fr/organisations/map/")
    html = response.content.decode()
    assert 'data-tile-url="https://{s}.tile.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© Example contributors"' in html
    assert _csp(response)["img-src"] == "'self' data: https://*.tile.example.org"


def test_query_count_does_not_depend_on_the_number_of_organisations(client, place, django_assert_num_queries):
    place("1111")
    with django_assert_num_queries(2):  # the areas (then cached) and the counts
        client.get("/fr/organisations/map/")
    with django_assert_num_queries(1):
        client.get("/fr/organisations/map/data.geojson")
    for code in ["1111", "1112", "3111", "TN-23", "TN-83", "2111"]:
        place(code)
    with django_assert_num_queries(1):
        client.get("/fr/organisations/map/")
    with django_assert_num_queries(1):
        response = client.get("/fr/organisations/map/data.geojson")
    assert sum(feature["properties"]["count"] for feature in _features(response).values()) == 7
