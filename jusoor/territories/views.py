from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jusoor.territories.models import Country, Territory
from jusoor.territories.selectors import territory_get, territory_list

TOP_KIND = {"TN": "governorate", "MA": "region", "FR": "region"}


@require_GET
def territory_browse(request: HttpRequest) -> HttpResponse:
    """Browse countries → top level → children; with `q`, search names in any language.

    Serves the whole page, or only the results list when asked by htmx (live search)."""
    country = request.GET.get("country", "TN")
    if country not in Country.values:
        country = "TN"
    q = request.GET.get("q", "").strip()[:100]
    parent: Territory | None = None
    parent_code = request.GET.get("parent", "").strip()[:32]
    if parent_code:
        try:
            parent = territory_get(code=parent_code)
            country = parent.country
        except Territory.DoesNotExist:
            parent = None
    if q:
        territories = territory_list(country=country, q=q)
    elif parent is not None:
        territories = territory_list(parent_code=parent.code)
    else:
        territories = territory_list(country=country, kind=TOP_KIND[country])
    page = Paginator(territories, 60).get_page(request.GET.get("page"))
    ancestors: list[Territory] = []
    node = parent
    while node is not None:
        ancestors.insert(0, node)
        node = node.parent
    context = {
        "countries": Country.choices,
        "country": country,
        "parent": parent,
        "ancestors": ancestors,
        "q": q,
        "page_obj": page,
        "territories": page.object_list,
        "query_string": urlencode({k: v for k, v in {"country": country, "parent": parent_code, "q": q}.items() if v}),
    }
    template = "territories/_results.html" if request.htmx else "territories/browse.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_GET
def territory_suggest(request: HttpRequest) -> HttpResponse:
    """`<option>`s for a territory input's datalist (htmx), matching `territory` or `q` by name."""
    q = (request.GET.get("territory") or request.GET.get("q") or "").strip()[:100]
    territories = territory_list(q=q)[:20] if len(q) >= 2 else Territory.objects.none()
    return render(request, "territories/_suggestions.html", {"territories": territories})
