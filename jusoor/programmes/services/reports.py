"""Values of manual indicators, reported with evidence and approved or rejected by a manager.

The evidence (PDF, PNG, JPEG or WebP, 10 MB at most) is checked by content and kept in private storage under a name
of ours. Only approved reports count on the dashboard. A decision is audited and mailed to the person who reported,
in their language, after commit.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.mail import mail_queue
from jusoor.common.uploads import DOCUMENT_TYPES, check_upload, discard_files_on_error
from jusoor.organizations.models import Organization
from jusoor.programmes.disaggregation import REGION, VALUES
from jusoor.programmes.error_codes import ProgrammeErrorCode
from jusoor.programmes.models import Indicator, IndicatorReport
from jusoor.programmes.services.indicators import check_value
from jusoor.programmes.services.programmes import error
from jusoor.territories.models import Territory

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_NOTE = 2000
Status = IndicatorReport.Status


def _clean_cells(indicator: Indicator, disaggregation: dict[str, str] | None) -> dict[str, str]:
    cells = {key: value for key, value in (disaggregation or {}).items() if value}
    for key, value in cells.items():
        if key not in indicator.disaggregations or key == REGION or value not in VALUES.get(key, {}):
            raise error(
                _("Choose the breakdown values from the lists of this indicator."),
                ProgrammeErrorCode.DISAGGREGATION_INVALID,
                key if key in VALUES else "__all__",
            )
    return cells


@transaction.atomic
def indicator_report_submit(
    *,
    indicator: Indicator,
    acting_user: Any,
    period_end: datetime.date,
    value: Decimal,
    evidence: UploadedFile | None,
    region: Territory | None = None,
    organization: Organization | None = None,
    disaggregation: dict[str, str] | None = None,
    note: str = "",
) -> IndicatorReport:
    """Report a value of a manual indicator for the period ending on `period_end`, with its evidence."""
    if indicator.kind != Indicator.Kind.MANUAL:
        raise error(
            _("This indicator is computed by the platform: nothing to report by hand."), ProgrammeErrorCode.NOT_MANUAL
        )
    if not isinstance(period_end, datetime.date):
        raise error(_("Give the end of the period."), ProgrammeErrorCode.DATE_INVALID, "period_end")
    check_value(value, field="value")
    if region is not None and not indicator.programme.territories.filter(pk=region.pk).exists():
        raise error(_("Choose one of the programme's regions."), ProgrammeErrorCode.REGION_INVALID, "region")
    cells = _clean_cells(indicator, disaggregation)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise error(
            _("The note has at most %(count)d characters.") % {"count": MAX_NOTE},
            ProgrammeErrorCode.VALUE_INVALID,
            "note",
        )
    if evidence is None:
        raise error(_("Attach the evidence of this value."), ProgrammeErrorCode.EVIDENCE_REQUIRED, "evidence")
    size = evidence.size or 0
    try:
        sniffed = check_upload(evidence, allowed=DOCUMENT_TYPES, max_bytes=MAX_EVIDENCE_BYTES, size=size)
    except ApplicationError as exc:
        raise error(str(exc.message), exc.code, "evidence") from exc
    report = IndicatorReport(
        indicator=indicator,
        period_end=period_end,
        value=value,
        disaggregation=cells,
        region=region,
        organization=organization,
        note=note,
        submitted_by=acting_user,
    )
    with discard_files_on_error() as files:
        files.save(report.evidence, f"{indicator.pk}-{secrets.token_hex(12)}.{sniffed.extension}", evidence)
        report.save()
    audit_log(
        actor=acting_user,
        action="programmes.indicator_report.submitted",
        target=report,
        changes={
            "indicator": indicator.pk,
            "period_end": period_end,
            "value": value,
            "region": region.pk if region else None,
            "disaggregation": cells,
        },
    )
    return report


def _decide(report: IndicatorReport, *, acting_user: Any, target: str, reason: str, action: str) -> IndicatorReport:
    report = (
        IndicatorReport.objects.select_for_update(of=("self",))
        .select_related("indicator__programme", "submitted_by")
        .get(pk=report.pk)
    )
    if report.status == target:
        return report
    if report.status != Status.SUBMITTED:
        raise error(
            _("This report has already been decided: it is “%(status)s”.") % {"status": report.get_status_display()},
            ProgrammeErrorCode.ALREADY_DECIDED,
        )
    report.status = target
    report.decided_by = acting_user
    report.decided_at = timezone.now()
    report.decision_reason = reason
    report.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    audit_log(
        actor=acting_user,
        action=action,
        target=report,
        changes={"status": {"old": Status.SUBMITTED, "new": target}, "reason": reason},
    )
    submitter = report.submitted_by
    if submitter is not None and submitter.is_active:
        mail_queue(
            template_prefix="programmes/email/report_decided",
            to=submitter.email,
            language=submitter.preferred_language,
            context={"report": report, "indicator": report.indicator, "programme": report.indicator.programme},
        )
    return report


@transaction.atomic
def indicator_report_approve(*, report: IndicatorReport, acting_user: Any, reason: str = "") -> IndicatorReport:
    """Count a submitted report on the dashboard."""
    return _decide(
        report,
        acting_user=acting_user,
        target=Status.APPROVED,
        reason=(reason or "").strip(),
        action="programmes.indicator_report.approved",
    )


@transaction.atomic
def indicator_report_reject(*, report: IndicatorReport, acting_user: Any, reason: str) -> IndicatorReport:
    """Refuse a submitted report, saying why (the reporter reads it)."""
    reason = (reason or "").strip()
    if not reason:
        raise error(_("Say why the report is rejected."), ProgrammeErrorCode.REASON_REQUIRED, "reason")
    return _decide(
        report,
        acting_user=acting_user,
        target=Status.REJECTED,
        reason=reason,
        action="programmes.indicator_report.rejected",
    )
