"""CSV and XLSX output: the import template, the import report and the directory export.

CSV is UTF-8 with a byte order mark (Excel then reads Arabic correctly) and is produced line by line, so a large
export streams. Cells that a spreadsheet would run as a formula are neutralised: in CSV a value starting with
= + - @ (or tab / carriage return) gets a leading apostrophe (OWASP "CSV injection"); in XLSX every text is
written as text, never as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from jusoor.organizations.bulk.columns import IMPORT_COLUMN_NAMES, IMPORT_COLUMNS

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """A file-like object whose write() returns what it was given (one CSV line at a time)."""

    def write(self, value: str) -> str:
        return value


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text, line by line, starting with a byte order mark."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_safe(value) for value in row])


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return "".join(csv_lines(header, rows)).encode("utf-8")


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows), written in streaming (write-only) mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        header_cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=str(name))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_xlsx_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not text.startswith(("=", "#")):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # text, never a formula or an error code
    return cell


# --- Import template ----------------------------------------------------------------------------------------
def import_template_csv() -> bytes:
    return csv_bytes(IMPORT_COLUMN_NAMES, [])


def import_template_xlsx(
    *, kinds: Iterable[Sequence[str]], themes: Iterable[Sequence[str]], registries: Iterable[Sequence[str]]
) -> bytes:
    """The header on the first sheet (the one the import reads), then help sheets: columns, accepted values."""
    columns = [(column.name, str(column.help), column.example) for column in IMPORT_COLUMNS]
    values = [
        *((_("Kind"), *kind) for kind in kinds),
        *((_("Theme"), *theme) for theme in themes),
        *((_("Registry"), *registry) for registry in registries),
    ]
    return xlsx_bytes(
        [
            (_("Organisations"), IMPORT_COLUMN_NAMES, []),
            (_("Columns"), [_("Column"), _("What to write"), _("Example")], columns),
            (_("Accepted values"), [_("List"), _("Identifier"), "ar", "fr", "en"], values),
        ]
    )
