"""Read access to territories."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jusoor.territories.folding import fold_search_text
from jusoor.territories.models import Territory, TerritoryBoundary


def territory_list(
    *, country: str | None = None, kind: str | None = None, parent_code: str | None = None, q: str | None = None
) -> QuerySet[Territory]:
    """Territories filtered by country, kind, parent code and a name search (ar/fr/en, case and accents ignored)."""
    territories = Territory.objects.select_related("parent")
    if country:
        territories = territories.filter(country=country.upper())
    if kind:
        territories = territories.filter(kind=kind)
    if parent_code:
        territories = territories.filter(parent__code=parent_code)
    if q and q.strip():
        territories = territories.filter(search_text__contains=fold_search_text(q.strip()))
    return territories


def territory_get(*, code: str) -> Territory:
    """The territory with this primary code; raises Territory.DoesNotExist."""
    return Territory.objects.select_related("parent").prefetch_related("codes").get(code=code)


def territory_boundary_geojson(*, code: str) -> dict[str, Any]:
    """The territory's boundary as a GeoJSON Feature.

    Raises Territory.DoesNotExist for an unknown code and, when it has no boundary,
    Territory.boundary.RelatedObjectDoesNotExist (a subclass of TerritoryBoundary.DoesNotExist).
    """
    territory = Territory.objects.select_related("boundary").get(code=code)
    boundary: TerritoryBoundary = territory.boundary
    return {
        "type": "Feature",
        "geometry": boundary.geometry,
        "properties": {
            "code": territory.code,
            "kind": territory.kind,
            "names": territory.names,
            "source": boundary.source,
        },
    }
