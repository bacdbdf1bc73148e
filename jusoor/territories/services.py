"""Write the shipped territory reference data into the database."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q

from jusoor.territories import loaders
from jusoor.territories.folding import fold_search_text
from jusoor.territories.loaders import BoundaryRecord, TerritoryRecord
from jusoor.territories.models import Territory, TerritoryBoundary, TerritoryCode

logger = logging.getLogger(__name__)

TERRITORY_FIELDS = (
    "code_system",
    "country",
    "kind",
    "parent_id",
    "name_ar",
    "name_fr",
    "name_en",
    "population",
    "search_text",
)
BATCH_SIZE = 500


def territories_load(*, countries: Iterable[str] | None = None) -> dict[tuple[str, str], int]:
    """Upsert the territories, alternate codes and boundaries of the given countries (all when None).

    Idempotent: rows are matched on their code, only differing rows are written, nothing is duplicated.
    Territories that disappeared from the data files are left in place (other tables may point at them);
    alternate codes of loaded territories that are no longer in the data are removed.
    Returns the number of territories in the data per (country, kind).
    """
    records = loaders.territory_records(countries)
    boundaries = loaders.boundary_records(countries)
    with transaction.atomic():
        ids = _upsert_territories(records)
        _sync_codes(records, ids)
        _upsert_boundaries(boundaries, ids)
    return dict(sorted(Counter((record.country, record.kind) for record in records).items()))


# --- Territories -------------------------------------------------------------------------------------------
def _levels(records: Sequence[TerritoryRecord]) -> Iterator[list[TerritoryRecord]]:
    """The records in batches where every parent comes in an earlier batch (or is not in the data)."""
    depth: dict[str, int] = {}
    for record in records:  # loaders give parents first
        parent = record.parent_code
        depth[record.code] = depth[parent] + 1 if parent in depth else 0
    for level in range(max(depth.values(), default=-1) + 1):
        yield [record for record in records if depth[record.code] == level]


def _territory_values(record: TerritoryRecord, ids: dict[str, int]) -> dict[str, Any]:
    parent_id = None
    if record.parent_code is not None:
        if record.parent_code not in ids:
            raise ValueError(f"{record.code}: parent {record.parent_code} is neither in the data nor in the database")
        parent_id = ids[record.parent_code]
    return {
        "code_system": record.code_system,
        "country": record.country,
        "kind": record.kind,
        "parent_id": parent_id,
        "name_ar": record.name_ar,
        "name_fr": record.name_fr,
        "name_en": record.name_en,
        "population": record.population,
        "search_text": fold_search_text("\n".join((record.name_ar, record.name_fr, record.name_en))),
    }


def _upsert_territories(records: Sequence[TerritoryRecord]) -> dict[str, int]:
    """Create or update the territories level by level; return code -> id for them and their parents."""
    codes = {record.code for record in records}
    existing = {territory.code: territory for territory in Territory.objects.filter(code__in=codes)}
    outside_parents = {record.parent_code for record in records if record.parent_code} - codes
    ids = dict(Territory.objects.filter(code__in=outside_parents).values_list("code", "pk"))
    ids |= {code: territory.pk for code, territory in existing.items()}
    created = updated = 0
    for level in _levels(records):
        to_create: list[Territory] = []
        to_update: list[Territory] = []
        for record in level:
            values = _territory_values(record, ids)
            territory = existing.get(record.code)
            if territory is None:
                to_create.append(Territory(code=record.code, **values))
            elif any(getattr(territory, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(territory, name, value)
                to_update.append(territory)
        Territory.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        Territory.objects.bulk_update(to_update, TERRITORY_FIELDS, batch_size=BATCH_SIZE)
        ids |= {territory.code: territory.pk for territory in to_create}
        created += len(to_create)
        updated += len(to_update)
    logger.info("territories: %d created, %d updated, %d unchanged", created, updated, len(records) - created - updated)
    return ids


# --- Alternate codes ---------------------------------------------------------------------------------------
def _sync_codes(records: Sequence[TerritoryRecord], ids: dict[str, int]) -> None:
    """Make the loaded territories' alternate codes exactly those in the data."""
    wanted = {(system, code): ids[record.code] for record in records for system, code in record.alternate_codes}
    loaded_ids = {ids[record.code] for record in records}
    current = TerritoryCode.objects.filter(Q(territory_id__in=loaded_ids) | Q(code__in={code for _, code in wanted}))
    stale: list[int] = []
    moved: list[TerritoryCode] = []
    present: set[tuple[str, str]] = set()
    for row in current:
        key = (row.system, row.code)
        if key in wanted:
            present.add(key)
            if row.territory_id != wanted[key]:
                row.territory_id = wanted[key]
                moved.append(row)
        elif row.territory_id in loaded_ids:
            stale.append(row.pk)
    TerritoryCode.objects.filter(pk__in=stale).delete()
    TerritoryCode.objects.bulk_update(moved, ["territory"], batch_size=BATCH_SIZE)
    TerritoryCode.objects.bulk_create(
        [
            TerritoryCode(system=system, code=code, territory_id=wanted[(system, code)])
            for system, code in wanted.keys() - present
        ],
        batch_size=BATCH_SIZE,
    )
    logger.info("alternate codes: %d created, %d moved, %d removed", len(wanted) - len(present), len(moved), len(stale))


# --- Boundaries --------------------------------------------------------------------------------------------
def _upsert_boundaries(boundaries: Sequence[BoundaryRecord], ids: dict[str, int]) -> None:
    wanted = {ids[boundary.code]: boundary for boundary in boundaries}
    existing = {row.pk: row for row in TerritoryBoundary.objects.filter(territory_id__in=wanted)}
    to_create: list[TerritoryBoundary] = []
    to_update: list[TerritoryBoundary] = []
    for territory_id, boundary in wanted.items():
        row = existing.get(territory_id)
        if row is None:
            to_create.append(
                TerritoryBoundary(territory_id=territory_id, geometry=boundary.geometry, source=boundary.source)
            )
        elif row.geometry != boundary.geometry or row.source != boundary.source:
            row.geometry, row.source = boundary.geometry, boundary.source
            to_update.append(row)
    TerritoryBoundary.objects.bulk_create(to_create, batch_size=100)
    TerritoryBoundary.objects.bulk_update(to_update, ["geometry", "source"], batch_size=100)
    logger.info("boundaries: %d created, %d updated", len(to_create), len(to_update))
