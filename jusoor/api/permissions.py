"""The API asks the same django-rules permissions as the pages (STYLE §6): one DRF permission class."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


def _required(view: Any, attribute: str, method: str) -> str | None:
    permissions: dict[str, str] = getattr(view, attribute, None) or {}
    return permissions.get(method)


class RulesPermission(BasePermission):
    """Checks `user.has_perm(name)` / `user.has_perm(name, obj)`, the rules the HTML views use.

    A view lists the permissions per HTTP method:

    - `permission_required = {"POST": "organizations.add_organization"}`: checked before the handler runs,
      without an object;
    - `object_permission_required = {"PATCH": "organizations.change_organization"}`: checked when the view calls
      `self.check_object_permissions(request, obj)`, after loading `obj` through its selector (so a missing or
      hidden object is a 404 before any permission is asked).

    Methods not listed are allowed. Anonymous callers refused here get DRF's `not_authenticated` error,
    logged-in ones `permission_denied` (both 403 with session authentication).
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        permission = _required(view, "permission_required", request.method or "")
        return permission is None or bool(request.user.has_perm(permission))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        permission = _required(view, "object_permission_required", request.method or "")
        return permission is None or bool(request.user.has_perm(permission, obj))
