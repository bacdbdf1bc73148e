"""The dashboard as a workbook (XLSX) and as a printable PDF (WeasyPrint), in the active language.

The PDF is laid out right to left in Arabic (`<html dir="rtl">`): WeasyPrint shapes Arabic itself (Pango and
HarfBuzz) with a font from the machine (Noto Naskh Arabic, else DejaVu Sans), so no text is pre-shaped. It fetches
nothing: the chart is inline SVG and the URL fetcher refuses every URL.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jusoor.common.pdf import html_to_pdf
from jusoor.organizations.bulk.writers import xlsx_bytes
from jusoor.programmes.disaggregation import DISAGGREGATIONS
from jusoor.programmes.selectors.dashboard import Dashboard


def _language() -> str:
    return (translation.get_language() or "ar")[:2]


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    """Four sheets: indicators (target vs actual), values per region, breakdowns, and every target version."""
    indicators = [
        (
            row.indicator.code,
            row.indicator.label,
            row.indicator.unit,
            row.indicator.get_kind_display(),
            row.indicator.baseline,
            row.target.period_end if row.target else None,
            row.target.value if row.target else None,
            row.actual if row.available else _("Not available"),
            row.percent,
        )
        for row in dashboard.rows
    ]
    regions = [
        (row.indicator.code, row.indicator.label, region.territory.name, region.actual)
        for row in dashboard.rows
        for region in row.regions
    ]
    breakdowns = [
        (row.indicator.code, row.indicator.label, breakdown.label, label, actual)
        for row in dashboard.rows
        for breakdown in row.breakdowns
        for _value, label, actual in breakdown.cells
    ]
    history = [
        (
            row.indicator.code,
            row.indicator.label,
            period.period_end,
            target.version,
            target.value,
            target.source,
            target.set_on,
            _("current") if target is period.current else "",
        )
        for row in dashboard.rows
        for period in row.periods
        for target in period.history
    ]
    return xlsx_bytes(
        [
            (
                _("Indicators"),
                [
                    _("Code"),
                    _("Indicator"),
                    _("Unit"),
                    _("Measured"),
                    _("Baseline"),
                    _("End of the period"),
                    _("Target"),
                    _("Actual"),
                    _("% of target"),
                ],
                indicators,
            ),
            (_("By region"), [_("Code"), _("Indicator"), _("Region"), _("Actual")], regions),
            (
                str(_("Breakdowns")),
                [_("Code"), _("Indicator"), _("Breakdown"), _("Value"), _("Actual")],
                breakdowns,
            ),
            (
                _("Target history"),
                [
                    _("Code"),
                    _("Indicator"),
                    _("End of the period"),
                    _("Version"),
                    _("Target"),
                    _("Source"),
                    _("Set on"),
                    _("Status"),
                ],
                history,
            ),
        ]
    )


def dashboard_pdf(dashboard: Dashboard) -> bytes:
    """The dashboard (chart, table per indicator, per region) as a PDF in the active language."""
    language = _language()
    html = render_to_string(
        "programmes/pdf/dashboard.html",
        {
            "dashboard": dashboard,
            "language": language,
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
            "generated_on": timezone.localdate(),
            "disaggregations": DISAGGREGATIONS,
        },
    )
    return html_to_pdf(html)


def export_filename(dashboard: Dashboard, extension: str) -> str:
    return f"programme-{dashboard.programme.pk}-dashboard-{dashboard.until.isoformat()}.{extension}"
