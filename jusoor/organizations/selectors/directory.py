"""The public directory of organisations: search, filters and sorting.

Search combines two indexed conditions in one OR, which PostgreSQL runs as a BitmapOr of two GIN index scans:

- full text: `search_vector @@ (websearch_to_tsquery('arabic', q') || websearch_to_tsquery('french', q'))`
  (GIN on `search_vector`), which finds Arabic words by their stem (الأمل, للأمل) and French ones too;
- trigram word similarity: `search_text %> q'` (GIN `gin_trgm_ops` on `search_text`), which finds variant
  spellings of names (Hamamet → Hammamet) above `pg_trgm.word_similarity_threshold` (0.6 by default).

`q'` is the query folded by `jusoor_fold()` (migration 0003), the same function that wrote both columns
(`services/search_index.py`), so accents, hamza/alef variants, teh marbuta, tatweel and short vowels never
decide whether something is found. PostgreSQL evaluates `jusoor_fold(<constant>)` once, at plan time.
Results are ranked by `ts_rank + word_similarity`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import Organization, OrganizationKind, Theme
from jusoor.territories.models import Country, Territory

SORTS = ("relevance", "name", "newest")
MAX_QUERY_LENGTH = 200
SDG_NUMBERS = range(1, 18)

_DESCENDANTS_SQL = f"""
WITH RECURSIVE tree(id) AS (
    SELECT id FROM {Territory._meta.db_table} WHERE code = %s
    UNION ALL
    SELECT child.id FROM {Territory._meta.db_table} AS child JOIN tree ON child.parent_id = tree.id
)
SELECT id FROM tree
"""  # noqa: S608  (the table name is a constant; the code is a parameter)


class DirectoryErrorCode(StrEnum):
    UNKNOWN_COUNTRY = "unknown_country"
    UNKNOWN_TERRITORY = "unknown_territory"
    UNKNOWN_KIND = "unknown_kind"
    UNKNOWN_THEME = "unknown_theme"
    UNKNOWN_SDG = "unknown_sdg"
    INVALID_SORT = "invalid_sort"


class Fold(Func):
    """`jusoor_fold(text)`: the search folding, in SQL (see migration 0003)."""

    function = "jusoor_fold"
    output_field = TextField()


def organization_directory(
    *,
    viewer: Any,
    q: str = "",
    country: str = "",
    territory_code: str = "",
    kind: str = "",
    theme: str = "",
    sdg: int | None = None,
    verified_only: bool = False,
    sort: str = "relevance",
) -> QuerySet[Organization]:
    """The organisations `viewer` may list, filtered, searched and sorted.

    Anonymous and ordinary users see public organisations only (pending and verified); verification officers
    and platform administrators see every status. A territory includes everything inside it and matches an
    organisation's seat or one of the territories where it works. Sorts: `relevance` (with a query; without
    one it falls back to `newest`), `name` (in the current language) and `newest`.

    Unknown filter values raise ApplicationError (codes in DirectoryErrorCode). Validating `territory_code`,
    `kind` and `theme` costs one small query each; the returned queryset then lists a page in two queries
    (organisations with kind and territory, then their themes) and counts in one.
    """
    if sort not in SORTS:
        raise ApplicationError(_("This sort order does not exist."), code=DirectoryErrorCode.INVALID_SORT)
    organizations = Organization.objects.select_related("kind", "territory").prefetch_related("themes")

    if not _sees_every_status(viewer):
        organizations = organizations.filter(status__in=Organization.PUBLIC_STATUSES)
    if verified_only:
        organizations = organizations.filter(status=Organization.Status.VERIFIED)
    if country:
        if country.upper() not in Country.values:
            raise ApplicationError(_("This country is not covered."), code=DirectoryErrorCode.UNKNOWN_COUNTRY)
        organizations = organizations.filter(country=country.upper())
    if territory_code:
        territory_ids = _territory_and_descendant_ids(territory_code)
        if not territory_ids:
            raise ApplicationError(_("This territory does not exist."), code=DirectoryErrorCode.UNKNOWN_TERRITORY)
        operating_in = Organization.operating_territories.through.objects.filter(territory_id__in=territory_ids)
        organizations = organizations.filter(
            Q(territory_id__in=territory_ids) | Q(pk__in=operating_in.values("organization_id"))
        )
    if kind:
        kind_id = OrganizationKind.objects.filter(slug=kind).values_list("pk", flat=True).first()
        if kind_id is None:
            raise ApplicationError(_("This kind of organisation does not exist."), code=DirectoryErrorCode.UNKNOWN_KIND)
        organizations = organizations.filter(kind_id=kind_id)
    if theme:
        theme_id = Theme.objects.filter(slug=theme).values_list("pk", flat=True).first()
        if theme_id is None:
            raise ApplicationError(_("This theme does not exist."), code=DirectoryErrorCode.UNKNOWN_THEME)
        with_theme = Organization.themes.through.objects.filter(theme_id=theme_id)
        organizations = organizations.filter(pk__in=with_theme.values("organization_id"))
    if sdg is not None:
        if isinstance(sdg, bool) or not isinstance(sdg, int) or sdg not in SDG_NUMBERS:
            raise ApplicationError(
                _("The sustainable development goals are numbered from 1 to 17."), code=DirectoryErrorCode.UNKNOWN_SDG
            )
        with_goal = Organization.sdg_goals.through.objects.filter(sdggoal_id=sdg)
        organizations = organizations.filter(pk__in=with_goal.values("organization_id"))

    q = " ".join(q.split())[:MAX_QUERY_LENGTH]
    if q:
        organizations = _search(organizations, q)
    if sort == "relevance" and q:
        return organizations.order_by("-rank", "-pk")
    if sort == "name":
        return organizations.order_by(_localized_name(), "pk")
    return organizations.order_by("-created_at", "-pk")


def _sees_every_status(viewer: Any) -> bool:
    return bool(getattr(viewer, "is_authenticated", False)) and viewer.has_perm("organizations.verify_organization")


def _territory_and_descendant_ids(code: str) -> list[int]:
    """The territory with this code and everything below it, in one recursive query ([] when unknown)."""
    with connection.cursor() as cursor:
        cursor.execute(_DESCENDANTS_SQL, [code])
        return [row[0] for row in cursor.fetchall()]


def _search(organizations: QuerySet[Organization], q: str) -> QuerySet[Organization]:
    folded = Fold(Value(q))
    query = SearchQuery(folded, config="arabic", search_type="websearch") | SearchQuery(
        folded, config="french", search_type="websearch"
    )
    return organizations.filter(Q(search_vector=query) | Q(search_text__trigram_word_similar=folded)).annotate(
        rank=SearchRank(F("search_vector"), query) + TrigramWordSimilarity(folded, "search_text")
    )


def _localized_name() -> Coalesce:
    """The organisation's name in the current language, else French, Arabic, English (as `Organization.name`)."""
    lang = (get_language() or "fr")[:2]
    order = [lang] if lang in {"ar", "fr", "en"} else []
    order += [other for other in ("fr", "ar", "en") if other != lang]
    return Coalesce(*(NullIf(f"name_{code}", Value("")) for code in order))
