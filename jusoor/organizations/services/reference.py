"""Write the shipped reference taxonomies into the database: organisation kinds, themes, SDG goals and targets.

The data files live in `jusoor/organizations/data/` (sources and licences: `data/SOURCES.md`); nothing outside
the repository is read. Loading is an idempotent upsert in one transaction:

- kinds and themes are matched on their slug; a row whose slug is in the file gets the file's label and
  position (the file wins), a row the platform admin added (slug not in the file) is never touched or deleted.
  `can_receive_funds` is a policy the admin owns: it is set when a kind is created, never overwritten;
- goals are matched on their number, targets on their code; titles, short names, colours and positions
  follow the file.

Only rows that differ are written, so a second load writes nothing.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from jusoor.organizations.models import OrganizationKind, SDGGoal, SDGTarget, Theme

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LANGUAGES = ("ar", "fr", "en")
# Languages a label may not lack. Arabic titles of three SDG targets are missing upstream (see SOURCES.md).
REQUIRED = {"kinds": LANGUAGES, "themes": LANGUAGES, "sdg_goals": LANGUAGES, "sdg_targets": ("fr", "en")}


def reference_data(name: str) -> list[dict[str, Any]]:
    """The rows of one data file (`kinds`, `themes`, `sdg_goals`, `sdg_targets`), checked; a fresh copy."""
    return copy.deepcopy(_read(name))


@cache
def _read(name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
    for row in rows:
        for field in ("label", "title", "short"):
            if field in row:
                _check_label(name, row, row[field])
    return rows


def _check_label(name: str, row: dict[str, Any], label: Any) -> None:
    key = row.get("slug") or row.get("code") or row.get("number")
    if not isinstance(label, dict) or set(label) != set(LANGUAGES):
        raise ValueError(f"{name} {key}: a label needs exactly the keys ar, fr, en")
    missing = [lang for lang in REQUIRED[name] if not str(label[lang]).strip()]
    if missing:
        raise ValueError(f"{name} {key}: label missing in {', '.join(missing)}")


def _upsert(
    model: Any, key: str, rows: list[dict[str, Any]], fields: tuple[str, ...], on_create: tuple[str, ...] = ()
) -> tuple[int, int]:
    """Create missing rows, update differing ones; returns (created, updated)."""
    existing = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": [r[key] for r in rows]})}
    to_create: list[Any] = []
    to_update: list[Any] = []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**{key: row[key]}, **{f: row[f] for f in fields + on_create}))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, list(fields))
    return len(to_create), len(to_update)


@transaction.atomic
def reference_load() -> dict[str, int]:
    """Upsert kinds, themes, SDG goals and targets. Returns the rows in each file and how many were written."""
    kinds, themes = reference_data("kinds"), reference_data("themes")
    goals, targets = reference_data("sdg_goals"), reference_data("sdg_targets")
    created = updated = 0
    for model, rows, on_create in ((OrganizationKind, kinds, ("can_receive_funds",)), (Theme, themes, ())):
        c, u = _upsert(model, "slug", rows, ("label", "position"), on_create)
        created, updated = created + c, updated + u
    c, u = _upsert(SDGGoal, "number", goals, ("title", "short", "color"))
    created, updated = created + c, updated + u
    target_rows = [{**row, "goal_id": row["goal"]} for row in targets]
    c, u = _upsert(SDGTarget, "code", target_rows, ("goal_id", "title", "position"))
    created, updated = created + c, updated + u
    return {
        "kinds": len(kinds),
        "themes": len(themes),
        "sdg_goals": len(goals),
        "sdg_targets": len(targets),
        "created": created,
        "updated": updated,
    }
