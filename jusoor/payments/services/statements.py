"""Bank statements: import a statement, match its lines to bank-transfer pledges, let finance staff review the rest.

A line whose label holds a pledge reference (JSR-XXXXX-XXXXX, found whatever the spaces, dashes or case, with
Crockford's O→0 and I/L→1) and whose amount and currency are exactly the pledge's captures it through
`donation_capture`. Any other line waits for finance staff: another amount or currency (MISMATCH), no pledge
found (UNMATCHED), a pledge already paid (DUPLICATE). A different amount is never captured: staff either match
the line to a pledge of exactly its amount, resolve it by hand with a note (e.g. the transfer was sent back), or
ignore it. Each line is recorded in its own transaction, so a line that fails does not lose the others; a bank
reference is recorded once, whatever statement it comes in again with.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError, NotFoundError
from jusoor.common.money import format_money
from jusoor.donations.models import Donation
from jusoor.donations.services.capture import donation_capture
from jusoor.payments.error_codes import PaymentErrorCode
from jusoor.payments.models import BankStatement, BankStatementLine
from jusoor.payments.statement_csv import StatementRow, checksum, parse_statement

logger = logging.getLogger(__name__)

PROVIDER = "bank_transfer"
SOURCE = "bank_statement"
_ALPHABET = frozenset("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
_CROCKFORD_READS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
CAPTURABLE = frozenset({Donation.Status.PENDING, Donation.Status.EXPIRED, Donation.Status.FAILED})


def find_references(text: str) -> list[str]:
    """Every pledge reference a label may hold, normalised to JSR-XXXXX-XXXXX, in order of appearance."""
    compact = _NOT_ALNUM.sub("", text.upper())
    found: list[str] = []
    start = compact.find("JSR")
    while start != -1:
        body = compact[start + 3 : start + 13].translate(_CROCKFORD_READS)
        if len(body) == 10 and set(body) <= _ALPHABET:
            reference = f"JSR-{body[:5]}-{body[5:]}"
            if reference not in found:
                found.append(reference)
        start = compact.find("JSR", start + 1)
    return found


def _pledge_for(text: str) -> Donation | None:
    references = find_references(text)
    if not references:
        return None
    by_reference = {d.reference: d for d in Donation.objects.filter(reference__in=references)}
    return next((by_reference[r] for r in references if r in by_reference), None)


@dataclass
class StatementImport:
    statement: BankStatement
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def skipped(self) -> int:
        return self.counts["skipped"]


def bank_statement_import(*, filename: str, content: bytes, acting_user: Any) -> StatementImport:
    """Import a statement file: refused whole when unreadable or already imported (same checksum); otherwise
    every credit line is recorded and matched, each in its own transaction."""
    rows = parse_statement(content)
    digest = checksum(content)
    if BankStatement.objects.filter(checksum=digest).exists():
        raise _already_imported()
    try:
        with transaction.atomic():
            statement = BankStatement.objects.create(
                uploaded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
                filename=(filename or "statement.csv")[:255],
                checksum=digest,
            )
    except IntegrityError:
        raise _already_imported() from None
    result = StatementImport(statement=statement)
    for row in rows:
        if row.amount <= 0:  # a debit: not a donation
            result.counts["skipped"] += 1
            continue
        result.counts[_import_row(statement, row, acting_user)] += 1
    with transaction.atomic():
        statement.skipped_lines = result.skipped
        statement.save(update_fields=["skipped_lines", "updated_at"])
        audit_log(
            actor=acting_user,
            action="payments.statement.imported",
            target=statement,
            changes={"filename": statement.filename, "checksum": digest, "lines": dict(sorted(result.counts.items()))},
        )
    return result


def _already_imported() -> ApplicationError:
    return ApplicationError(
        _("This file was already imported. Each statement file is imported once."),
        code=PaymentErrorCode.STATEMENT_DUPLICATE,
    )


def _import_row(statement: BankStatement, row: StatementRow, acting_user: Any) -> str:
    """Record one line and capture its pledge when everything matches. Returns the line's status, or "skipped"
    when the bank reference is already recorded."""
    if BankStatementLine.objects.filter(bank_reference=row.bank_reference).exists():
        return "skipped"
    try:
        with transaction.atomic():
            line = BankStatementLine(
                statement=statement,
                line_number=row.line_number,
                booked_on=row.booked_on,
                amount=row.amount,
                currency=row.currency,
                label=row.label,
                bank_reference=row.bank_reference,
            )
            _classify(line, _pledge_for(row.label))
            line.save()
            if line.status == BankStatementLine.Status.MATCHED:
                _capture(line, acting_user)
            return line.status
    except IntegrityError:  # the same bank reference, recorded meanwhile by another import
        return "skipped"
    except Exception:  # one line must not lose the others: record it for review instead
        logger.exception("bank statement %s, line %s", statement.pk, row.line_number)
        return _record_failed(statement, row)


def _classify(line: BankStatementLine, donation: Donation | None) -> None:
    """The line's status; the review screen explains it from the status and the pledge (no stored wording)."""
    status = BankStatementLine.Status
    line.donation = donation
    if donation is None:
        line.status = status.UNMATCHED
    elif donation.provider != PROVIDER:
        line.status = status.MISMATCH  # a pledge made for another payment method
    elif donation.status not in CAPTURABLE:
        line.status = status.DUPLICATE
    elif donation.amount != line.amount or donation.currency != line.currency:
        line.status = status.MISMATCH
    else:
        line.status = status.MATCHED


def _capture(line: BankStatementLine, acting_user: Any) -> None:
    assert line.donation is not None
    donation, newly = donation_capture(
        donation_id=line.donation.pk,
        provider=PROVIDER,
        provider_payment_id=line.bank_reference,
        amount=line.amount,
        currency=line.currency,
        acting_user=acting_user,
        source=SOURCE,
    )
    if not newly:  # paid by another line a moment ago
        line.status = BankStatementLine.Status.DUPLICATE
        line.save(update_fields=["status"])


def _record_failed(statement: BankStatement, row: StatementRow) -> str:
    try:
        with transaction.atomic():
            BankStatementLine.objects.create(
                statement=statement,
                line_number=row.line_number,
                booked_on=row.booked_on,
                amount=row.amount,
                currency=row.currency,
                label=row.label,
                bank_reference=row.bank_reference,
                status=BankStatementLine.Status.UNMATCHED,
                donation=_pledge_for(row.label),
            )
    except IntegrityError:
        return "skipped"
    return BankStatementLine.Status.UNMATCHED


# --- Review by finance staff: one service per transition -------------------------------------------------------


def _locked_line(line_id: int) -> BankStatementLine:
    line = BankStatementLine.objects.select_for_update(of=("self",)).filter(pk=line_id).first()
    if line is None:
        raise NotFoundError(_("No such statement line."))
    return line


def _check_transition(line: BankStatementLine, target: str) -> None:
    if not line.can_transition_to(target):
        raise ApplicationError(
            _("This line is already settled (%(status)s).") % {"status": line.get_status_display()},
            code=PaymentErrorCode.LINE_FINAL,
        )


def _settle(line: BankStatementLine, target: str, note: str, acting_user: Any, **changes: Any) -> None:
    old = line.status
    line.status = target
    line.note = note[:300]
    line.resolved_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    line.resolved_at = timezone.now()
    line.save(update_fields=["status", "note", "donation", "resolved_by", "resolved_at"])
    audit_log(
        actor=acting_user,
        action=f"payments.statement_line.{target}",
        target=line,
        changes={"status": {"old": old, "new": target}, "note": line.note, **changes},
    )


def bank_line_match(*, line_id: int, reference: str, acting_user: Any, note: str = "") -> BankStatementLine:
    """Match a line to a pledge (the reference staff typed, else the one found in its label) and capture it.
    Only a pledge of exactly the line's amount and currency can be matched: another amount is never booked."""
    with transaction.atomic():
        line = _locked_line(line_id)
        _check_transition(line, BankStatementLine.Status.MATCHED)
        donation = _pledge_for(reference) if reference.strip() else line.donation
        if donation is None:
            raise ApplicationError(
                _("No pledge has this reference. Check the reference (JSR-XXXXX-XXXXX)."),
                code=PaymentErrorCode.LINE_NO_PLEDGE,
            )
        if donation.amount != line.amount or donation.currency != line.currency:
            raise ApplicationError(
                _(
                    "Pledge %(reference)s is for %(pledged)s but this line is %(received)s. A different amount is "
                    "never booked: resolve the line by hand instead."
                )
                % {
                    "reference": donation.reference,
                    "pledged": format_money(donation.amount, donation.currency, get_language() or "en"),
                    "received": format_money(line.amount, line.currency, get_language() or "en"),
                },
                code=PaymentErrorCode.LINE_AMOUNT_DIFFERS,
            )
        if donation.status not in CAPTURABLE:
            raise ApplicationError(
                _("Pledge %(reference)s is already paid: resolve this line by hand (e.g. send the money back).")
                % {"reference": donation.reference},
                code=PaymentErrorCode.LINE_FINAL,
            )
        line.donation = donation
        donation, _newly = donation_capture(
            donation_id=donation.pk,
            provider=PROVIDER,
            provider_payment_id=line.bank_reference,
            amount=line.amount,
            currency=line.currency,
            acting_user=acting_user,
            source=SOURCE,
        )
        _settle(line, BankStatementLine.Status.MATCHED, note, acting_user, donation=donation.reference)
        return line


def bank_line_resolve(*, line_id: int, note: str, acting_user: Any) -> BankStatementLine:
    """Settle a line by hand (nothing is booked): the note says what was done, e.g. "sent back to the donor"."""
    if not note.strip():
        raise ApplicationError(
            _("Say in a note how this line was resolved."),
            code=PaymentErrorCode.NOTE_REQUIRED,
            extra={"fields": {"note": [_("Say in a note how this line was resolved.")]}},
        )
    with transaction.atomic():
        line = _locked_line(line_id)
        _check_transition(line, BankStatementLine.Status.RESOLVED)
        _settle(line, BankStatementLine.Status.RESOLVED, note.strip(), acting_user)
        return line


def bank_line_ignore(*, line_id: int, acting_user: Any, note: str = "") -> BankStatementLine:
    """A line that is not a donation (bank fees, another payment): set aside, nothing is booked."""
    with transaction.atomic():
        line = _locked_line(line_id)
        _check_transition(line, BankStatementLine.Status.IGNORED)
        _settle(line, BankStatementLine.Status.IGNORED, note.strip(), acting_user)
        return line
