"""Telling anonymous callers 401 (not 403), and the two-factor check of staff roles.

DRF answers 403 to an unauthenticated caller unless the view names a scheme for the `WWW-Authenticate` header;
views with this mixin name the session cookie, so "log in first" (401 `not_authenticated`) and "not allowed"
(403 `permission_denied`) differ on the endpoints that list donors or open matching pots.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.request import Request

from jusoor.accounts.selectors import user_has_2fa, user_requires_2fa


class AnonymousIs401Mixin:
    def get_authenticate_header(self, request: Request) -> str:
        return 'Session realm="api"'


def require_two_factor(user: Any) -> None:
    """As on the protected pages: finance officers and platform administrators must have set up two-factor
    authentication (403 `two_factor_required` otherwise)."""
    if user_requires_2fa(user) and not user_has_2fa(user):
        raise exceptions.PermissionDenied(
            _("Your role requires two-factor authentication. Set it up to continue."), code="two_factor_required"
        )
