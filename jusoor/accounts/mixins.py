from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from rules.contrib.views import PermissionRequiredMixin

from jusoor.accounts.selectors import user_has_2fa, user_requires_2fa


class ProtectedPageMixin(PermissionRequiredMixin):
    """A page behind a rules permission: anonymous users go to the login page, others without
    the permission get 403, and staff or finance roles must have set up two-factor authentication."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and user_requires_2fa(user) and not user_has_2fa(user):
            messages.warning(request, _("Your role requires two-factor authentication. Set it up to continue."))
            return redirect("mfa_activate_totp")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]  # rules mixin is untyped
