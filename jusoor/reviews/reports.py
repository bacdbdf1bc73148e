"""XLSX export of a call's applications with their scores, in ranking order (what the ranking page shows)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jusoor.calls.models import Call
from jusoor.organizations.bulk.writers import xlsx_bytes
from jusoor.reviews.selectors.ranking import RankedApplication


def _row(row: RankedApplication) -> list[object]:
    application = row.application
    return [
        row.rank,
        application.pk,
        application.organization.name,
        application.get_status_display(),
        application.requested_amount,
        row.reviews,
        row.mean,
        row.median,
        row.spread,
        _("yes") if row.disagreement else _("no"),
        "; ".join(str(total) for total in row.review_totals),
        str(row.tie_break or ""),
    ]


def ranking_xlsx(*, call: Call, rows: list[RankedApplication]) -> bytes:
    header = [
        _("Rank"),
        _("Application"),
        _("Organisation"),
        _("Status"),
        _("Amount requested (%(currency)s)") % {"currency": call.programme.currency},
        _("Reviews"),
        _("Mean"),
        _("Median"),
        _("Spread"),
        _("Disagreement"),
        _("Review totals"),
        _("Tie-break"),
    ]
    return xlsx_bytes([(_("Ranking"), header, (_row(row) for row in rows))])
