from __future__ import annotations

from typing import Any, TypeVar

from django.http import FileResponse, HttpRequest, HttpResponse
from rules.contrib.views import PermissionRequiredMixin

from jusoor.programmes.models import Programme
from jusoor.programmes.selectors.programmes import programme_get


class ProgrammePermissionMixin(PermissionRequiredMixin):
    """Loads the programme of the URL (404 when missing or hidden from the viewer), then checks
    `permission_required` on it: the login page for anonymous users, 403 for others without the permission."""

    request: HttpRequest
    kwargs: dict[str, Any]
    programme: Programme

    def get_permission_object(self) -> Programme:
        if not hasattr(self, "programme"):
            self.programme = programme_get(programme_id=self.kwargs["pk"], viewer=self.request.user)
        return self.programme


_Response = TypeVar("_Response", HttpResponse, FileResponse)


def private(response: _Response) -> _Response:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
