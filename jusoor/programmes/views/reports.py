"""Manual indicator values: reported with evidence (managers and coaches), decided by managers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.programmes.forms import DecisionForm, ReportForm
from jusoor.programmes.models import IndicatorReport
from jusoor.programmes.selectors.programmes import report_get, report_queue
from jusoor.programmes.services.reports import (
    indicator_report_approve,
    indicator_report_reject,
    indicator_report_submit,
)
from jusoor.programmes.views.base import ProgrammePermissionMixin, private


class ReportSubmitView(ProgrammePermissionMixin, ProtectedPageMixin, View):
    permission_required = "programmes.submit_report"

    def _render(self, request: HttpRequest, form: ReportForm, status: int = 200) -> HttpResponse:
        return render(
            request, "programmes/report_form.html", {"programme": self.programme, "form": form}, status=status
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, ReportForm(programme=self.programme))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ReportForm(request.POST, request.FILES, programme=self.programme)
        if form.is_valid():
            indicator = form.cleaned_data["indicator"]
            indicator.programme = self.programme
            try:
                indicator_report_submit(indicator=indicator, acting_user=request.user, **form.service_data())
            except ApplicationError as error:
                add_service_error(form, error, {"sex": "sex", "age_band": "age_band"})
            else:
                messages.success(request, _("The report has been sent to the managers for approval."))
                return redirect("programmes:detail", pk=pk)
        return self._render(request, form, status=400)


class ReportQueueView(ProgrammePermissionMixin, ProtectedPageMixin, View):
    """Reports waiting for a decision; POST report_id + action=approve|reject (+ reason)."""

    permission_required = "programmes.approve_report"

    def _render(self, request: HttpRequest, status: int = 200, errors: dict[int, str] | None = None) -> HttpResponse:
        context = {
            "programme": self.programme,
            "reports": report_queue(programme=self.programme),
            "decided": report_queue(programme=self.programme, status=IndicatorReport.Status.APPROVED)[-20:],
            "errors": errors or {},
        }
        return render(request, "programmes/report_queue.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report_id = request.POST.get("report_id", "")
        report = report_get(programme=self.programme, report_id=int(report_id) if report_id.isdigit() else 0)
        form = DecisionForm(request.POST)
        form.is_valid()
        reason = form.cleaned_data.get("reason", "")
        action = request.POST.get("action")
        try:
            if action == "approve":
                indicator_report_approve(report=report, acting_user=request.user, reason=reason)
            elif action == "reject":
                indicator_report_reject(report=report, acting_user=request.user, reason=reason)
            else:
                raise Http404
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, status=400, errors={report.pk: str(error.message)})
        messages.success(request, _("The report is approved.") if action == "approve" else _("The report is rejected."))
        return redirect("programmes:reports", pk=pk)


class ReportEvidenceView(ProgrammePermissionMixin, ProtectedPageMixin, View):
    """The evidence of a report, from private storage, to the managers."""

    permission_required = "programmes.approve_report"

    def get(self, request: HttpRequest, pk: int, report_id: int) -> Any:
        report = report_get(programme=self.programme, report_id=report_id)
        if not report.evidence:
            raise Http404
        name = (report.evidence.name or "").rsplit("/", 1)[-1]
        return private(FileResponse(report.evidence.open("rb"), as_attachment=True, filename=name))
