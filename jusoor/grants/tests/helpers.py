from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from jusoor.finance.models import LedgerEntry
from jusoor.grants.models import GrantReport, GrantTranche
from jusoor.grants.services.awards import grant_agreement_sign
from jusoor.grants.services.reports import grant_report_approve, grant_report_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "doc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def balances(*keys: str) -> dict[str, Decimal]:
    result = {}
    for key in keys:
        total = sum((e.amount for e in LedgerEntry.objects.filter(account__key=key)), Decimal("0"))
        result[key] = total
    return result


def sign(grant, manager):
    return grant_agreement_sign(grant=grant, agreement=pdf(), acting_user=manager)


def approved_report_for(tranche: GrantTranche, admin, manager, **extra) -> GrantReport:
    report = grant_report_submit(
        grant=tranche.grant,
        narrative="Nous avons formé 40 jeunes.",
        spent_amount=extra.pop("spent_amount", "10000"),
        financial_statement=pdf("etat.pdf"),
        tranche=tranche,
        acting_user=admin,
        **extra,
    )
    return grant_report_approve(report=report, acting_user=manager)
