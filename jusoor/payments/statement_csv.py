"""Reading a bank statement export (CSV): columns date, amount, currency, label, bank_reference.

Checked by content, never by the file's name or type: UTF-8 (with or without a byte order mark), a header row
with the five columns in any order, `;` or `,` as separator (French spreadsheets use `;` with decimal commas).
A file with a single bad row is refused as a whole, with every problem listed by line, so that nothing of a
misread statement is booked.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jusoor.common.exceptions import ApplicationError
from jusoor.payments.error_codes import PaymentErrorCode

COLUMNS = ("date", "amount", "currency", "label", "bank_reference")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
SHOWN_ERRORS = 20
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class StatementRow:
    line_number: int  # in the file, the header being line 1
    booked_on: date
    amount: Decimal
    currency: str
    label: str
    bank_reference: str


def checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _refuse(message: str, errors: list[str] | None = None) -> ApplicationError:
    return ApplicationError(message, code=PaymentErrorCode.STATEMENT_INVALID, extra={"errors": errors or []})


def _decode(content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(_("This file is not a CSV file in UTF-8. Export the statement as CSV (UTF-8).")) from None
    if any(ord(char) < 32 and char not in "\t\r\n" for char in text):
        raise _refuse(_("This file is not a CSV file in UTF-8. Export the statement as CSV (UTF-8)."))
    return text


def parse_amount(raw: str) -> Decimal:
    """ "1 234,50", "1234.50", "1.234,50" and "1,234.50" are all 1234.50: the last separator is the decimal one."""
    value = re.sub(r"[\s\u00a0\u202f']", "", raw)
    if "," in value and "." in value:
        decimal_separator = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal_separator == "," else ","
        value = value.replace(thousands, "").replace(decimal_separator, ".")
    else:
        value = value.replace(",", ".")
    amount = Decimal(value)
    if not amount.is_finite():
        raise InvalidOperation
    return amount


def parse_date(raw: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), fmt).date()  # noqa: DTZ007  (a calendar day, no time)
        except ValueError:
            continue
    raise ValueError(raw)


def _parse_row(number: int, values: dict[str, str], seen: set[str]) -> tuple[StatementRow | None, list[str]]:
    problems: list[str] = []
    booked_on: date | None = None
    amount: Decimal | None = None
    try:
        booked_on = parse_date(values["date"])
    except ValueError:
        problems.append(_("the date is not a date (expected 2026-03-31 or 31/03/2026)"))
    try:
        amount = parse_amount(values["amount"])
    except (InvalidOperation, ValueError):
        problems.append(_("the amount is not a number"))
    else:
        if amount.as_tuple().exponent < -3:  # type: ignore[operator]  # a finite amount: an int exponent
            problems.append(_("the amount has more than 3 decimals"))
    currency = values["currency"].upper()
    if not _CURRENCY.match(currency):
        problems.append(_("the currency is not a three-letter code"))
    reference = values["bank_reference"]
    if not reference:
        problems.append(_("the bank reference is empty"))
    elif reference in seen:
        problems.append(_("the bank reference appears twice in the file"))
    if problems or booked_on is None or amount is None:
        return None, problems
    row = StatementRow(
        line_number=number,
        booked_on=booked_on,
        amount=amount,
        currency=currency,
        label=values["label"][:300],
        bank_reference=reference[:120],
    )
    return row, []


def parse_statement(content: bytes) -> list[StatementRow]:
    """Every row of the statement, or ApplicationError (code statement_invalid, extra["errors"]: per line)."""
    if len(content) > MAX_BYTES:
        raise _refuse(_("The file is too large; the limit is 5 MB."))
    text = _decode(content)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise _refuse(_("The file is empty."))
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise _refuse(
            _("The header row lacks these columns: %(missing)s. Expected: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
    index = {name: header.index(name) for name in COLUMNS}
    rows: list[StatementRow] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise _refuse(_("The file has more than %(max)s lines.") % {"max": MAX_ROWS})
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in index.items()}
        row, problems = _parse_row(number, values, seen)
        seen.add(values["bank_reference"])
        if row is None:
            errors.append(_("Line %(line)s: %(problems)s.") % {"line": number, "problems": "; ".join(problems)})
        else:
            rows.append(row)
    if errors:
        raise _refuse(
            ngettext(
                "The statement was not imported: %(count)s line has a problem.",
                "The statement was not imported: %(count)s lines have problems.",
                len(errors),
            )
            % {"count": len(errors)},
            errors[:SHOWN_ERRORS],
        )
    if not rows:
        raise _refuse(_("The file has no lines besides the header."))
    return rows
