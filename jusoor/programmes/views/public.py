"""Public pages: the list of active programmes and a programme's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from jusoor.programmes.selectors.programmes import (
    programme_calls,
    programme_get,
    programme_list_for_team,
    programme_public_list,
)


def call_url(call: Any) -> str:
    """The page of a call, when the calls app provides one ("" until then)."""
    try:
        return reverse("calls:detail", args=[call.pk])
    except NoReverseMatch:
        return ""


@require_GET
def programme_list_view(request: HttpRequest) -> HttpResponse:
    context = {
        "programmes": list(programme_public_list(viewer=request.user)),
        "mine": list(programme_list_for_team(viewer=request.user)),
        "can_add": request.user.has_perm("programmes.add_programme"),
    }
    return render(request, "programmes/list.html", context)


@require_GET
def programme_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_get(programme_id=pk, viewer=request.user)
    calls = [
        {"call": call, "url": call_url(call)} for call in programme_calls(programme=programme, viewer=request.user)
    ]
    user = request.user
    context = {
        "programme": programme,
        "calls": calls,
        "can_change": user.has_perm("programmes.change_programme", programme),
        "can_manage_team": user.has_perm("programmes.manage_team", programme),
        "can_view_dashboard": user.has_perm("programmes.view_dashboard", programme),
        "can_submit_report": user.has_perm("programmes.submit_report", programme),
        "can_approve": user.has_perm("programmes.approve_report", programme),
    }
    return render(request, "programmes/detail.html", context)
