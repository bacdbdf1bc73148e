from __future__ import annotations

import pytest

from jusoor.territories.folding import fold_search_text
from jusoor.territories.models import Territory, TerritoryBoundary
from jusoor.territories.selectors import (
    territory_boundary_geojson,
    territory_get,
    territory_list,
)


def _codes(queryset) -> list[str]:
    return sorted(queryset.values_list("code", flat=True))


def test_fold_search_text():
    assert fold_search_text("Béja") == "beja"
    assert fold_search_text("Côte d’Azur") == "cote d'azur"
    assert fold_search_text("أريانة") == "اريانه"
    assert fold_search_text("إقليم") == "اقليم"


def test_filter_by_country_and_kind(territories):
    assert territory_list(country="TN", kind="governorate").count() == 24
    assert territory_list(country="tn").count() == 374
    assert territory_list(country="MA", kind="prefecture").count() == 13
    assert territory_list(kind="region").count() == 30
    assert territory_list().count() == 2078


def test_filter_by_parent_code(territories):
    assert _codes(territory_list(parent_code="TN-11")) == [
        "1111",
        "1112",
        "1113",
        "1114",
        "1115",
        "1116",
        "1117",
        "1118",
    ]
    assert _codes(territory_list(parent_code="MA-06")) == [
        "MA-BES",
        "MA-BRR",
        "MA-CAS",
        "MA-JDI",
        "MA-MED",
        "MA-MOH",
        "MA-NOU",
        "MA-SET",
        "MA-SIB",
    ]
    assert _codes(territory_list(parent_code="MA-CAS")) == ["06.141.01.0", "06.141.01.81"]
    assert territory_list(parent_code="nope").count() == 0


def test_search_ignores_case_and_accents(territories):
    assert _codes(territory_list(q="sousse")) == ["05.301.07.09", "3111", "3114", "3115", "TN-51"]
    assert _codes(territory_list(q="BEJA", country="TN")) == ["2111", "TN-31"]
    assert _codes(territory_list(q="Béja", kind="governorate")) == ["TN-31"]
    assert _codes(territory_list(q="ile-de-france")) == ["FR-IDF"]


def test_search_in_arabic(territories):
    assert _codes(territory_list(q="اريانة")) == ["1211", "TN-12"]
    assert _codes(territory_list(q="الرحامنة")) == ["07.427.07.23", "07.427.09.13", "MA-REH"]
    assert _codes(territory_list(q="rhamna", kind="province")) == ["MA-REH"]  # La Ruche Rhamna (seed 004)


def test_search_combines_with_filters(territories):
    assert _codes(territory_list(q="sousse", country="TN", kind="municipality")) == ["3111", "3114", "3115"]
    assert territory_list(q="   ", country="TN").count() == 374


def test_list_selects_the_parent(territories, django_assert_num_queries):
    with django_assert_num_queries(1):
        parents = {t.code: t.parent.code for t in territory_list(parent_code="TN-11")}
    assert parents["1111"] == "TN-11"


def test_territory_get(territories):
    casablanca = territory_get(code="MA-CAS")
    assert (casablanca.kind, casablanca.parent.code, casablanca.name_fr) == (
        "prefecture",
        "MA-06",
        "Préfecture de Casablanca",
    )
    assert len(casablanca.codes.all()) == 9
    with pytest.raises(Territory.DoesNotExist):
        territory_get(code="XX-00")


def test_boundary_geojson(territories):
    feature = territory_boundary_geojson(code="1211")
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"] == {
        "code": "1211",
        "kind": "municipality",
        "names": {"ar": "أريانة", "fr": "L'Ariana Ville", "en": "L'Ariana Ville"},
        "source": "data4tunisia (Ministry of Local Affairs), via github.com/iyedg/tunmaps",
    }


def test_boundary_geojson_missing(territories):
    with pytest.raises(Territory.DoesNotExist):
        territory_boundary_geojson(code="XX-00")
    with pytest.raises(TerritoryBoundary.DoesNotExist):
        territory_boundary_geojson(code="FR-IDF")
    with pytest.raises(Territory.boundary.RelatedObjectDoesNotExist):
        territory_boundary_geojson(code="01.511.01.0")
