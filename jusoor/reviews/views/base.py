from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rules.contrib.views import PermissionRequiredMixin

from jusoor.calls.models import Call
from jusoor.reviews.selectors.reviews import call_get


class CallPermissionMixin(PermissionRequiredMixin):
    """Loads the call of the URL (404 when missing), then checks `permission_required` on it: the login page for
    anonymous users, 403 for others without the permission."""

    request: HttpRequest
    kwargs: dict[str, Any]
    call: Call

    def get_permission_object(self) -> Call:
        if not hasattr(self, "call"):
            self.call = call_get(call_id=self.kwargs["call_id"])
        return self.call
