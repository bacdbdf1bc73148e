"""Duplicates of an import, found set-based (a fixed number of queries, whatever the number of rows).

- Registration number: the same (registry, number) as an existing organisation or as an earlier row is an error
  (the database refuses it anyway: `organization_unique_registration`).
- Name: a name very close to an existing organisation's in the same territory (no territory: same country and
  no territory either) is a warning. Closeness is pg_trgm `similarity()` >= 0.8 between names folded by
  `jusoor_fold()` (accents, Arabic letter variants, case: the directory's search folding); every name of a row
  is compared with every name of the organisation (Arabic and Latin-script names never match each other).
  The names of the organisations in the file's places are folded once into a temporary table with a GiST
  trigram index; each name of the file then looks up its nearest neighbour there (`ORDER BY <-> LIMIT 1`,
  within `%`): the cost follows the number of names, never names × organisations, even when a place holds
  thousands of near-identical names. Seven statements in all, in one transaction.
  The same folded name twice in the file in the same territory is a warning too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from jusoor.organizations.bulk.messages import WARNING, Issue
from jusoor.organizations.models import Organization
from jusoor.territories.folding import fold_search_text

SIMILARITY_THRESHOLD = 0.8

_TABLE = Organization._meta.db_table
_NAMES_TABLE = "jusoor_import_existing_names"
_SIMILAR_SETUP = [
    f"DROP TABLE IF EXISTS pg_temp.{_NAMES_TABLE}",
    # The folded names of the organisations in the file's places (each folded once).
    f"""CREATE TEMP TABLE {_NAMES_TABLE} ON COMMIT DROP AS
        SELECT o.id, coalesce(o.territory_id, -1) AS place, o.country, n.name,
               coalesce(nullif(o.name_fr, ''), nullif(o.name_ar, ''), o.name_en) AS display
        FROM {_TABLE} AS o
        CROSS JOIN LATERAL (VALUES (jusoor_fold(o.name_ar)), (jusoor_fold(o.name_fr)), (jusoor_fold(o.name_en)))
             AS n(name)
        WHERE (o.territory_id = ANY(%s::bigint[]) OR (o.territory_id IS NULL AND o.country = ANY(%s::text[])))
          AND n.name <> ''""",  # noqa: S608  (constant table names; values are parameters)
    # 64-byte signatures: names have 20 to 60 trigrams, which saturate the default 12 bytes (measured: 9 s
    # instead of 56 s for 10,000 rows against 20,000 near-identical names in the same places).
    f"CREATE INDEX ON {_NAMES_TABLE} USING gist (name gist_trgm_ops(siglen = 64))",
    f"ANALYZE {_NAMES_TABLE}",
    # For this transaction only: `%` means similarity >= the threshold.
    "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
]
# For each name of each row, the nearest existing name in the same place (GiST k-nearest-neighbour search).
_SIMILAR_SQL = f"""
WITH incoming AS (
    SELECT r.row_no, coalesce(r.territory_id, -1) AS place, r.country, n.name
    FROM unnest(%s::int[], %s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
         AS r(row_no, territory_id, country, name_ar, name_fr, name_en)
    CROSS JOIN LATERAL (VALUES (jusoor_fold(r.name_ar)), (jusoor_fold(r.name_fr)), (jusoor_fold(r.name_en)))
         AS n(name)
    WHERE n.name <> ''
)
SELECT DISTINCT ON (incoming.row_no) incoming.row_no, nearest.id, nearest.display
FROM incoming
CROSS JOIN LATERAL (
    SELECT existing.id, existing.display, existing.name <-> incoming.name AS distance
    FROM {_NAMES_TABLE} AS existing
    WHERE existing.name %% incoming.name
      AND existing.place = incoming.place
      AND (existing.place <> -1 OR existing.country = incoming.country)
    ORDER BY existing.name <-> incoming.name
    LIMIT 1
) AS nearest
ORDER BY incoming.row_no, nearest.distance, nearest.id
"""  # noqa: S608  (the table names are constants; every value is a parameter)


def find_duplicate_registrations(rows: list[dict[str, Any]]) -> list[Issue]:
    """Errors for rows whose (registry, number) is already registered or repeats an earlier row (one query)."""
    numbered = [row for row in rows if row["registration_number"] and row["registry"]]
    if not numbered:
        return []
    registered = existing_registrations((row["registry"], row["registration_number"]) for row in numbered)
    issues: list[Issue] = []
    first_row: dict[tuple[str, str], int] = {}
    for row in numbered:
        pair = (row["registry"], row["registration_number"])
        if pair in registered:
            organization_id, name = registered[pair]
            params = {"name": name, "id": organization_id}
            issues.append(Issue(row["row"], "registration_number", "duplicate_registration", params=params))
        elif pair in first_row:
            params = {"row": first_row[pair]}
            issues.append(Issue(row["row"], "registration_number", "duplicate_registration_in_file", params=params))
        else:
            first_row[pair] = row["row"]
    return issues


def existing_registrations(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """{(registry, number): (organisation id, name)} of those already registered, in one query."""
    wanted = set(pairs)
    if not wanted:
        return {}
    found = Organization.objects.filter(
        registry__in={registry for registry, _number in wanted},
        registration_number__in={number for _registry, number in wanted},
    ).values_list("registry", "registration_number", "pk", "name_fr", "name_ar", "name_en")
    return {
        (registry, number): (pk, name_fr or name_ar or name_en)
        for registry, number, pk, name_fr, name_ar, name_en in found
        if (registry, number) in wanted
    }


def find_similar_names(rows: list[dict[str, Any]]) -> list[Issue]:
    """Warnings for names very close to an existing organisation's in the same place (one query), and for
    the same name twice in the file in the same place."""
    named = [row for row in rows if row["name_ar"] or row["name_fr"] or row["name_en"]]
    if not named:
        return []
    issues = _same_name_in_file(named)
    names = [
        [row["row"] for row in named],
        [row["territory_id"] for row in named],
        [row["country"] for row in named],
        [row["name_ar"] for row in named],
        [row["name_fr"] for row in named],
        [row["name_en"] for row in named],
    ]
    territory_ids = sorted({row["territory_id"] for row in named if row["territory_id"]})
    countries = sorted({row["country"] for row in named if not row["territory_id"] and row["country"]})
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in _SIMILAR_SETUP:
            params = (
                [territory_ids, countries]
                if "ANY" in statement
                else [str(SIMILARITY_THRESHOLD)]
                if "%s" in statement
                else None
            )
            cursor.execute(statement, params)
        cursor.execute(_SIMILAR_SQL, names)
        for row_number, organization_id, name in cursor.fetchall():
            issues.append(
                Issue(row_number, "", "similar_name", level=WARNING, params={"name": name, "id": organization_id})
            )
    return issues


def _same_name_in_file(rows: list[dict[str, Any]]) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        if not row["territory_id"] and not row["country"]:
            continue
        place = (row["territory_id"], row["country"] if not row["territory_id"] else "")
        names = {" ".join(fold_search_text(row[f"name_{code}"]).split()) for code in ("ar", "fr", "en")} - {""}
        earlier = next((seen[(*place, name)] for name in names if (*place, name) in seen), None)
        if earlier is not None:
            issues.append(Issue(row["row"], "", "same_name_in_file", level=WARNING, params={"row": earlier}))
        for name in names:
            seen.setdefault((*place, name), row["row"])
    return issues
