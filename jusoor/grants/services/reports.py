"""Narrative and financial reports of a grant: submitted by the organisation, approved or rejected by a manager.

A report may be submitted for a tranche (the tranche becomes "report submitted"): the tranche is released only
once that report is approved. Beneficiary counts of approved reports feed the programme's indicators.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.uploads import DOCUMENT_TYPES, check_upload, discard_files_on_error
from jusoor.grants.error_codes import GrantErrorCode
from jusoor.grants.models import Grant, GrantReport, GrantTranche
from jusoor.grants.services.common import ensure_perm, field_error, invalid_transition, parse_money
from jusoor.grants.services.notify import notify_grantees

MAX_STATEMENT_BYTES = 10 * 1024 * 1024
REPORTABLE = frozenset({Grant.Status.AGREED, Grant.Status.ACTIVE, Grant.Status.COMPLETED})
SEXES = ("women", "men")


def _count(raw: Any, field: str) -> int:
    try:
        value = int(str(raw if raw is not None else 0).strip() or 0)
    except ValueError:
        value = -1
    if value < 0:
        raise field_error(_("Enter a whole number, zero or more."), GrantErrorCode.REPORT_INVALID, field)
    return value


def _spent(raw: Any, currency: str) -> Decimal:
    """What was spent: zero or more, in the grant's currency."""
    if raw is None or str(raw).strip() in {"", "0"}:
        return Decimal("0")
    return parse_money(raw, currency, "spent_amount")


def _breakdown(raw: dict[str, dict[str, Any]] | None, totals: dict[str, int]) -> dict[str, dict[str, int]]:
    """{"direct": {"women": n, "men": n}, …}: optional per kind; when given, it adds up to the kind's total."""
    result: dict[str, dict[str, int]] = {}
    for kind, total in totals.items():
        cells = (raw or {}).get(kind) or {}
        if not any(str(cells.get(sex, "")).strip() for sex in SEXES):
            continue
        counts = {sex: _count(cells.get(sex), f"{kind}_{sex}") for sex in SEXES}
        if sum(counts.values()) != total:
            raise field_error(
                _("Women and men must add up to the number of beneficiaries (%(total)s).") % {"total": total},
                GrantErrorCode.REPORT_INVALID,
                f"{kind}_women",
            )
        result[kind] = counts
    return result


def grant_report_submit(
    *,
    grant: Grant,
    narrative: str,
    spent_amount: Any,
    acting_user: Any,
    financial_statement: UploadedFile | None = None,
    beneficiaries_direct: Any = 0,
    beneficiaries_indirect: Any = 0,
    breakdown: dict[str, dict[str, Any]] | None = None,
    tranche: GrantTranche | None = None,
) -> GrantReport:
    """An owner or administrator of the organisation reports on the grant, optionally to request a tranche."""
    ensure_perm(acting_user, "grants.submit_report", grant)
    narrative = (narrative or "").strip()
    if not narrative:
        raise field_error(_("Write the narrative report."), GrantErrorCode.REPORT_INVALID, "narrative")
    spent = _spent(spent_amount, grant.currency)
    direct = _count(beneficiaries_direct, "beneficiaries_direct")
    indirect = _count(beneficiaries_indirect, "beneficiaries_indirect")
    cells = _breakdown(breakdown, {"direct": direct, "indirect": indirect})
    if financial_statement is None:
        raise field_error(
            _("Attach the financial statement (PDF or image)."), GrantErrorCode.REPORT_INVALID, "financial_statement"
        )
    sniffed = check_upload(
        financial_statement, allowed=DOCUMENT_TYPES, max_bytes=MAX_STATEMENT_BYTES, size=financial_statement.size or 0
    )
    if tranche is not None and tranche.grant_id != grant.pk:
        raise field_error(_("This tranche is not one of this grant's."), GrantErrorCode.REPORT_INVALID, "tranche")
    with discard_files_on_error() as files, transaction.atomic():
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        if locked.status not in REPORTABLE:
            raise invalid_transition(locked.get_status_display(), "report")
        locked_tranche = None
        if tranche is not None:
            locked_tranche = GrantTranche.objects.select_for_update().get(pk=tranche.pk)
            if GrantTranche.Status.REQUESTED not in GrantTranche.TRANSITIONS[locked_tranche.status]:
                raise invalid_transition(locked_tranche.get_status_display(), GrantTranche.Status.REQUESTED)
        report = GrantReport(
            grant=locked,
            narrative=narrative,
            spent_amount=spent,
            beneficiaries_direct=direct,
            beneficiaries_indirect=indirect,
            breakdown=cells,
            submitted_by=acting_user,
        )
        files.save(
            report.financial_statement,
            f"grant-{locked.pk}-report-{secrets.token_hex(8)}.{sniffed.extension}",
            financial_statement,
        )
        report.save()
        if locked_tranche is not None:
            locked_tranche.report = report
            locked_tranche.status = GrantTranche.Status.REQUESTED
            locked_tranche.save(update_fields=["report", "status"])
        audit_log(
            actor=acting_user,
            action="grants.report.submitted",
            target=report,
            changes={
                "tranche": locked_tranche.pk if locked_tranche else None,
                "spent": str(report.spent_amount),
                "beneficiaries": [direct, indirect],
            },
        )
    return report


def _decide(*, report: GrantReport, target: str, comment: str, acting_user: Any) -> GrantReport:
    ensure_perm(acting_user, "grants.decide_report", report.grant)
    with transaction.atomic():
        locked = GrantReport.objects.select_for_update(of=("self",)).select_related("grant").get(pk=report.pk)
        if locked.status == target:
            return locked
        if locked.status != GrantReport.Status.SUBMITTED:
            raise field_error(_("This report has already been decided."), GrantErrorCode.ALREADY_DECIDED, "__all__")
        locked.status = target
        locked.decision_comment = comment
        locked.decided_by = acting_user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decision_comment", "decided_by", "decided_at", "updated_at"])
        audit_log(
            actor=acting_user,
            action=f"grants.report.{target}",
            target=locked,
            changes={"status": {"old": GrantReport.Status.SUBMITTED, "new": target}, "comment": comment},
        )
        notify_grantees(grant=locked.grant, template_prefix="grants/email/report_decided", context={"report": locked})
    return locked


def grant_report_approve(*, report: GrantReport, acting_user: Any, comment: str = "") -> GrantReport:
    return _decide(
        report=report, target=GrantReport.Status.APPROVED, comment=(comment or "").strip(), acting_user=acting_user
    )


def grant_report_reject(*, report: GrantReport, comment: str, acting_user: Any) -> GrantReport:
    comment = (comment or "").strip()
    if not comment:
        raise field_error(_("Say what is missing from the report."), GrantErrorCode.REPORT_INVALID, "comment")
    return _decide(report=report, target=GrantReport.Status.REJECTED, comment=comment, acting_user=acting_user)
