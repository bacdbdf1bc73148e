"""territories_load against PostgreSQL. The full load runs once per module (see conftest.py)."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jusoor.territories import loaders
from jusoor.territories.models import Territory, TerritoryBoundary, TerritoryCode
from jusoor.territories.services import territories_load
from jusoor.territories.tests.test_loaders import EXPECTED_COUNTS


def _snapshot() -> tuple[list, list, list]:
    territories = list(Territory.objects.order_by("pk").values_list())
    codes = list(TerritoryCode.objects.order_by("pk").values_list())
    boundaries = list(TerritoryBoundary.objects.order_by("pk").values_list())
    return territories, codes, boundaries


def test_load_returns_counts_per_country_and_kind(territories):
    assert territories == EXPECTED_COUNTS


def test_rows_in_the_database(territories):
    assert Territory.objects.count() == 2078
    assert TerritoryCode.objects.count() == 119
    assert TerritoryBoundary.objects.count() == 461
    assert Territory.objects.filter(parent__isnull=True).count() == 24 + 12 + 18


def test_parents(territories):
    parents = dict(
        Territory.objects.filter(code__in=["MA-NOU", "MA-CHT", "1111", "06.141.01.0", "FR-2A"]).values_list(
            "code", "parent__code"
        )
    )
    assert parents == {
        "MA-NOU": "MA-06",
        "MA-CHT": "MA-09",
        "1111": "TN-11",
        "06.141.01.0": "MA-CAS",
        "FR-2A": "FR-20R",
    }


def test_governorate_has_iso_and_ins_codes(territories):
    sousse = Territory.objects.get(code="TN-51")
    assert (sousse.code_system, sousse.name_fr, sousse.name_ar) == ("iso3166-2", "Sousse", "سوسة")
    assert list(sousse.codes.values_list("system", "code")) == [("tn-ins", "31")]
    gabes = TerritoryCode.objects.select_related("territory").get(system="tn-ins", code="51").territory
    assert (gabes.code, gabes.name_fr) == ("TN-81", "Gabès")


def test_municipality_boundary_is_a_valid_multipolygon(territories):
    geometry = TerritoryBoundary.objects.get(territory__code="1711").geometry
    assert geometry["type"] == "MultiPolygon"
    assert len(geometry["coordinates"]) == 8
    for polygon in geometry["coordinates"]:
        for ring in polygon:
            assert len(ring) >= 4
            assert ring[0] == ring[-1]
            assert all(len(position) == 2 for position in ring)


def test_second_load_writes_nothing(territories):
    before = _snapshot()
    with CaptureQueriesContext(connection) as queries:
        counts = territories_load()
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert counts == EXPECTED_COUNTS
    assert writes == []
    assert _snapshot() == before


def test_load_restores_a_name_changed_in_the_database(territories):
    Territory.objects.filter(code="TN-11").update(name_fr="Changed")
    territories_load(countries=["TN"])
    assert Territory.objects.get(code="TN-11").name_fr == "Tunis"


def test_a_territory_renamed_in_the_data_is_renamed_in_place(territories, monkeypatch):
    original = loaders.TERRITORY_LOADERS["TN"]

    def renamed(data_dir):
        return [
            dataclasses.replace(r, name_fr="Tunis la Blanche") if r.code == "TN-11" else r for r in original(data_dir)
        ]

    monkeypatch.setitem(loaders.TERRITORY_LOADERS, "TN", renamed)
    pk = Territory.objects.get(code="TN-11").pk
    territories_load(countries=["TN"])
    assert list(Territory.objects.filter(name_fr__startswith="Tunis").values_list("pk", "code", "name_fr")) == [
        (pk, "TN-11", "Tunis la Blanche"),
        (Territory.objects.get(code="1111").pk, "1111", "Tunis"),
    ]
    assert Territory.objects.count() == 2078


def test_stale_alternate_code_is_removed_and_misplaced_one_moved_back(territories):
    tunis = Territory.objects.get(code="TN-11")
    TerritoryCode.objects.create(territory=tunis, system="tn-ins", code="99")
    TerritoryCode.objects.filter(system="tn-ins", code="31").update(territory=tunis)
    territories_load(countries=["TN"])
    assert list(tunis.codes.values_list("system", "code")) == [("tn-ins", "11")]
    assert TerritoryCode.objects.get(system="tn-ins", code="31").territory.code == "TN-51"
    assert TerritoryCode.objects.count() == 119


def test_load_one_country(territories):
    assert territories_load(countries=["fr"]) == {("FR", "department"): 96, ("FR", "region"): 18}


def test_unknown_country_is_rejected(territories):
    with pytest.raises(ValueError, match="unknown country code"):
        territories_load(countries=["DZ"])
