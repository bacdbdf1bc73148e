"""Loading the object of a URL for the grants pages: 404 when it does not exist, then the permission mixin
answers the login page (anonymous) or 403 (logged in without the permission)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from jusoor.common.exceptions import NotFoundError

T = TypeVar("T")


def load(getter: Callable[..., T], **kwargs: Any) -> T:
    try:
        return getter(**kwargs)
    except NotFoundError as error:
        raise Http404(str(error.message)) from error


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)
