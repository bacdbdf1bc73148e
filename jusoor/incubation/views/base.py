from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin


class IncubationView(ProtectedPageMixin, View):
    """A page about one object: `load()` fetches it (404 when missing or hidden from the viewer), then
    `permission_required` is checked on it (login for anonymous users, 403 for others without the permission)."""

    request: HttpRequest
    kwargs: dict[str, Any]
    permission_required: str
    template_name = ""
    object: Any

    def load(self) -> Any:
        raise NotImplementedError

    def get_permission_object(self) -> Any:
        if not hasattr(self, "object"):
            self.object = self.load()
        return self.object

    def page(self, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, context, status=status)
