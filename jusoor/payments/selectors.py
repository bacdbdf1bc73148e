"""Reads for the bank statement pages. The views check `payments.import_statement`; the selectors check it again
and answer "not found" to anyone else, whether the object exists or not."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from jusoor.common.exceptions import NotFoundError
from jusoor.payments.models import BankStatement, BankStatementLine

PERMISSION = "payments.import_statement"


def _check(viewer: Any) -> None:
    if not viewer.has_perm(PERMISSION):
        raise NotFoundError(_("No such bank statement."))


def bank_statement_list(*, viewer: Any) -> QuerySet[BankStatement]:
    _check(viewer)
    status = BankStatementLine.Status
    return (
        BankStatement.objects.select_related("uploaded_by")
        .annotate(
            line_count=Count("lines"),
            matched_count=Count("lines", filter=Q(lines__status=status.MATCHED)),
            review_count=Count("lines", filter=Q(lines__status__in=BankStatementLine.REVIEW_STATUSES)),
        )
        .order_by("-created_at", "-pk")
    )


def bank_statement_get(*, statement_id: int, viewer: Any) -> BankStatement:
    _check(viewer)
    statement = BankStatement.objects.select_related("uploaded_by").filter(pk=statement_id).first()
    if statement is None:
        raise NotFoundError(_("No such bank statement."))
    return statement


def bank_statement_lines(*, statement: BankStatement, viewer: Any) -> QuerySet[BankStatementLine]:
    _check(viewer)
    return statement.lines.select_related("donation", "resolved_by").order_by("line_number")


def bank_lines_to_review(*, viewer: Any) -> QuerySet[BankStatementLine]:
    _check(viewer)
    return (
        BankStatementLine.objects.filter(status__in=BankStatementLine.REVIEW_STATUSES)
        .select_related("statement", "donation")
        .order_by("booked_on", "pk")
    )


def bank_line_get(*, line_id: int, viewer: Any) -> BankStatementLine:
    _check(viewer)
    line = BankStatementLine.objects.select_related("statement", "donation").filter(pk=line_id).first()
    if line is None:
        raise NotFoundError(_("No such statement line."))
    return line
