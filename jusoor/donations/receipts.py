"""Donation receipts and a donor's yearly summary as PDF (WeasyPrint), in the donor's language.

Arabic receipts are laid out right to left (`<html dir="rtl" lang="ar">`): WeasyPrint shapes Arabic letters and
orders mixed Arabic/Latin text itself (Pango + HarfBuzz), so the text is never pre-shaped. Fonts are named by
family in the PDF stylesheet and come from the machine (fontconfig): Noto Naskh Arabic / Noto Sans (Debian
fonts-noto-core) when installed, otherwise DejaVu Sans (fonts-dejavu-core), which has Arabic glyphs too. No font
file is kept in the repository.

The PDF is rendered without fetching anything: the template has no image or link to load, and the URL fetcher
refuses every URL, so user-entered text can never make the server fetch a resource.

A receipt says what the organisation received; it is not a tax receipt (in France only an eligible French
association may issue one), and says so.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jusoor.common.money import babel_locale, format_money
from jusoor.common.pdf import html_to_pdf
from jusoor.donations.models import Donation, Receipt
from jusoor.donations.reports import YearSummary, receipt_refunds
from jusoor.organizations.models import Registry


def _language(language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = (language or settings.LANGUAGE_CODE)[:2]
    return language if language in codes else settings.LANGUAGE_CODE


def long_date(value: datetime.date | datetime.datetime | None, language: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return str(format_date(value, "long", locale=babel_locale(language)))


def format_rate(rate: Decimal, language: str) -> str:
    """An exchange rate with all its significant decimals, in the language's number format."""
    return str(format_decimal(rate, format="#,##0.########", locale=babel_locale(language), numbering_system="latn"))


def pdf_direction(language: str) -> str:
    return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"


def _registration(organization: Any) -> str:
    if not organization.registration_number:
        return ""
    if organization.registry and organization.registry != Registry.OTHER:
        return _("%(registry)s, number %(number)s") % {
            "registry": Registry(organization.registry).label,
            "number": organization.registration_number,
        }
    return organization.registration_number


def donation_lines(donation: Donation, language: str) -> dict[str, str]:
    """The donation's amounts and rate as text in `language`."""
    converted = donation.currency != donation.campaign_currency
    lines = {
        "amount": format_money(donation.amount, donation.currency, language),
        "campaign_amount": format_money(donation.campaign_amount, donation.campaign_currency, language)
        if converted
        else "",
        "rate": "",
        "rate_day": "",
    }
    if converted:
        rate = _("1 %(currency)s = %(rate)s %(campaign_currency)s") % {
            "currency": donation.currency,
            "rate": format_rate(donation.rate, language),
            "campaign_currency": donation.campaign_currency,
        }
        # In a right-to-left page the equation stays one left-to-right unit (first strong isolate … pop).
        lines["rate"] = f"\u2068{rate}\u2069" if pdf_direction(language) == "rtl" else rate
        lines["rate_day"] = long_date(donation.rate_day, language)
    return lines


def receipt_context(receipt: Receipt, language: str) -> dict[str, Any]:
    """Everything the receipt template shows, resolved in `language` (call inside `translation.override`)."""
    donation = receipt.donation
    organization = receipt.organization
    refunds = receipt_refunds(receipt)
    return {
        "language": language,
        "direction": pdf_direction(language),
        "receipt": receipt,
        "donation": donation,
        "organization_name": organization.name,
        "registration": _registration(organization),
        "issued_on": long_date(receipt.issued_at, language),
        "received_on": long_date(donation.captured_at, language),
        "donor": _("Anonymous") if donation.anonymous_to_organization else (donation.name or donation.email),
        "campaign_title": donation.campaign.title,
        "money": donation_lines(donation, language),
        "refunds": [
            {
                "day": long_date(refund.created_at, language),
                "amount": format_money(refund.amount, donation.currency, language),
            }
            for refund in refunds
        ],
        "net_amount": format_money(donation.amount - donation.refunded_amount, donation.currency, language)
        if refunds
        else "",
        "fully_refunded": donation.status == Donation.Status.REFUNDED,
    }


def receipt_html(receipt: Receipt) -> str:
    """The receipt as HTML in the donor's language (the PDF's source)."""
    language = _language(receipt.donation.language)
    with translation.override(language):
        return render_to_string("donations/receipt/receipt.html", receipt_context(receipt, language))


def receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt as a PDF in the donor's language. `receipt` should come from `reports.receipt_get` (donation,
    campaign and organisation loaded); the refunds are read here (one query)."""
    return html_to_pdf(receipt_html(receipt))


def receipt_filename(receipt: Receipt) -> str:
    return f"receipt-{receipt.label}.pdf"


def year_summary_context(summary: YearSummary, *, donor: Any, language: str) -> dict[str, Any]:
    return {
        "language": language,
        "direction": pdf_direction(language),
        "year": summary.year,
        "donor": getattr(donor, "full_name", "") or donor.email,
        "rows": [
            {
                "day": long_date(donation.captured_at, language),
                "reference": donation.reference,
                "receipt": donation.receipt.label if hasattr(donation, "receipt") else "",
                "organization": donation.campaign.organization.name,
                "campaign": donation.campaign.title,
                "amount": format_money(donation.amount - donation.refunded_amount, donation.currency, language),
                "refunded": format_money(donation.refunded_amount, donation.currency, language)
                if donation.refunded_amount
                else "",
            }
            for donation in summary.donations
        ],
        "totals": [format_money(total, currency, language) for currency, total in summary.totals],
        "generated_on": long_date(timezone.localdate(), language),
    }


def year_summary_pdf(summary: YearSummary, *, donor: Any, language: str) -> bytes:
    """A donor's donations of a year with the total per currency, as a PDF in `language`."""
    language = _language(language)
    with translation.override(language):
        html = render_to_string(
            "donations/receipt/year_summary.html", year_summary_context(summary, donor=donor, language=language)
        )
    return html_to_pdf(html)
