"""The rows of the directory export, and the accepted values listed in the import template.

Public fields only: contact e-mail and phone are never exported (the export is as public as the directory).
Kinds, themes and territory names are given in the request's language; names in all three languages.
Labels are resolved before the rows are produced, so a streamed export does not depend on the language being
active while the response is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

from jusoor.common.i18nfield import localized
from jusoor.organizations.bulk.columns import EXPORT_COLUMN_NAMES, PRIVATE_COLUMNS
from jusoor.organizations.models import Organization, OrganizationKind, Registry, Theme

EXPORT_HEADER = EXPORT_COLUMN_NAMES
XLSX_MAX_ROWS = 50_000
CHUNK_SIZE = 2000

assert not PRIVATE_COLUMNS & set(EXPORT_HEADER)  # the export is public


def export_rows(organizations: QuerySet[Organization], *, profile_url: str) -> Iterator[list[Any]]:
    """One list per organisation, in EXPORT_HEADER order. `profile_url` is the absolute URL of organisation 0."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    statuses = {value: str(label) for value, label in Organization.Status.choices}
    prefix, suffix = profile_url.rsplit("/0/", 1)
    rows = organizations.select_related("kind", "territory").prefetch_related("themes")
    return _rows(rows, language=language, statuses=statuses, url=(prefix + "/%s/" + suffix))


def _rows(
    organizations: QuerySet[Organization], *, language: str, statuses: dict[str, str], url: str
) -> Iterator[list[Any]]:
    for organization in organizations.iterator(chunk_size=CHUNK_SIZE):
        territory = organization.territory
        yield [
            organization.pk,
            url % organization.pk,
            organization.name_ar,
            organization.name_fr,
            organization.name_en,
            organization.primary_language,
            organization.acronym,
            localized(organization.kind.label, language),
            organization.registry,
            organization.registration_number,
            organization.founded_on.isoformat() if organization.founded_on else "",
            organization.country,
            territory.code if territory else "",
            (getattr(territory, f"name_{language}", "") or territory.name_fr) if territory else "",
            "; ".join(localized(theme.label, language) for theme in organization.themes.all()),
            organization.members_count,
            organization.volunteers_count,
            organization.website,
            organization.description,
            statuses.get(organization.status, organization.status),
        ]


def template_values() -> dict[str, Iterable[tuple[str, ...]]]:
    """Kinds, themes and registries with their identifier and names in ar, fr, en (two queries)."""
    languages = [code for code, _name in settings.LANGUAGES]

    def registry_names(value: str, label: Any) -> tuple[str, ...]:
        names = []
        for language in languages:
            with translation.override(language):
                names.append(str(label))
        return (value, *names)

    return {
        "kinds": [
            (kind.slug, *(kind.label.get(code, "") for code in languages)) for kind in OrganizationKind.objects.all()
        ],
        "themes": [(theme.slug, *(theme.label.get(code, "") for code in languages)) for theme in Theme.objects.all()],
        "registries": [registry_names(value, label) for value, label in Registry.choices],
    }
