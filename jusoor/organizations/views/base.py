from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from rules.contrib.views import PermissionRequiredMixin

from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import Organization
from jusoor.organizations.selectors.organizations import organization_get


class OrganizationPermissionMixin(PermissionRequiredMixin):
    """Loads the organisation of the URL (404 when missing or hidden), then checks `permission_required`
    on it: the login page for anonymous users, 403 for others without the permission."""

    request: HttpRequest
    kwargs: dict[str, Any]
    organization: Organization

    def get_permission_object(self) -> Organization:
        if not hasattr(self, "organization"):
            self.organization = organization_get(organization_id=self.kwargs["pk"], viewer=self.request.user)
        return self.organization


def report_error(request: HttpRequest, error: ApplicationError) -> None:
    messages.error(request, str(error.message))


def form_status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


def render_status(response: HttpResponse, status: int) -> HttpResponse:
    response.status_code = status
    return response
