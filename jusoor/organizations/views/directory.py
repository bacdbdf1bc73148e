from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import Organization, OrganizationKind, SDGGoal, Theme
from jusoor.organizations.selectors.directory import SEARCH_CANDIDATES, organization_directory
from jusoor.territories.models import Country

FILTERS = ("q", "country", "territory", "kind", "theme", "sdg", "verified", "sort")
PAGE_SIZE = 20
SORTS = [("relevance", _("Relevance")), ("name", _("Name")), ("newest", _("Newest"))]


def directory_filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip()[:200] for name in FILTERS}


def directory_queryset(request: HttpRequest, filters: dict[str, str]) -> QuerySet[Organization]:
    """The directory for the request's filters (shared with the exports). Raises ApplicationError on bad input."""
    sdg = filters["sdg"]
    return organization_directory(
        viewer=request.user,
        q=filters["q"],
        country=filters["country"],
        territory_code=filters["territory"],
        kind=filters["kind"],
        theme=filters["theme"],
        sdg=int(sdg) if sdg.isdigit() else None,
        verified_only=filters["verified"] == "1",
        sort=filters["sort"] or "relevance",
    )


@require_GET
def organization_directory_view(request: HttpRequest) -> HttpResponse:
    """The public directory: full page, or only the results when htmx asks (live search and filters)."""
    filters = directory_filters(request)
    error = ""
    status = 200
    try:
        organizations = directory_queryset(request, filters)
    except ApplicationError as exc:
        error, status = str(exc.message), 400
        organizations = Organization.objects.none()
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "too_many": bool(filters["q"]) and page.paginator.count > SEARCH_CANDIDATES,
        "search_cap": SEARCH_CANDIDATES,
        "error": error,
        "page_obj": page,
        "organizations": page.object_list,
        "query_string": urlencode({k: v for k, v in filters.items() if v}),
        "countries": Country.choices,
        "kinds": OrganizationKind.objects.all(),
        "themes": Theme.objects.all(),
        "sdgs": SDGGoal.objects.all(),
        "sorts": SORTS,
    }
    template = "organizations/_directory_results.html" if request.htmx else "organizations/directory.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)
