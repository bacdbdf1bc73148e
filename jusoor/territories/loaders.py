"""Read the territory data files shipped in ``data/`` and return plain records (no database access).

Records come parents first (governorate before municipality, region before province before commune) so a
caller can insert them in order. The files and their sources are described in ``data/SOURCES.md``.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jusoor.territories.models import CodeSystem, Country, Kind

DATA_DIR = Path(__file__).resolve().parent / "data"

TN_BOUNDARY_SOURCE = "data4tunisia (Ministry of Local Affairs), via github.com/iyedg/tunmaps"
MA_BOUNDARY_SOURCE = "© OpenStreetMap contributors (ODbL); boundaries via Elastic Maps Service"


@dataclass(frozen=True, slots=True)
class TerritoryRecord:
    code: str
    code_system: str
    country: str
    kind: str
    parent_code: str | None
    name_ar: str
    name_fr: str
    name_en: str
    population: int | None = None
    alternate_codes: tuple[tuple[str, str], ...] = field(default=())  # (code system, code)


@dataclass(frozen=True, slots=True)
class BoundaryRecord:
    code: str
    geometry: dict[str, Any]
    source: str


def _read_csv(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_geojson_gz(path: Path) -> dict[str, dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        collection = json.load(handle)
    return {feature["properties"]["code"]: feature["geometry"] for feature in collection["features"]}


def _population(value: str) -> int | None:
    return int(value) if value else None


# --- Tunisia -----------------------------------------------------------------------------------------------
def tunisia_territories(data_dir: Path = DATA_DIR) -> list[TerritoryRecord]:
    governorates = _read_csv(data_dir / "tn" / "governorates.csv")
    iso_by_ins = {row["ins_code"]: row["code"] for row in governorates}
    records = [
        TerritoryRecord(
            code=row["code"],
            code_system=CodeSystem.ISO_3166_2.value,
            country=Country.TN.value,
            kind=Kind.GOVERNORATE.value,
            parent_code=None,
            name_ar=row["name_ar"],
            name_fr=row["name_fr"],
            name_en=row["name_en"],
            alternate_codes=((CodeSystem.TN_INS.value, row["ins_code"]),),
        )
        for row in governorates
    ]
    records += [
        TerritoryRecord(
            code=row["code"],
            code_system=CodeSystem.TN_MUNICIPALITY.value,
            country=Country.TN.value,
            kind=Kind.MUNICIPALITY.value,
            parent_code=iso_by_ins[row["ins_governorate"]],
            name_ar=row["name_ar"],
            name_fr=row["name_fr"],
            name_en=row["name_en"],
            population=_population(row["population_2019"]),
        )
        for row in _read_csv(data_dir / "tn" / "municipalities.csv")
    ]
    return records


def tunisia_boundaries(data_dir: Path = DATA_DIR) -> list[BoundaryRecord]:
    geometries = _read_geojson_gz(data_dir / "tn" / "governorate_boundaries.geojson.gz")
    geometries |= _read_geojson_gz(data_dir / "tn" / "municipality_boundaries.geojson.gz")
    return [BoundaryRecord(code, geometry, TN_BOUNDARY_SOURCE) for code, geometry in geometries.items()]


# --- Morocco -----------------------------------------------------------------------------------------------
def _morocco_regions(data_dir: Path) -> Iterator[TerritoryRecord]:
    for row in _read_csv(data_dir / "ma" / "regions.csv"):
        yield TerritoryRecord(
            code=row["code"],
            code_system=CodeSystem.ISO_3166_2.value,
            country=Country.MA.value,
            kind=Kind.REGION.value,
            parent_code=None,
            name_ar=row["name_ar"],
            name_fr=row["name_fr"],
            name_en=row["name_en"],
            population=_population(row["population_2024"]),
            alternate_codes=((CodeSystem.MA_HCP.value, row["hcp_code"]),),
        )


def _morocco_provinces(data_dir: Path) -> Iterator[TerritoryRecord]:
    for row in _read_csv(data_dir / "ma" / "provinces.csv"):
        yield TerritoryRecord(
            code=row["code"],
            code_system=CodeSystem.ISO_3166_2.value,
            country=Country.MA.value,
            kind=Kind(row["kind"]).value,
            parent_code=row["parent"],
            name_ar=row["name_ar"],
            name_fr=row["name_fr"],
            name_en=row["name_en"],
            population=_population(row["population_2024"]),
            alternate_codes=tuple((CodeSystem.MA_HCP.value, code) for code in row["hcp_codes"].split()),
        )


def _morocco_communes(data_dir: Path) -> Iterator[TerritoryRecord]:
    for row in _read_csv(data_dir / "ma" / "communes.csv.gz"):
        yield TerritoryRecord(
            code=row["code"],
            code_system=CodeSystem.MA_HCP.value,
            country=Country.MA.value,
            kind=Kind.COMMUNE.value,
            parent_code=row["parent"],
            name_ar=row["name_ar"],
            name_fr=row["name_fr"],
            name_en=row["name_fr"],  # HCP publishes French and Arabic only
            population=_population(row["population_2024"]),
        )


def morocco_territories(data_dir: Path = DATA_DIR) -> list[TerritoryRecord]:
    return [*_morocco_regions(data_dir), *_morocco_provinces(data_dir), *_morocco_communes(data_dir)]


def morocco_boundaries(data_dir: Path = DATA_DIR) -> list[BoundaryRecord]:
    geometries = _read_geojson_gz(data_dir / "ma" / "region_boundaries.geojson.gz")
    geometries |= _read_geojson_gz(data_dir / "ma" / "province_boundaries.geojson.gz")
    return [BoundaryRecord(code, geometry, MA_BOUNDARY_SOURCE) for code, geometry in geometries.items()]


# --- France ------------------------------------------------------------------------------------------------
def france_territories(data_dir: Path = DATA_DIR) -> list[TerritoryRecord]:
    rows = _read_csv(data_dir / "fr" / "subdivisions.csv")
    rows.sort(key=lambda row: (row["kind"] != Kind.REGION, row["code"]))  # regions first
    return [
        TerritoryRecord(
            code=row["code"],
            code_system=CodeSystem.ISO_3166_2.value,
            country=Country.FR.value,
            kind=Kind(row["kind"]).value,
            parent_code=row["parent"] or None,
            name_ar=row["name_ar"],
            name_fr=row["name_fr"],
            name_en=row["name_en"],
        )
        for row in rows
    ]


def france_boundaries(data_dir: Path = DATA_DIR) -> list[BoundaryRecord]:  # same signature as the others
    return []  # no openly licensed French boundary file in the repository yet


# --- All countries -----------------------------------------------------------------------------------------
TERRITORY_LOADERS: dict[str, Callable[[Path], list[TerritoryRecord]]] = {
    Country.TN.value: tunisia_territories,
    Country.MA.value: morocco_territories,
    Country.FR.value: france_territories,
}
BOUNDARY_LOADERS: dict[str, Callable[[Path], list[BoundaryRecord]]] = {
    Country.TN.value: tunisia_boundaries,
    Country.MA.value: morocco_boundaries,
    Country.FR.value: france_boundaries,
}


def selected_countries(countries: Iterable[str] | None) -> list[str]:
    """The requested country codes in loading order; all when None. Unknown codes raise ValueError."""
    if countries is None:
        return list(TERRITORY_LOADERS)
    wanted = {country.upper() for country in countries}
    unknown = wanted - set(TERRITORY_LOADERS)
    if unknown:
        raise ValueError(f"unknown country code(s): {', '.join(sorted(unknown))}")
    return [country for country in TERRITORY_LOADERS if country in wanted]


def territory_records(countries: Iterable[str] | None = None, data_dir: Path = DATA_DIR) -> list[TerritoryRecord]:
    return [record for country in selected_countries(countries) for record in TERRITORY_LOADERS[country](data_dir)]


def boundary_records(countries: Iterable[str] | None = None, data_dir: Path = DATA_DIR) -> list[BoundaryRecord]:
    return [record for country in selected_countries(countries) for record in BOUNDARY_LOADERS[country](data_dir)]
