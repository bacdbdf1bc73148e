"""Bank statement pages for finance staff: import a statement, see its lines, review the lines left over."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError, NotFoundError
from jusoor.payments import selectors
from jusoor.payments.forms import LineActionForm, StatementUploadForm
from jusoor.payments.models import BankStatementLine
from jusoor.payments.services.statements import (
    bank_line_ignore,
    bank_line_match,
    bank_line_resolve,
    bank_statement_import,
)
from jusoor.payments.statement_csv import COLUMNS

PERMISSION = "payments.import_statement"


def _not_found(error: NotFoundError) -> Http404:
    return Http404(str(error.message))


class StatementListView(ProtectedPageMixin, View):
    """The imported statements and the upload form. Uploading imports the file and matches its lines at once."""

    permission_required = PERMISSION
    template_name = "payments/statements.html"

    def _render(
        self, request: HttpRequest, form: StatementUploadForm, errors: list[str] | None = None, status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "errors": errors or [],
            "columns": COLUMNS,
            "statements": selectors.bank_statement_list(viewer=request.user)[:50],
            "review_count": selectors.bank_lines_to_review(viewer=request.user).count(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, StatementUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StatementUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        upload = form.cleaned_data["file"]
        try:
            result = bank_statement_import(filename=upload.name or "", content=upload.read(), acting_user=request.user)
        except ApplicationError as error:
            form.add_error("file", str(error.message))
            return self._render(request, form, errors=list(error.extra.get("errors", [])), status=400)
        status = BankStatementLine.Status
        review = sum(result.counts[s] for s in BankStatementLine.REVIEW_STATUSES)
        messages.success(
            request,
            _(
                "Statement imported. Donations confirmed: %(matched)s. Lines to review: %(review)s. "
                "Lines skipped: %(skipped)s."
            )
            % {"matched": result.counts[status.MATCHED], "review": review, "skipped": result.skipped},
        )
        return redirect("payments:statement_detail", pk=result.statement.pk)


class StatementDetailView(ProtectedPageMixin, View):
    permission_required = PERMISSION

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            statement = selectors.bank_statement_get(statement_id=pk, viewer=request.user)
        except NotFoundError as error:
            raise _not_found(error) from error
        lines = selectors.bank_statement_lines(statement=statement, viewer=request.user)
        context = {"statement": statement, "lines": lines, "next": request.get_full_path()}
        return render(request, "payments/statement_detail.html", context)


class StatementReviewView(ProtectedPageMixin, View):
    """Every line, of every statement, that still needs finance staff."""

    permission_required = PERMISSION

    def get(self, request: HttpRequest) -> HttpResponse:
        lines = selectors.bank_lines_to_review(viewer=request.user)[:500]
        context = {"lines": lines, "next": request.get_full_path()}
        return render(request, "payments/statement_review.html", context)


class StatementLineView(ProtectedPageMixin, View):
    """POST one review action on a line: match it to a pledge of its amount, resolve it by hand, or ignore it.
    With htmx the line's row is swapped in place; without, the browser goes back to the page it came from."""

    permission_required = PERMISSION

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        try:
            line = selectors.bank_line_get(line_id=pk, viewer=request.user)
        except NotFoundError as error:
            raise _not_found(error) from error
        form = LineActionForm(request.POST)
        error_message = ""
        if not form.is_valid():
            error_message = _("Choose an action.")
        else:
            data = form.cleaned_data
            try:
                line = self._act(data, line.pk, request.user)
            except ApplicationError as error:
                error_message = str(error.message)
        if request.htmx:  # type: ignore[attr-defined]
            line = selectors.bank_line_get(line_id=pk, viewer=request.user)
            context = {"line": line, "error": error_message, "next": self._next(request, line)}
            return render(request, "payments/_line_row.html", context)
        if error_message:
            messages.error(request, error_message)
        else:
            messages.success(
                request,
                _("Line %(reference)s: %(status)s.")
                % {
                    "reference": line.bank_reference,
                    "status": line.get_status_display(),
                },
            )
        return redirect(self._next(request, line))

    @staticmethod
    def _act(data: dict[str, Any], line_id: int, user: Any) -> BankStatementLine:
        if data["action"] == "match":
            return bank_line_match(line_id=line_id, reference=data["reference"], note=data["note"], acting_user=user)
        if data["action"] == "resolve":
            return bank_line_resolve(line_id=line_id, note=data["note"], acting_user=user)
        return bank_line_ignore(line_id=line_id, note=data["note"], acting_user=user)

    @staticmethod
    def _next(request: HttpRequest, line: BankStatementLine) -> str:
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return target
        return reverse("payments:statement_detail", kwargs={"pk": line.statement_id})
