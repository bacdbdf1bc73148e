"""The map of the actors registry: organisations counted per governorate, region or province."""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.selectors.map import (
    DEFAULT_LEVEL,
    MAP_LEVELS,
    map_areas,
    map_level_kinds,
    organization_count_by_territory,
)
from jusoor.territories.folding import fold_search_text
from jusoor.territories.models import Country, Kind

GEOJSON_CONTENT_TYPE = "application/geo+json"

LEVEL_LABELS: dict[str, Promise] = {
    Kind.GOVERNORATE: gettext_lazy("Governorates"),
    Kind.REGION: gettext_lazy("Regions"),
    Kind.PROVINCE: gettext_lazy("Provinces and prefectures"),
}
AREA_LABELS: dict[str, Promise] = {
    Kind.GOVERNORATE: gettext_lazy("Governorate"),
    Kind.REGION: gettext_lazy("Region"),
    Kind.PROVINCE: gettext_lazy("Province or prefecture"),
}
TABLE_TITLES: dict[str, Promise] = {
    Kind.GOVERNORATE: gettext_lazy("Organisations per governorate"),
    Kind.REGION: gettext_lazy("Organisations per region"),
    Kind.PROVINCE: gettext_lazy("Organisations per province or prefecture"),
}


def _map_params(request: HttpRequest) -> tuple[str, str]:
    """(country, level) from the query string: TN by default, the country's top level by default.

    ApplicationError (map_unknown_country / map_unknown_level) when they do not name a map."""
    country = request.GET.get("country", Country.TN).strip().upper()[:8]
    level = request.GET.get("level", "").strip().lower()[:32] or DEFAULT_LEVEL.get(country, "")
    map_level_kinds(country=country, level=level)
    return country, level


def _directory_urls(codes: list[str]) -> dict[str, str]:
    directory = reverse("organization_directory")
    return {code: directory + "?" + urlencode({"territory": code}) for code in codes}


def _tile_settings() -> tuple[str, str]:
    return (
        getattr(settings, "JUSOOR_MAP_TILE_URL", "") or "",
        getattr(settings, "JUSOOR_MAP_TILE_ATTRIBUTION", "") or "",
    )


def _tile_img_source(tile_url: str) -> str | None:
    """The CSP source the tile images come from (None when they are on this site)."""
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")  # "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    return f"{parts.scheme}://{host}"


@require_GET
def organization_map_view(request: HttpRequest) -> HttpResponse:
    """The map page: country tabs, a level switch for Morocco, the Leaflet map and the same figures as a table."""
    countries = [(code, label) for code, label in Country.choices if code in MAP_LEVELS]
    try:
        country, level = _map_params(request)
    except ApplicationError as error:
        context = {"countries": countries, "country": None, "error": error.message}
        return render(request, "organizations/map.html", context, status=error.status)
    counts = organization_count_by_territory(viewer=request.user, country=country, level=level)
    urls = _directory_urls(list(counts))
    rows = [
        {"code": area.code, "name": area.name, "count": counts.get(area.code, 0), "url": urls[area.code]}
        for area in sorted(map_areas(country=country, level=level), key=lambda area: fold_search_text(area.name))
    ]
    tile_url, tile_attribution = _tile_settings()
    query = urlencode({"country": country, "level": level})
    context = {
        "countries": countries,
        "country": country,
        "level": level,
        "area_label": AREA_LABELS[level],
        "table_title": TABLE_TITLES[level],
        "levels": [(code, LEVEL_LABELS[code]) for code in MAP_LEVELS[country]],
        "rows": rows,
        "total": sum(counts.values()),
        "data_url": reverse("organization_map_data") + "?" + query,
        "tile_url": tile_url,
        "tile_attribution": tile_attribution,
    }
    response = render(request, "organizations/map.html", context)
    img_source = _tile_img_source(tile_url)
    if img_source:
        response._csp_update = {"img-src": [img_source]}  # type: ignore[attr-defined]
    return response


@gzip_page
@require_GET
def organization_map_data_view(request: HttpRequest) -> HttpResponse:
    """GeoJSON FeatureCollection of the level's areas that have a boundary.

    Properties: code, name (request language), count (public organisations), url (the directory filtered by the
    area). The geometries come from the cache already serialised, and are spliced in as they are.
    """
    try:
        country, level = _map_params(request)
    except ApplicationError as error:
        return JsonResponse({"code": error.code, "message": str(error.message), "extra": {}}, status=error.status)
    counts = organization_count_by_territory(viewer=request.user, country=country, level=level)
    urls = _directory_urls(list(counts))
    features = []
    for area in map_areas(country=country, level=level):
        if area.geometry_json is None:
            continue
        properties = {
            "code": area.code,
            "name": area.name,
            "count": counts.get(area.code, 0),
            "url": urls[area.code],
        }
        features.append(
            f'{{"type":"Feature","id":{json.dumps(area.code)},'
            f'"properties":{json.dumps(properties, ensure_ascii=False)},"geometry":{area.geometry_json}}}'
        )
    body = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    return HttpResponse(body.encode(), content_type=GEOJSON_CONTENT_TYPE)
