from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rules.contrib.views import PermissionRequiredMixin

from jusoor.calls.models import Application, Call
from jusoor.calls.selectors.applications import application_get
from jusoor.calls.selectors.calls import call_get


class CallPermissionMixin(PermissionRequiredMixin):
    """Loads the call of the URL (404 when missing or hidden from the viewer), then checks `permission_required`."""

    request: HttpRequest
    kwargs: dict[str, Any]
    call: Call

    def get_permission_object(self) -> Call:
        if not hasattr(self, "call"):
            self.call = call_get(call_id=self.kwargs["pk"], viewer=self.request.user)
        return self.call


class ApplicationPermissionMixin(PermissionRequiredMixin):
    """Loads the application of the URL if the viewer may see it (404 otherwise), then checks `permission_required`
    (403 for someone who sees it without that permission)."""

    request: HttpRequest
    kwargs: dict[str, Any]
    application: Application

    def get_permission_object(self) -> Application | None:
        if not self.request.user.is_authenticated:
            return None  # the login page, not a 404
        if not hasattr(self, "application"):
            self.application = application_get(application_id=self.kwargs["pk"], viewer=self.request.user)
        return self.application
