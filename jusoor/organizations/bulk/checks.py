"""Check every row of an import and turn it into the values the import writes.

The reference data (kinds, themes, territories and their alternate codes) is read once, in four queries,
whatever the number of rows; each row is then checked in memory. Duplicates against the database are found
set-based in `duplicates.py`. Problems are `Issue`s with the spreadsheet row number and the column name;
errors block the import, warnings are shown and do not.

A checked row is a plain dict (stored as JSON on the ImportJob), for example:
{"row": 2, "ok": true, "name_ar": "…", "name_fr": "…", "name_en": "", "primary_language": "ar", "acronym": "",
 "kind_id": 1, "registry": "tn-rne", "registration_number": "1234567A", "founded_on": "2012-03-15",
 "country": "TN", "territory_id": 7, "theme_ids": [2, 5], "members_count": 120, "volunteers_count": null,
 "contact_email": "", "contact_phone": "+21675640000", "website": "", "description": ""}
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone, translation

from jusoor.accounts.forms import normalise_phone
from jusoor.organizations.bulk.columns import NAME_COLUMNS
from jusoor.organizations.bulk.duplicates import find_duplicate_registrations, find_similar_names
from jusoor.organizations.bulk.encoding import looks_double_encoded
from jusoor.organizations.bulk.messages import ERROR, WARNING, Issue
from jusoor.organizations.bulk.parsing import ParsedFile
from jusoor.organizations.forms import REGISTRATION_FORMATS
from jusoor.organizations.models import OrganizationKind, Registry, Theme
from jusoor.territories.folding import fold_search_text
from jusoor.territories.models import Territory, TerritoryCode

MAX_LENGTHS = {
    "name_ar": 255,
    "name_fr": 255,
    "name_en": 255,
    "acronym": 30,
    "registration_number": 40,
    "contact_email": 254,
    "website": 200,
    "description": 10_000,
}
TEXT_FIELDS = ("name_ar", "name_fr", "name_en", "acronym", "description")
MAX_COUNT = 2_147_483_647
_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


def key(value: str) -> str:
    """How names are compared: folded (accents, Arabic letter variants, case), punctuation as spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", fold_search_text(value)).split())


@dataclass
class CheckResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(1 for issue in self.issues if issue.level == ERROR)

    @property
    def warning_count(self) -> int:
        return sum(1 for issue in self.issues if issue.level == WARNING)


@dataclass
class _TerritoryIndex:
    by_code: dict[str, list[Territory]]
    by_name: dict[str, list[Territory]]
    depth: dict[int, int]

    def resolve(self, value: str, country: str) -> tuple[Territory | None, Issue | None]:
        """The territory a cell names (code, alternate code or name), or the issue explaining why not."""
        candidates = self.by_code.get(value.upper()) or self.by_name.get(key(value), [])
        if country:
            candidates = [t for t in candidates if t.country == country]
        if not candidates:
            return None, Issue(0, "territory", "territory_unknown", params={"value": value})
        if len(candidates) == 1:
            return candidates[0], None
        top = min(self.depth[t.pk] for t in candidates)
        highest = [t for t in candidates if self.depth[t.pk] == top]
        if len(highest) == 1:
            chosen = highest[0]
            params = {"value": value, "name": chosen.name, "code": chosen.code}
            return chosen, Issue(0, "territory", "territory_chosen", level=WARNING, params=params)
        codes = ", ".join(sorted(t.code for t in candidates))
        return None, Issue(0, "territory", "territory_ambiguous", params={"value": value, "codes": codes})


@dataclass
class References:
    kinds: dict[str, int]
    themes: dict[str, int]
    registries: dict[str, str]
    countries: dict[str, str]
    languages: dict[str, str]
    territories: _TerritoryIndex
    today: datetime.date


def load_references() -> References:
    """Kinds, themes, territories (with their alternate codes) in four queries; registries, countries and
    languages from code, by identifier and by name in every interface language."""
    kinds: dict[str, int] = {}
    for kind_id, slug, label in OrganizationKind.objects.values_list("pk", "slug", "label"):
        kinds.update(dict.fromkeys(_names(slug, label), kind_id))
    themes: dict[str, int] = {}
    for theme_id, slug, label in Theme.objects.values_list("pk", "slug", "label"):
        themes.update(dict.fromkeys(_names(slug, label), theme_id))
    registries: dict[str, str] = {}
    languages: dict[str, str] = {}
    for language in _LANGUAGES:
        with translation.override(language):
            for value, label in Registry.choices:
                registries.update(dict.fromkeys((key(value), key(str(label))), value))
            for code, name in settings.LANGUAGES:
                languages.update(dict.fromkeys((key(code), key(str(name))), code))
    return References(
        kinds=kinds,
        themes=themes,
        registries=registries,
        countries=_countries(),
        languages=languages,
        territories=_territory_index(),
        today=timezone.localdate(),
    )


def _names(slug: str, label: Any) -> set[str]:
    names = {key(slug)}
    if isinstance(label, dict):
        names.update(key(str(text)) for text in label.values() if text)
    return names - {""}


def _countries() -> dict[str, str]:
    countries: dict[str, str] = {}
    for language in _LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                countries[key(code)] = code
                countries.setdefault(key(str(name)), code)
    return countries


def _territory_index() -> _TerritoryIndex:
    territories = {
        t.pk: t
        for t in Territory.objects.only("pk", "code", "country", "kind", "parent_id", "name_ar", "name_fr", "name_en")
    }
    by_code: dict[str, list[Territory]] = defaultdict(list)
    by_name: dict[str, list[Territory]] = defaultdict(list)
    for territory in territories.values():
        by_code[territory.code.upper()].append(territory)
        for name in {key(territory.name_ar), key(territory.name_fr), key(territory.name_en)} - {""}:
            by_name[name].append(territory)
    for territory_id, code in TerritoryCode.objects.values_list("territory_id", "code"):
        if territory_id in territories and territories[territory_id] not in by_code[code.upper()]:
            by_code[code.upper()].append(territories[territory_id])

    depth: dict[int, int] = {}

    def depth_of(territory: Territory) -> int:
        if territory.pk not in depth:
            parent = territories.get(territory.parent_id) if territory.parent_id else None
            depth[territory.pk] = 0 if parent is None else depth_of(parent) + 1
        return depth[territory.pk]

    for territory in territories.values():
        depth_of(territory)
    return _TerritoryIndex(by_code=dict(by_code), by_name=dict(by_name), depth=depth)


# --- Rows --------------------------------------------------------------------------------------------------
def check_file(parsed: ParsedFile) -> CheckResult:
    """Every row checked, in file order, then duplicates of registration numbers and names."""
    references = load_references()
    result = CheckResult()
    for row_number, cells in parsed.rows:
        row, issues = check_row(row_number, cells, references)
        if row_number in parsed.overflowing_rows:
            issues.append(Issue(row_number, "", "extra_values"))
        result.rows.append(row)
        result.issues.extend(issues)
    result.issues.extend(find_duplicate_registrations(result.rows))
    result.issues.extend(find_similar_names(result.rows))
    errors = {issue.row for issue in result.issues if issue.level == ERROR}
    for row in result.rows:
        row["ok"] = row["row"] not in errors
    result.issues.sort(key=lambda issue: (issue.row, issue.level != ERROR))
    return result


def check_row(row_number: int, cells: dict[str, str], references: References) -> tuple[dict[str, Any], list[Issue]]:
    issues: list[Issue] = []

    def fail(field_name: str, code: str, level: str = ERROR, **params: Any) -> None:
        issues.append(Issue(row_number, field_name, code, level=level, params=params))

    row: dict[str, Any] = {"row": row_number}
    for name in (*TEXT_FIELDS, "contact_email", "website"):
        row[name] = cells.get(name, "")
    for name, limit in MAX_LENGTHS.items():
        value = cells.get(name, "")
        if len(value) > limit:
            fail(name, "too_long", max=limit)
    for name in TEXT_FIELDS:
        if looks_double_encoded(row[name]):
            fail(name, "garbled")
    if not any(row[name] for name in NAME_COLUMNS):
        fail("", "name_required")

    row["primary_language"] = _language(cells.get("primary_language", ""), row, references, fail)
    row["kind_id"] = _lookup(cells.get("kind", ""), references.kinds)
    if not cells.get("kind"):
        fail("kind", "kind_required")
    elif row["kind_id"] is None:
        fail("kind", "kind_unknown", value=cells["kind"])
    row["registry"], row["registration_number"] = _registration(cells, references, fail)
    row["founded_on"] = _date(cells.get("founded_on", ""), references.today, fail)
    row["country"], row["territory_id"] = _place(row_number, cells, references, issues, fail)
    row["theme_ids"] = _themes(cells.get("themes", ""), references, fail)
    for name in ("members_count", "volunteers_count"):
        row[name] = _count(cells.get(name, ""), name, fail)
    row["contact_email"] = _email_address(row["contact_email"], fail)
    row["contact_phone"] = _phone(cells.get("contact_phone", ""), fail)
    row["website"] = _website(row["website"], fail)
    return row, issues


Fail = Callable[..., None]


def _lookup(value: str, table: dict[str, Any]) -> Any:
    return table.get(key(value)) if value else None


def _language(value: str, row: dict[str, Any], references: References, fail: Fail) -> str:
    if value:
        language = _lookup(value, references.languages)
        if language is None:
            fail("primary_language", "language_unknown", value=value)
            return "ar"
        return str(language)
    return next((code for code in _LANGUAGES if row.get(f"name_{code}")), "ar")


def _registration(cells: dict[str, str], references: References, fail: Fail) -> tuple[str, str]:
    number = _SPACES.sub("", cells.get("registration_number", "")).upper()
    raw_registry = cells.get("registry", "")
    registry = _lookup(raw_registry, references.registries) or ""
    if raw_registry and not registry:
        fail("registry", "registry_unknown", value=raw_registry)
    elif number and not registry:
        fail("registry", "registry_required")
    elif registry in REGISTRATION_FORMATS and number:
        pattern, example = REGISTRATION_FORMATS[registry]
        if not re.match(pattern, number):
            fail("registration_number", "registration_format", example=example)
    return registry, number


def _date(value: str, today: datetime.date, fail: Fail) -> str | None:
    if not value:
        return None
    value = value.strip()
    match = _YMD.match(value.split(" ")[0].split("T")[0])
    parts = (match.group(1), match.group(2), match.group(3)) if match else None
    if parts is None and (match := _DMY.match(value)):
        parts = (match.group(3), match.group(2), match.group(1))
    try:
        date = datetime.date(int(parts[0]), int(parts[1]), int(parts[2])) if parts else None
    except ValueError:
        date = None
    if date is None:
        fail("founded_on", "date_format")
        return None
    if date > today:
        fail("founded_on", "date_future")
    return date.isoformat()


def _place(
    row_number: int, cells: dict[str, str], references: References, issues: list[Issue], fail: Fail
) -> tuple[str, int | None]:
    raw_country, raw_territory = cells.get("country", ""), cells.get("territory", "")
    country = _lookup(raw_country, references.countries) or ""
    if raw_country and not country:
        fail("country", "country_unknown", value=raw_country)
    territory = None
    if raw_territory:
        territory, issue = references.territories.resolve(raw_territory, country)
        if territory is None and country:
            # Named in another country than the row's: say so rather than "unknown".
            elsewhere, _issue = references.territories.resolve(raw_territory, "")
            if elsewhere is not None:
                fail("territory", "country_mismatch", territory=elsewhere.code, country=country)
                issue = None
        if issue is not None:
            issue.row = row_number
            issues.append(issue)
    if territory is not None and not country:
        country = territory.country
    if not country and not raw_country and not raw_territory:
        fail("country", "country_required")
    return country, territory.pk if territory else None


def _themes(value: str, references: References, fail: Fail) -> list[int]:
    names = [name.strip() for name in value.replace("|", ";").split(";") if name.strip()]
    ids: list[int] = []
    unknown: list[str] = []
    for name in names:
        theme_id = _lookup(name, references.themes)
        if theme_id is None:
            unknown.append(name)
        elif theme_id not in ids:
            ids.append(theme_id)
    if unknown:
        fail("themes", "themes_unknown", values=", ".join(f"“{name}”" for name in unknown))
    return ids


def _count(value: str, name: str, fail: Fail) -> int | None:
    if not value:
        return None
    digits = _SPACES.sub("", value)
    if not digits.isdigit() or not digits.isascii() or int(digits) > MAX_COUNT:
        fail(name, "number_invalid")
        return None
    return int(digits)


def _email_address(value: str, fail: Fail) -> str:
    if not value:
        return ""
    try:
        _email(value)
    except ValidationError:
        fail("contact_email", "email_invalid")
        return ""
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def _phone(value: str, fail: Fail) -> str:
    try:
        return normalise_phone(value)
    except ValidationError as error:
        fail("contact_phone", "phone_invalid" if error.code == "phone_invalid" else "phone_format")
        return ""


def _website(value: str, fail: Fail) -> str:
    if not value:
        return ""
    if "://" not in value:
        value = f"https://{value}"
    try:
        _url(value)
    except ValidationError:
        fail("website", "url_invalid")
        return ""
    return value
