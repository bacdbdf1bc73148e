"""The region of a territory, computed in SQL: the top of its parent chain (commune → province → region in Morocco,
municipality → governorate in Tunisia). Territories are at most three levels deep."""

from __future__ import annotations

from django.db.models import Case, F, When
from django.db.models.expressions import Combinable


def region_of(path: str) -> Combinable:
    """An expression giving the region id of the territory at `path` (e.g. "territory", "organization__territory");
    NULL when there is no territory."""
    return Case(
        When(**{f"{path}__parent__isnull": True}, then=F(f"{path}_id")),
        When(**{f"{path}__parent__parent__isnull": True}, then=F(f"{path}__parent_id")),
        default=F(f"{path}__parent__parent_id"),
    )
