"""Messages of the import, stored as a code and parameters and translated when shown.

A preview is checked in the uploader's language but may be read (and its report downloaded) in another one,
so the job keeps `{"code", "params"}` and never a translated sentence.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ERROR = "error"
WARNING = "warning"

ISSUE_MESSAGES: dict[str, Promise] = {
    "name_required": _("Give the organisation's name in at least one language."),
    "too_long": _("This value is too long (%(max)s characters at most)."),
    "garbled": _(
        "This text looks garbled: it was probably converted with the wrong encoding before. Correct it in the file."
    ),
    "language_unknown": _("Unknown language “%(value)s”: use ar, fr or en."),
    "kind_required": _("Give the kind of organisation."),
    "kind_unknown": _("Unknown kind of organisation: “%(value)s”."),
    "registry_unknown": _("Unknown registry: “%(value)s”."),
    "registry_required": _("Say which registry this number belongs to."),
    "registration_format": _("This number does not have the expected format (for example %(example)s)."),
    "date_format": _("Write the date as YYYY-MM-DD or DD/MM/YYYY."),
    "date_future": _("The founding date is in the future."),
    "country_unknown": _("Unknown country: “%(value)s”."),
    "country_required": _("Give the country or the territory."),
    "country_mismatch": _("The territory %(territory)s is not in this country (%(country)s)."),
    "territory_unknown": _("Unknown territory: “%(value)s”. Give its code or its name."),
    "territory_ambiguous": _("“%(value)s” names several territories (%(codes)s). Give the code of the right one."),
    "territory_chosen": _(
        "“%(value)s” names several territories; %(name)s (%(code)s) was chosen. Give a code to choose another one."
    ),
    "themes_unknown": _("Unknown themes: %(values)s."),
    "number_invalid": _("Enter a whole number, 0 or more."),
    "email_invalid": _("Enter a valid e-mail address."),
    "phone_format": _("Enter the phone number in international format, starting with + and the country code."),
    "phone_invalid": _("This phone number is not valid."),
    "url_invalid": _("Enter a valid web address."),
    "extra_values": _("This row has more values than there are columns."),
    "duplicate_registration": _("An organisation with this registration number is already registered: %(name)s."),
    "duplicate_registration_in_file": _("Row %(row)s already has this registration number."),
    "similar_name": _(
        "The name is very close to that of %(name)s, already registered in the same territory. Check that it is not "
        "the same organisation."
    ),
    "same_name_in_file": _("Row %(row)s has the same name in the same territory."),
}

FAILURE_MESSAGES: dict[str, Promise] = {
    "not_startable": _("This file has errors or was already imported: it cannot be imported."),
    "duplicate_registration": _(
        "The import was cancelled and nothing was written: registration numbers of the file were registered in the "
        "meantime (rows %(rows)s). Upload the file again to check it."
    ),
    "integrity": _(
        "The import was cancelled and nothing was written: the database refused the data (%(detail)s). "
        "Upload the file again to check it."
    ),
    "unexpected": _(
        "The import was cancelled and nothing was written because of an unexpected error. Try again later, or "
        "contact the platform team."
    ),
}


@dataclass
class Issue:
    """A problem with one row (`row` is the spreadsheet row number; the header is row 1)."""

    row: int
    field: str
    code: str
    level: str = ERROR
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "code": self.code, "level": self.level, "params": self.params}


def issue_message(issue: dict[str, Any]) -> str:
    """The issue's sentence in the active language."""
    return _render(ISSUE_MESSAGES, issue)


def failure_message(failure: dict[str, Any]) -> str:
    return _render(FAILURE_MESSAGES, failure) if failure else ""


def _render(catalog: dict[str, Promise], entry: dict[str, Any]) -> str:
    message = catalog.get(entry.get("code", ""), catalog.get("unexpected", ""))
    params = entry.get("params") or {}
    return str(message) % params if params else str(message)
