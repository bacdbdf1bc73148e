"""Read side of the actors map: the areas of a map level and the number of public organisations in each."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, Value, When
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError
from jusoor.common.i18nfield import localized
from jusoor.organizations.models import Organization
from jusoor.territories.models import Country, Kind, Territory

# The map levels of each country and the territory kinds drawn at that level.
# Territories form a tree at most 3 deep (TN governorate → municipality; MA region → province/prefecture → commune),
# so an organisation's area is its territory, its parent or its grandparent.
MAP_LEVELS: dict[str, dict[str, tuple[str, ...]]] = {
    Country.TN: {Kind.GOVERNORATE: (Kind.GOVERNORATE,)},
    Country.MA: {Kind.REGION: (Kind.REGION,), Kind.PROVINCE: (Kind.PROVINCE, Kind.PREFECTURE)},
}
DEFAULT_LEVEL: dict[str, str] = {Country.TN: Kind.GOVERNORATE, Country.MA: Kind.REGION}

# Boundaries are reference data (changed only by `load_territories`): keep each level's areas for a while.
AREAS_CACHE_TIMEOUT = 6 * 60 * 60
AREAS_CACHE_VERSION = 1


@dataclass(frozen=True)
class MapArea:
    code: str
    names: dict[str, str]
    # The boundary as GeoJSON text, serialised once (the cache keeps it ready to splice into a response);
    # None when the territory has no boundary.
    geometry_json: str | None

    @property
    def name(self) -> str:
        return localized(self.names)


def map_level_kinds(*, country: str, level: str) -> tuple[str, ...]:
    """The territory kinds drawn for this country and level; ApplicationError when the pair is not a map level."""
    levels = MAP_LEVELS.get(country)
    if levels is None:
        raise ApplicationError(_("There is no map for this country."), code="map_unknown_country")
    kinds = levels.get(level)
    if kinds is None:
        raise ApplicationError(_("There is no map at this level for this country."), code="map_unknown_level")
    return kinds


def map_areas(*, country: str, level: str) -> list[MapArea]:
    """Every territory of the map level, ordered by code, with its names and boundary (one query, then cached)."""
    kinds = map_level_kinds(country=country, level=level)
    key = f"organizations:map:areas:{country}:{level}"
    areas: list[MapArea] | None = cache.get(key, version=AREAS_CACHE_VERSION)
    if areas is None:
        rows = (
            Territory.objects.filter(country=country, kind__in=kinds)
            .order_by("code")
            .values_list("code", "name_ar", "name_fr", "name_en", "boundary__geometry")
        )
        areas = [
            MapArea(
                code=code,
                names={"ar": name_ar, "fr": name_fr, "en": name_en},
                geometry_json=None if geometry is None else json.dumps(geometry, separators=(",", ":")),
            )
            for code, name_ar, name_fr, name_en, geometry in rows
        ]
        cache.set(key, areas, AREAS_CACHE_TIMEOUT, version=AREAS_CACHE_VERSION)
    return areas


def organization_count_by_territory(*, viewer: Any, country: str, level: str) -> dict[str, int]:
    """{area code: number of public organisations whose territory is the area or inside it}, for every area of
    the level (zero included), ordered by code.

    Only public organisations (pending or verified) are counted, whoever the viewer is: the map is a public
    aggregate. Organisations without a territory, or placed above the level (a region on the province map),
    are not counted. One query, plus one for the areas when they are not cached.
    """
    kinds = map_level_kinds(country=country, level=level)
    counts = dict.fromkeys((area.code for area in map_areas(country=country, level=level)), 0)
    area_code = Case(
        When(territory__kind__in=kinds, then=F("territory__code")),
        When(territory__parent__kind__in=kinds, then=F("territory__parent__code")),
        When(territory__parent__parent__kind__in=kinds, then=F("territory__parent__parent__code")),
        default=Value(None),
        output_field=CharField(),
    )
    rows = (
        Organization.objects.filter(status__in=Organization.PUBLIC_STATUSES, territory__country=country)
        .annotate(area_code=area_code)
        .order_by()
        .values("area_code")
        .annotate(count=Count("pk"))
        .values_list("area_code", "count")
    )
    for code, count in rows:
        if code in counts:
            counts[code] = count
    return counts
