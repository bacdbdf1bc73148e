"""The results dashboard: target vs actual per indicator and per region, with a chart; XLSX and PDF."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.programmes import exports
from jusoor.programmes.selectors.dashboard import Dashboard, programme_dashboard
from jusoor.programmes.views.base import ProgrammePermissionMixin, private

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _until(request: HttpRequest) -> datetime.date:
    """`?until=YYYY-MM-DD` (today by default); 404 for anything else."""
    value = request.GET.get("until", "")
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise Http404 from exc


class DashboardMixin(ProgrammePermissionMixin, ProtectedPageMixin):
    permission_required = "programmes.view_dashboard"

    def dashboard(self, request: HttpRequest) -> Dashboard:
        return programme_dashboard(programme=self.programme, viewer=request.user, until=_until(request))


class DashboardView(DashboardMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        dashboard = self.dashboard(request)
        context = {
            "programme": self.programme,
            "dashboard": dashboard,
            "breakdowns": any(row.breakdowns for row in dashboard.rows),
        }
        return private(render(request, "programmes/dashboard.html", context))


class DashboardXlsxView(DashboardMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        dashboard = self.dashboard(request)
        response = HttpResponse(exports.dashboard_xlsx(dashboard), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(dashboard, "xlsx")}"'
        return private(response)


class DashboardPdfView(DashboardMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        dashboard = self.dashboard(request)
        response = HttpResponse(exports.dashboard_pdf(dashboard), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{exports.export_filename(dashboard, "pdf")}"'
        return private(response)
