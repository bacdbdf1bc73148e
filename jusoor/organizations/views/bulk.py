"""Bulk pages: import organisations from CSV/XLSX (upload, preview, progress, report) and export the directory."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.bulk import export, jobs, writers
from jusoor.organizations.bulk.columns import IMPORT_COLUMNS
from jusoor.organizations.bulk.messages import failure_message
from jusoor.organizations.bulk.parsing import MAX_ROWS
from jusoor.organizations.bulk.upload import ImportUploadForm
from jusoor.organizations.models import ImportJob
from jusoor.organizations.services.imports import import_job_create, import_job_start
from jusoor.organizations.views.directory import directory_filters, directory_queryset

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_PERMISSION = "organizations.import_organizations"
POLLING_STATUSES = frozenset({ImportJob.Status.PENDING, ImportJob.Status.RUNNING})


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class ImportUploadView(ProtectedPageMixin, View):
    """Upload a file: every row is checked, then the preview (a job) is shown; nothing is imported yet."""

    permission_required = IMPORT_PERMISSION
    template_name = "organizations/bulk_upload.html"

    def _render(self, request: HttpRequest, form: ImportUploadForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "columns": IMPORT_COLUMNS, "max_rows": MAX_ROWS}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ImportUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        job = import_job_create(
            acting_user=request.user,
            original_name=form.cleaned_data["file"].name or "",
            data=form.content,
            file_format=form.parsed.file_format,
            encoding=form.parsed.encoding,
            rows=form.checked.rows,
            issues=[issue.as_dict() for issue in form.checked.issues],
        )
        return redirect("organization_import_job", pk=job.pk)


class ImportJobView(ProtectedPageMixin, View):
    """The job's page: the preview (rows, errors, warnings, the import button), then the progress and result.

    With htmx, GET returns only the status fragment, which polls every 2 s while the import is waiting or
    running; without JavaScript, the page has a refresh link."""

    permission_required = IMPORT_PERMISSION

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.htmx:  # type: ignore[attr-defined]
            job = jobs.import_job_get(job_id=pk, viewer=request.user)
            return render(request, "organizations/_bulk_job_status.html", self._status_context(job))
        job = jobs.import_job_get(job_id=pk, viewer=request.user, preview=True)
        context = self._status_context(job)
        if job.status == ImportJob.Status.PREVIEW:
            context |= {
                "rows": jobs.preview_rows(job.preview_rows or []),  # type: ignore[attr-defined]
                "issues": jobs.shown_issues(job.shown_issues or []),  # type: ignore[attr-defined]
                "more_issues": max(0, job.error_count + job.warning_count - jobs.SHOWN_ISSUES),
                "preview_size": jobs.PREVIEW_ROWS,
            }
        return render(request, "organizations/bulk_job.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        jobs.import_job_get(job_id=pk, viewer=request.user)
        try:
            import_job_start(job_id=pk, acting_user=request.user)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        return redirect("organization_import_job", pk=pk)

    @staticmethod
    def _status_context(job: ImportJob) -> dict[str, Any]:
        return {"job": job, "failure": failure_message(job.failure), "polling": job.status in POLLING_STATUSES}


class ImportReportView(ProtectedPageMixin, View):
    """The job's rows as CSV: result, created organisation id and messages of each row."""

    permission_required = IMPORT_PERMISSION

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        job = jobs.import_job_get(job_id=pk, viewer=request.user, full=True)
        response = HttpResponse(writers.csv_bytes(jobs.REPORT_HEADER, jobs.report_rows(job)), content_type=CSV_TYPE)
        return _attachment(response, f"import-{job.pk}-report.csv")


class ImportTemplateView(ProtectedPageMixin, View):
    """The empty file to fill in: CSV (one header row) or XLSX (the header, plus sheets that explain)."""

    permission_required = IMPORT_PERMISSION

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if request.GET.get("format", "csv") == "xlsx":
            content = writers.import_template_xlsx(**export.template_values())
            return _attachment(HttpResponse(content, content_type=XLSX_TYPE), "organisations-template.xlsx")
        return _attachment(
            HttpResponse(writers.import_template_csv(), content_type=CSV_TYPE), "organisations-template.csv"
        )


@require_GET
def organization_export_view(request: HttpRequest) -> HttpResponseBase:
    """The directory as filtered on its page, as CSV (streamed, no limit) or XLSX (up to XLSX_MAX_ROWS)."""
    if not request.user.has_perm("organizations.export_organizations"):
        raise PermissionDenied
    file_format = request.GET.get("format", "csv")
    filters = directory_filters(request)
    query = urlencode({name: value for name, value in filters.items() if value})
    directory_url = reverse("organization_directory") + (f"?{query}" if query else "")
    if file_format not in {"csv", "xlsx"}:
        messages.error(request, _("Choose CSV or XLSX."))
        return redirect(directory_url)
    try:
        organizations = directory_queryset(request, filters)
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect(directory_url)
    stamp = timezone.localdate().isoformat()
    profile_url = request.build_absolute_uri(reverse("organization_detail", args=[0]))
    if file_format == "csv":
        lines = writers.csv_lines(export.EXPORT_HEADER, export.export_rows(organizations, profile_url=profile_url))
        response = StreamingHttpResponse(lines, content_type=CSV_TYPE)
        return _attachment(response, f"organisations-{stamp}.csv")
    if organizations.count() > export.XLSX_MAX_ROWS:
        messages.error(
            request,
            _(
                "An XLSX export holds %(limit)s organisations at most. Narrow the filters, or download the CSV, "
                "which has no limit."
            )
            % {"limit": number_format(export.XLSX_MAX_ROWS, force_grouping=True)},
        )
        return redirect(directory_url)
    content = writers.xlsx_bytes(
        [(_("Organisations"), export.EXPORT_HEADER, export.export_rows(organizations, profile_url=profile_url))]
    )
    return _attachment(HttpResponse(content, content_type=XLSX_TYPE), f"organisations-{stamp}.xlsx")
