"""The printable sign-in sheet of an activity (PDF, WeasyPrint), in the active language.

Arabic sheets are laid out right to left (`<html dir="rtl">`): WeasyPrint shapes Arabic and orders mixed text itself,
so nothing is pre-shaped (see `jusoor/donations/receipts.py`). The URL fetcher refuses every URL: the sheet needs no
outside resource, and participants' names can never make the server fetch one.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from jusoor.common.pdf import html_to_pdf
from jusoor.incubation.models import Activity, Registration


def signin_sheet_pdf(*, activity: Activity, registrations: list[Registration], blank_rows: int = 10) -> bytes:
    language = translation.get_language() or "fr"
    html = render_to_string(
        "incubation/pdf/signin_sheet.html",
        {
            "activity": activity,
            "registrations": registrations,
            "blank_rows": range(blank_rows),
            "language": language[:2],
            "direction": "rtl" if translation.get_language_bidi() else "ltr",
        },
    )
    return html_to_pdf(html)


def signin_sheet_filename(activity: Activity) -> str:
    return f"sign-in-sheet-{activity.pk}-{activity.starts_at:%Y%m%d}.pdf"
