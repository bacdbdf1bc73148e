"""The data files and the pure loader (no database)."""

from __future__ import annotations

from collections import Counter

import pytest

from jusoor.territories import loaders

EXPECTED_COUNTS = {
    ("TN", "governorate"): 24,
    ("TN", "municipality"): 350,
    ("MA", "region"): 12,
    ("MA", "prefecture"): 13,
    ("MA", "province"): 62,
    ("MA", "commune"): 1503,
    ("FR", "region"): 18,
    ("FR", "department"): 96,
}


@pytest.fixture(scope="module")
def records() -> dict[str, loaders.TerritoryRecord]:
    return {record.code: record for record in loaders.territory_records()}


@pytest.fixture(scope="module")
def boundaries() -> dict[str, loaders.BoundaryRecord]:
    return {boundary.code: boundary for boundary in loaders.boundary_records()}


def test_counts_per_country_and_kind():
    assert Counter((r.country, r.kind) for r in loaders.territory_records()) == EXPECTED_COUNTS


def test_primary_and_alternate_codes_are_unique():
    all_records = loaders.territory_records()
    alternates = [code for record in all_records for code in record.alternate_codes]
    assert len({record.code for record in all_records}) == len(all_records) == 2078
    assert len(set(alternates)) == len(alternates) == 119


def test_every_parent_comes_before_its_children():
    seen: set[str] = set()
    for record in loaders.territory_records():
        assert record.parent_code is None or record.parent_code in seen, record.code
        seen.add(record.code)


def test_every_territory_has_three_names(records):
    assert [code for code, r in records.items() if not (r.name_ar and r.name_fr and r.name_en)] == []


def test_tunisian_governorate_iso_and_ins_numbers_differ(records):
    sousse = records["TN-51"]
    assert (sousse.name_fr, sousse.code_system, sousse.alternate_codes) == ("Sousse", "iso3166-2", (("tn-ins", "31"),))
    gabes = next(r for r in records.values() if ("tn-ins", "51") in r.alternate_codes)
    assert (gabes.code, gabes.name_fr, gabes.name_ar) == ("TN-81", "Gabès", "قابس")


def test_tunisian_municipality(records):
    ariana = records["1211"]
    assert ariana == loaders.TerritoryRecord(
        code="1211",
        code_system="tn-municipality",
        country="TN",
        kind="municipality",
        parent_code="TN-12",
        name_ar="أريانة",
        name_fr="L'Ariana Ville",
        name_en="L'Ariana Ville",
        population=118821,
    )


def test_tunisian_municipalities_per_governorate(records):
    per_governorate = Counter(r.parent_code for r in records.values() if r.kind == "municipality")
    assert len(per_governorate) == 24
    assert (per_governorate["TN-11"], per_governorate["TN-52"], per_governorate["TN-72"]) == (8, 31, 6)


def test_morocco_hierarchy_follows_hcp_not_pycountry(records):
    assert records["MA-NOU"].parent_code == "MA-06"
    assert records["MA-CHT"].parent_code == "MA-09"


def test_casablanca_prefecture_carries_the_prefectures_d_arrondissements_codes(records):
    casablanca = records["MA-CAS"]
    assert (casablanca.kind, casablanca.parent_code) == ("prefecture", "MA-06")
    assert [code for _, code in casablanca.alternate_codes] == [
        "06.141",
        "06.141.01.00",
        "06.141.01.10",
        "06.141.01.20",
        "06.141.01.30",
        "06.141.01.40",
        "06.141.01.50",
        "06.141.01.60",
        "06.141.01.70",
    ]
    assert records["06.141.01.0"].parent_code == "MA-CAS"


def test_moroccan_region_province_and_commune(records):
    assert records["MA-01"].alternate_codes == (("ma-hcp", "01"),)
    assert records["MA-01"].population == 4030222
    figuig = records["MA-FIG"]
    assert (figuig.name_ar, figuig.name_fr, figuig.alternate_codes) == (
        "إقليم فجيج",
        "Province de Figuig",
        (("ma-hcp", "02.251"),),
    )
    tanger = records["01.511.01.0"]
    assert (tanger.code_system, tanger.parent_code, tanger.name_fr, tanger.name_en, tanger.name_ar) == (
        "ma-hcp",
        "MA-TNG",
        "Tanger",
        "Tanger",
        "طنجة",
    )
    assert tanger.population == 1275428


def test_moroccan_communes_population_sums_to_the_census_total(records):
    assert sum(r.population or 0 for r in records.values() if r.kind == "commune") == 36828330


def test_france_regions_and_departments(records):
    regions = sorted(code for code, r in records.items() if r.country == "FR" and r.kind == "region")
    assert len(regions) == 18
    assert {"FR-20R", "FR-971", "FR-972", "FR-973", "FR-974", "FR-976", "FR-IDF"} <= set(regions)
    assert records["FR-75C"].kind == "department"
    assert records["FR-75C"].parent_code == "FR-IDF"
    assert records["FR-2A"].parent_code == "FR-20R"
    assert (records["FR-67"].parent_code, records["FR-68"].parent_code) == ("FR-GES", "FR-GES")
    assert "FR-69M" not in records
    assert "FR-6AE" not in records
    nouvelle_aquitaine = records["FR-NAQ"]
    assert (nouvelle_aquitaine.name_fr, nouvelle_aquitaine.name_en, nouvelle_aquitaine.name_ar) == (
        "Nouvelle-Aquitaine",
        "New Aquitania",
        "Nouvelle-Aquitaine",
    )


def test_selected_countries():
    assert loaders.selected_countries(None) == ["TN", "MA", "FR"]
    assert loaders.selected_countries(["fr", "TN"]) == ["TN", "FR"]
    with pytest.raises(ValueError, match="unknown country code"):
        loaders.selected_countries(["DZ"])


def test_boundaries_cover_every_tunisian_and_moroccan_unit_above_commune(records, boundaries):
    with_boundary = Counter((records[code].country, records[code].kind) for code in boundaries)
    assert with_boundary == {
        ("TN", "governorate"): 24,
        ("TN", "municipality"): 350,
        ("MA", "region"): 12,
        ("MA", "prefecture"): 13,
        ("MA", "province"): 62,
    }


def test_boundaries_are_valid_multipolygons(boundaries):
    for code, boundary in boundaries.items():
        assert boundary.geometry["type"] == "MultiPolygon", code
        assert boundary.geometry["coordinates"], code
        for polygon in boundary.geometry["coordinates"]:
            for ring in polygon:
                assert len(ring) >= 4, code
                assert ring[0] == ring[-1], code
                for longitude, latitude in ring:
                    assert -20 < longitude < 15 and 20 < latitude < 38, code
                    assert round(longitude, 5) == longitude and round(latitude, 5) == latitude, code


def test_multipart_municipalities_are_merged(boundaries):
    parts = {code: len(boundaries[code].geometry["coordinates"]) for code in ("1711", "3426", "6111", "1111")}
    assert parts == {"1711": 8, "3426": 4, "6111": 1, "1111": 1}  # Bizerte, Kerkenah, Gafsa (duplicate dropped)
    assert boundaries["1711"].source == loaders.TN_BOUNDARY_SOURCE
    assert boundaries["MA-CAS"].source == loaders.MA_BOUNDARY_SOURCE
