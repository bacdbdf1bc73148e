"""Importing exchange rates from a CSV file: columns day, base, quote, rate and optionally source.

Checked by content, never by the file's name or type: UTF-8 with or without a byte order mark, no binary
bytes, one header row naming the columns (any order), `;` or `,` between cells. Days are written 2026-03-31 or
31/03/2026; a rate may use a decimal comma when the cells are separated by `;`.

All or nothing: every line goes through `exchange_rate_set` (which validates and audits each change) inside one
transaction; if any line has a problem, the transaction is rolled back and every problem is reported with its
line number. Importing the same values again writes nothing (no row, no audit event). There is no internet
lookup.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jusoor.common.exceptions import ApplicationError
from jusoor.finance.models import ExchangeRate
from jusoor.finance.services import exchange_rate_set

COLUMNS = ("day", "base", "quote", "rate")
OPTIONAL_COLUMNS = ("source",)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
SHOWN_ERRORS = 50
# The error code of a refused file (`extra["errors"]` lists the problems by line).
RATES_IMPORT_INVALID = "rates_import_invalid"
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class RatesImportResult:
    created: int  # pairs and days that had no rate
    updated: int  # rates corrected
    unchanged: int  # lines repeating the recorded rate: nothing written


@dataclass(frozen=True)
class _Line:
    number: int  # in the file, the header being line 1
    day: date
    base: str
    quote: str
    rate: Decimal
    source: str


def _refuse(message: str, errors: list[str] | None = None) -> ApplicationError:
    return ApplicationError(message, code=RATES_IMPORT_INVALID, extra={"errors": errors or []})


def _not_csv() -> ApplicationError:
    return _refuse(_("This file is not a CSV file in UTF-8. Save the rates as CSV (UTF-8)."))


def _decode(content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_csv() from None
    if any(ord(char) < 32 and char not in "\t\r\n" for char in text):  # binary files (PDF, XLSX, images…)
        raise _not_csv()
    return text


def _parse_day(raw: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()  # noqa: DTZ007  (a calendar day, no time)
        except ValueError:
            continue
    raise ValueError(raw)


def _parse_rate(raw: str, delimiter: str) -> Decimal:
    value = raw.replace(" ", "").replace("\u00a0", "")
    if delimiter == ";" and "," in value and "." not in value:
        value = value.replace(",", ".")
    rate = Decimal(value)
    if not rate.is_finite():
        raise InvalidOperation
    return rate


def _trimmed(cells: list[str]) -> list[str]:
    """The cells without the empty ones at the end of the line (spreadsheets often leave some)."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _line_message(number: int, problem: str) -> str:
    return _("Line %(line)s: %(problem)s") % {"line": number, "problem": problem}


def _header(reader: Any) -> tuple[dict[str, int], int, int]:
    """The column of each known name, the number of named cells and the header's line number."""
    for line_number, cells in enumerate(reader, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        header = [cell.strip().lower() for cell in _trimmed(cells)]
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            break
        names = (*COLUMNS, *OPTIONAL_COLUMNS)
        return {name: header.index(name) for name in names if name in header}, len(header), line_number
    else:
        missing = list(COLUMNS)
    raise _refuse(
        _("The header row lacks these columns: %(missing)s. Expected: %(expected)s.")
        % {"missing": ", ".join(missing), "expected": ", ".join((*COLUMNS, *OPTIONAL_COLUMNS))}
    )


def _line_problems(
    values: dict[str, str], cells: int, width: int, delimiter: str
) -> tuple[date | None, Decimal | None, list[str]]:
    """The day and the rate of one line, and what is wrong with it (the service checks currencies and rate)."""
    found: list[str] = []
    day: date | None = None
    rate: Decimal | None = None
    if cells > width:
        found.append(_("This line has more cells than the header row."))
    try:
        day = _parse_day(values["day"])
    except ValueError:
        found.append(_("The day is not a date (expected 2026-03-31 or 31/03/2026)."))
    try:
        rate = _parse_rate(values["rate"], delimiter)
    except (InvalidOperation, ValueError):
        found.append(_("The rate is not a number."))
    if delimiter == "," and _DIGITS.match(values.get("source", "")):
        found.append(
            _("The source is only digits: is the rate written with a decimal comma? Separate the columns with ;.")
        )
    return day, rate, found


def _read(text: str) -> tuple[list[_Line], list[tuple[int, str]]]:
    """The lines that could be read, and the problems found by line (before asking the service)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise _refuse(_("The file is empty."))
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    index, width, header_line = _header(reader)
    lines: list[_Line] = []
    problems: list[tuple[int, str]] = []
    seen: dict[tuple[str, str, date], int] = {}
    count = 0
    for number, cells in enumerate(reader, start=header_line + 1):
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _refuse(_("The file has more than %(max)s lines.") % {"max": MAX_ROWS})
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in index.items()}
        day, rate, found = _line_problems(values, len(_trimmed(cells)), width, delimiter)
        base, quote = values["base"].upper(), values["quote"].upper()
        if day is not None:
            earlier = seen.setdefault((base, quote, day), number)
            if earlier != number:
                found.append(_("This pair and day already appear on line %(line)s.") % {"line": earlier})
        if found or day is None or rate is None:
            problems.extend((number, problem) for problem in found)
            continue
        lines.append(_Line(number=number, day=day, base=base, quote=quote, rate=rate, source=values.get("source", "")))
    if not count:
        raise _refuse(_("The file has no lines besides the header."))
    return lines, problems


@transaction.atomic
def exchange_rates_import(*, content: bytes, acting_user: Any) -> RatesImportResult:
    """Record every rate of the file through `exchange_rate_set`, or none of them.

    Raises ApplicationError (code `rates_import_invalid`, `extra["errors"]`: one message per problem, by line)."""
    if len(content) > MAX_BYTES:
        raise _refuse(_("The file is too large; the limit is 5 MB."))
    lines, problems = _read(_decode(content))
    recorded = {
        (rate.base, rate.quote, rate.day): rate.rate
        for rate in ExchangeRate.objects.filter(
            day__in={line.day for line in lines},
            base__in={line.base for line in lines},
            quote__in={line.quote for line in lines},
        )
    }
    created = updated = unchanged = 0
    for line in lines:
        try:
            exchange_rate_set(
                base=line.base,
                quote=line.quote,
                day=line.day,
                rate=line.rate,
                source=line.source,
                acting_user=acting_user,
            )
        except ApplicationError as error:
            problems.append((line.number, str(error.message)))
            continue
        old = recorded.get((line.base, line.quote, line.day))
        if old is None:
            created += 1
        elif old != line.rate:
            updated += 1
        else:
            unchanged += 1
    if problems:
        problems.sort(key=lambda problem: problem[0])
        count = len({number for number, _problem in problems})
        raise _refuse(
            ngettext(
                "Nothing was imported: %(count)s line has a problem.",
                "Nothing was imported: %(count)s lines have problems.",
                count,
            )
            % {"count": count},
            [_line_message(number, problem) for number, problem in problems[:SHOWN_ERRORS]],
        )
    return RatesImportResult(created=created, updated=updated, unchanged=unchanged)
