"""The columns of the import template and of the directory export.

One header row, English snake_case names, the same in every language, so a file prepared in Arabic imports like
one prepared in French. The export uses the same names (plus a few read-only ones the import ignores), so an
exported file can be corrected and imported elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    name: str
    help: Promise
    example: str = ""


IMPORT_COLUMNS: tuple[Column, ...] = (
    Column("name_ar", _("Name in Arabic."), "جمعية الأمل للتنمية بمدنين"),
    Column("name_fr", _("Name in French."), "Association Espoir pour le développement de Médenine"),
    Column("name_en", _("Name in English."), ""),
    Column(
        "primary_language",
        _("Language the organisation mainly uses: ar, fr or en. Empty: the first language that has a name."),
        "ar",
    ),
    Column("acronym", _("Acronym or short name, 30 characters at most."), "AEDM"),
    Column("kind", _("Kind of organisation: its identifier or its name in any language."), "association"),
    Column("registry", _("Register of the registration number: its identifier or its name."), "tn-rne"),
    Column("registration_number", _("Registration number in that register."), "1234567A"),
    Column("founded_on", _("Founding date: YYYY-MM-DD or DD/MM/YYYY."), "2012-03-15"),
    Column("country", _("Country: two-letter code (TN, MA, FR…) or name. Empty: the territory's country."), "TN"),
    Column(
        "territory",
        _("Seat: code (TN-82, INS or HCP code) or name in any language of the governorate, municipality, commune…"),
        "TN-82",
    ),
    Column("themes", _("Themes: identifiers or names in any language, separated by ;"), "health; education"),
    Column("members_count", _("Number of members."), "120"),
    Column("volunteers_count", _("Number of volunteers."), "35"),
    Column("contact_email", _("Contact e-mail address (never published)."), "contact@example.org"),
    Column("contact_phone", _("Contact phone in international format (never published)."), "+216 75 640 000"),
    Column("website", _("Website address."), "https://example.org"),
    Column("description", _("What the organisation does."), ""),
)
IMPORT_COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in IMPORT_COLUMNS)
NAME_COLUMNS = ("name_ar", "name_fr", "name_en")

# Columns of the export that the import accepts and ignores.
EXPORT_ONLY_COLUMNS = ("id", "url", "territory_name", "status")

# Never exported: the directory is public.
PRIVATE_COLUMNS = frozenset({"contact_email", "contact_phone"})

EXPORT_COLUMN_NAMES: tuple[str, ...] = (
    "id",
    "url",
    *(name for name in IMPORT_COLUMN_NAMES[:11] if name not in PRIVATE_COLUMNS),
    "territory_name",
    *(name for name in IMPORT_COLUMN_NAMES[11:] if name not in PRIVATE_COLUMNS),
    "status",
)


def normalise_header(value: str) -> str:
    """`Name AR`, ` name-ar ` and `name_ar` are the same column."""
    return "_".join(value.replace("\ufeff", "").strip().lower().replace("-", " ").split())
