"""From uploaded bytes to a header and rows of text: CSV (encoding recognised, delimiter found) or XLSX.

The kind of file is decided by its content, never by its name: an XLSX is a ZIP archive; an old .xls or a
password-protected workbook is an OLE2 container (refused with a message saying what to do); anything else is
read as CSV text. File-level problems raise `FileRefusedError` (an ApplicationError with a translated message).
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.bulk.columns import EXPORT_ONLY_COLUMNS, IMPORT_COLUMN_NAMES, NAME_COLUMNS, normalise_header
from jusoor.organizations.bulk.encoding import EncodingNotRecognisedError, decode_csv

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# A sheet often has thousands of empty formatted rows below the data: stop after this many in a row.
MAX_EMPTY_ROWS = 1_000
DELIMITERS = (",", ";", "\t")
CSV = "csv"
XLSX = "xlsx"

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileRefusedError(ApplicationError):
    code = "import_file"


@dataclass
class ParsedFile:
    """The header (normalised names) and the non-empty rows as {column: text}, with spreadsheet row numbers."""

    file_format: str
    encoding: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    # Row numbers of rows with non-empty cells beyond the header's columns.
    overflowing_rows: set[int] = field(default_factory=set)


def parse_upload(data: bytes) -> ParsedFile:
    if len(data) > MAX_BYTES:
        raise FileRefusedError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_BYTES)},
            code="file_too_large",
        )
    if not data.strip():
        raise FileRefusedError(_("The file is empty."), code="file_empty")
    if data.startswith(_OLE2):
        raise FileRefusedError(
            _(
                "Old Excel files (.xls) and password-protected workbooks cannot be read. Save the file as an Excel "
                "workbook (.xlsx) without a password, or as CSV UTF-8."
            ),
            code="file_xls",
        )
    if data.startswith(_ZIP):
        return _parse_xlsx(data)
    return _parse_csv(data)


# --- CSV ---------------------------------------------------------------------------------------------------
def _parse_csv(data: bytes) -> ParsedFile:
    try:
        decoded = decode_csv(data)
    except EncodingNotRecognisedError:
        raise FileRefusedError(
            _(
                "The characters of this file could not be read safely, so nothing was imported (Arabic or accented "
                "letters would have been garbled). Save it as CSV in UTF-8, or in Windows-1256 (Arabic), and upload "
                "it again."
            ),
            code="file_encoding",
        ) from None
    text = decoded.text
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=lambda d: _known_header_count(first_line, d))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _build(CSV, decoded.encoding, reader)
    except csv.Error as exc:
        raise FileRefusedError(
            _("This CSV file is damaged (%(detail)s). Save it again from the spreadsheet.") % {"detail": exc},
            code="file_csv",
        ) from exc


def _known_header_count(line: str, delimiter: str) -> tuple[int, int]:
    cells = next(csv.reader([line], delimiter=delimiter), [])
    known = sum(1 for cell in cells if normalise_header(cell) in IMPORT_COLUMN_NAMES)
    return known, len(cells)


# --- XLSX --------------------------------------------------------------------------------------------------
def _parse_xlsx(data: bytes) -> ParsedFile:
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook  # a heavy import, only for XLSX uploads
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = (InvalidFileException, zipfile.BadZipFile, ParseError, KeyError, ValueError, OSError, TypeError)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except unreadable as exc:
        raise _xlsx_unreadable() from exc
    try:
        if not workbook.worksheets:
            raise FileRefusedError(_("The file is empty."), code="file_empty")
        sheet = workbook.worksheets[0]
        rows = (
            [_cell_text(value) for value in row]
            for row in sheet.iter_rows(values_only=True, max_col=len(IMPORT_COLUMN_NAMES) + 20)
        )
        return _build(XLSX, "", rows)
    except unreadable as exc:
        raise _xlsx_unreadable() from exc
    finally:
        workbook.close()


def _xlsx_unreadable() -> FileRefusedError:
    return FileRefusedError(
        _("This Excel file could not be read. Open it and save it again as .xlsx, or save it as CSV UTF-8."),
        code="file_xlsx",
    )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- Both --------------------------------------------------------------------------------------------------
def _build(file_format: str, encoding: str, records: Iterable[list[str]]) -> ParsedFile:
    iterator: Iterator[list[str]] = iter(records)
    header = next(iterator, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(iterator, None)  # blank lines before the header
    if header is None:
        raise FileRefusedError(_("The file is empty."), code="file_empty")
    columns = _check_header(header)
    parsed = ParsedFile(file_format=file_format, encoding=encoding, columns=columns)
    width = len(columns)
    row_number = 1
    empty_run = 0
    for record in iterator:
        row_number += 1
        cells = [cell.strip() for cell in record]
        if not any(cells):
            empty_run += 1
            if empty_run >= MAX_EMPTY_ROWS:
                break
            continue
        empty_run = 0
        if len(parsed.rows) >= MAX_ROWS:
            raise FileRefusedError(
                _("The file has more than %(limit)s rows. Split it into several files.")
                % {"limit": number_format(MAX_ROWS, force_grouping=True)},
                code="file_too_many_rows",
            )
        if any(cells[width:]):
            parsed.overflowing_rows.add(row_number)
        parsed.rows.append((row_number, {name: value for name, value in zip(columns, cells, strict=False) if name}))
    if not parsed.rows:
        raise FileRefusedError(_("The file has a header row but no organisations."), code="file_no_rows")
    return parsed


def _check_header(header: list[str]) -> list[str]:
    """The column names in file order ("" for ignored export-only columns); refuses unknown or missing ones."""
    names = [normalise_header(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    known = set(IMPORT_COLUMN_NAMES)
    accepted = known | set(EXPORT_ONLY_COLUMNS)
    unknown = [header[i].strip() or f"#{i + 1}" for i, name in enumerate(names) if name not in accepted]
    if unknown:
        if not known & set(names):
            raise FileRefusedError(
                _(
                    "The first row must hold the column names of the template (name_ar, name_fr, kind…). "
                    "Download the template to see them."
                ),
                code="file_header",
            )
        raise FileRefusedError(
            _("Unknown columns: %(columns)s. Use the column names of the template.") % {"columns": ", ".join(unknown)},
            code="file_columns",
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise FileRefusedError(
            _("These columns appear more than once: %(columns)s.") % {"columns": ", ".join(repeated)},
            code="file_columns",
        )
    missing = [name for name in ("kind",) if name not in names]
    if not set(NAME_COLUMNS) & set(names):
        missing.insert(0, " / ".join(NAME_COLUMNS))
    if "country" not in names and "territory" not in names:
        missing.append("country / territory")
    if missing:
        raise FileRefusedError(
            _("Columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}, code="file_columns"
        )
    return [name if name in known else "" for name in names]
