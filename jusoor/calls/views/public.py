"""Public pages: the open calls with filters, and a call's page (eligibility summary, the apply button)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jusoor.calls.models import Call
from jusoor.calls.selectors.applications import user_applications
from jusoor.calls.selectors.calls import call_get, call_questions, open_call_list
from jusoor.calls.services.eligibility import eligibility_evaluate
from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import Theme
from jusoor.organizations.selectors.memberships import user_organizations
from jusoor.territories.models import Country

PAGE_SIZE = 20


@require_GET
def call_list_view(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "").strip()[:64] for name in ("country", "theme", "programme")}
    programme = filters["programme"]
    error, status = "", 200
    try:
        calls = open_call_list(
            viewer=request.user,
            country=filters["country"],
            theme=filters["theme"],
            programme_id=int(programme) if programme.isdigit() else None,
        )
    except ApplicationError as exc:
        error, status = str(exc.message), 400
        calls = Call.objects.none()
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "filters": filters,
        "error": error,
        "page_obj": page,
        "calls": list(page.object_list),
        "countries": Country.choices,
        "themes": list(Theme.objects.order_by("slug")),
        "query_string": urlencode({k: v for k, v in filters.items() if v}),
    }
    template = "calls/_list_results.html" if request.htmx else "calls/list.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


@require_GET
def call_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The call, and for an organisation's administrator, how each of their organisations fares against its rules."""
    call = call_get(call_id=pk, viewer=request.user)
    user = request.user
    checks = []
    existing = {}
    if user.is_authenticated:
        existing = {a.organization_id: a for a in user_applications(viewer=user).filter(call=call)}
        for organization in user_organizations(user=user).select_related("territory__parent__parent"):
            results = eligibility_evaluate(call=call, organization=organization)
            checks.append(
                {
                    "organization": organization,
                    "results": results,
                    "eligible": all(r["ok"] for r in results),
                    "application": existing.get(organization.pk),
                }
            )
    context = {
        "call": call,
        "questions": call_questions(call=call),
        "checks": checks,
        "can_apply": user.has_perm("calls.apply", call),
        "can_change": user.has_perm("calls.change_call", call),
    }
    return render(request, "calls/detail.html", context)
