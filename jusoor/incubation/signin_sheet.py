"""The printable sign-in sheet of an activity (PDF, WeasyPrint), in the active language.

Arabic sheets are laid out right to left (`<html dir="rtl">`): WeasyPrint shapes Arabic and orders mixed text itself,
so nothing is pre-shaped (see `jusoor/donations/receipts.py`). The URL fetcher refuses every URL: the sheet needs no
outside resource, and participants' names can never make the server fetch one.
"""

from __future__ import annotations

import warnings
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from jusoor.incubation.models import Activity, Registration


class _NoFetching:
    _fail_on_errors = False

    def __call__(self, url: str) -> Any:
        raise ValueError("The sign-in sheet does not load external resources.")


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
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML  # noqa: PLC0415  (a heavy import, only for this PDF)

    return bytes(HTML(string=html, base_url=None, url_fetcher=_NoFetching()).write_pdf() or b"")


def signin_sheet_filename(activity: Activity) -> str:
    return f"sign-in-sheet-{activity.pk}-{activity.starts_at:%Y%m%d}.pdf"
