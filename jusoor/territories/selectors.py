from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jusoor.territories.models import Territory


def territory_list(
    *, country: str | None = None, kind: str | None = None, parent_code: str | None = None, q: str | None = None
) -> QuerySet[Territory]:
    territories = Territory.objects.select_related("parent")
    if country:
        territories = territories.filter(country=country)
    if kind:
        territories = territories.filter(kind=kind)
    if parent_code:
        territories = territories.filter(parent__code=parent_code)
    if q:
        territories = territories.filter(Q(name_ar__icontains=q) | Q(name_fr__icontains=q) | Q(name_en__icontains=q))
    return territories


def territory_get(*, code: str) -> Territory:
    return Territory.objects.select_related("parent").prefetch_related("codes").get(code=code)


def territory_boundary_geojson(*, code: str) -> dict[str, Any]:
    territory = Territory.objects.select_related("boundary").get(code=code)
    return {
        "type": "Feature",
        "geometry": territory.boundary.geometry,
        "properties": {"code": territory.code, "kind": territory.kind, "name": territory.names},
    }
