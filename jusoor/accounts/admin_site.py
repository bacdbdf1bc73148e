"""The Django admin, for platform staff only, and only with two-factor authentication on."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class JusoorAdminSite(admin.AdminSite):
    site_header = "Jusoor"
    site_title = "Jusoor"

    def has_permission(self, request: HttpRequest) -> bool:
        from jusoor.accounts.selectors import user_has_2fa  # noqa: PLC0415  (models are not ready at import)

        return super().has_permission(request) and user_has_2fa(request.user)


class JusoorAdminConfig(AdminConfig):
    default_site = "jusoor.accounts.admin_site.JusoorAdminSite"
