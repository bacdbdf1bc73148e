"""Helpers shared by the test_bulk_* modules (this module has no tests of its own)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook, load_workbook

from jusoor.organizations.bulk.columns import IMPORT_COLUMN_NAMES
from jusoor.organizations.models import OrganizationKind, Theme
from jusoor.territories.models import Territory, TerritoryCode

HEADER = list(IMPORT_COLUMN_NAMES)


def make_references() -> dict[str, object]:
    """Two kinds, two themes and a few territories, including names shared by several territories."""
    # update_or_create: the reference data may already be loaded.
    association = OrganizationKind.objects.update_or_create(
        slug="association", defaults={"label": {"ar": "جمعية", "fr": "Association", "en": "Association"}}
    )[0]
    cooperative = OrganizationKind.objects.update_or_create(
        slug="cooperative", defaults={"label": {"ar": "تعاضدية", "fr": "Coopérative", "en": "Cooperative"}}
    )[0]
    health = Theme.objects.update_or_create(
        slug="health", defaults={"label": {"ar": "الصحة", "fr": "Santé", "en": "Health"}}
    )[0]
    education = Theme.objects.update_or_create(
        slug="education", defaults={"label": {"ar": "التعليم", "fr": "Éducation", "en": "Education"}}
    )[0]
    medenine = Territory.objects.create(
        code="TN-82", code_system="iso3166-2", country="TN", kind="governorate",
        name_ar="مدنين", name_fr="Médenine", name_en="Medenine",
    )  # fmt: skip
    TerritoryCode.objects.create(territory=medenine, system="tn-ins", code="52")
    medenine_town = Territory.objects.create(
        code="5211", code_system="tn-municipality", country="TN", kind="municipality", parent=medenine,
        name_ar="مدنين", name_fr="Médenine", name_en="Medenine",
    )  # fmt: skip
    djerba = Territory.objects.create(
        code="5231", code_system="tn-municipality", country="TN", kind="municipality", parent=medenine,
        name_ar="جربة حومة السوق", name_fr="Djerba Houmt Souk", name_en="Djerba Houmt Souk",
    )  # fmt: skip
    ajdir_north = Territory.objects.create(
        code="01.051.01.09", code_system="ma-hcp", country="MA", kind="commune",
        name_ar="اجدير", name_fr="Ajdir", name_en="Ajdir",
    )  # fmt: skip
    ajdir_south = Territory.objects.create(
        code="03.561.03.01", code_system="ma-hcp", country="MA", kind="commune",
        name_ar="اجدير", name_fr="Ajdir", name_en="Ajdir",
    )  # fmt: skip
    return {
        "association": association,
        "cooperative": cooperative,
        "health": health,
        "education": education,
        "medenine": medenine,
        "medenine_town": medenine_town,
        "djerba": djerba,
        "ajdir_north": ajdir_north,
        "ajdir_south": ajdir_south,
    }


def row(**values: str) -> dict[str, str]:
    """A valid row (an association in Médenine) with some values replaced."""
    base = {
        "name_ar": "جمعية الأمل",
        "name_fr": "Association Espoir",
        "kind": "association",
        "country": "TN",
        "territory": "TN-82",
    }
    base.update(values)
    return base


def csv_bytes(
    rows: Iterable[dict[str, str]],
    *,
    header: Sequence[str] = HEADER,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Iterable[Sequence[object]], *, header: Sequence[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content: bytes, sheet: int = 0) -> list[list[object]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    try:
        return [list(values) for values in workbook.worksheets[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()


def checked_row(number: int, kind_id: int, **values: object) -> dict[str, object]:
    """A row as `bulk.checks` leaves it (ready to import), for jobs built without an upload."""
    base: dict[str, object] = {
        "row": number,
        "ok": True,
        "name_ar": f"جمعية رقم {number}",
        "name_fr": f"Association numéro {number}",
        "name_en": "",
        "primary_language": "ar",
        "acronym": "",
        "kind_id": kind_id,
        "registry": "",
        "registration_number": "",
        "founded_on": None,
        "country": "TN",
        "territory_id": None,
        "theme_ids": [],
        "members_count": None,
        "volunteers_count": None,
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "description": "",
    }
    base.update(values)
    return base
