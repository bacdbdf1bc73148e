"""The public directory of organisations: search, filters and sorting.

Search combines two indexed conditions in one OR, which PostgreSQL runs as a BitmapOr of two GIN index scans:

- full text: `search_vector @@ (websearch_to_tsquery('arabic', q') || websearch_to_tsquery('french', q'))`
  (GIN on `search_vector`), which finds Arabic words by their stem (الأمل, للأمل) and French ones too;
- trigram word similarity: `search_text %> w'` for each distinctive word w of the query, in any order
  (GIN `gin_trgm_ops` on `search_text`, one index scan with one key per word), which finds variant spellings
  of names (Hamamet → Hammamet) above `pg_trgm.word_similarity_threshold` (0.6, PostgreSQL's default).

`q'` and `w'` are folded by `jusoor_fold()` (migration 0003), the same function that wrote both columns
(`services/search_index.py`), so accents, hamza/alef variants, teh marbuta, tatweel and short vowels never
decide whether something is found. PostgreSQL evaluates `jusoor_fold(<constant>)` once, at plan time.
Results are ranked by `ts_rank` (normalised by document length) + `word_similarity(q', search_text)`.

Two things keep a search fast on a large directory (bench/registry.py: 300,000 organisations):

- Words that many names contain (جمعية, association, coopérative, de, pour…: GENERIC_WORDS) are left out of the
  trigram condition: full-text search matches them exactly, while their trigrams would make the trigram index
  return most of the table for PostgreSQL to recheck. A query made only of such words uses full text alone.
- A search ranks and counts at most SEARCH_CANDIDATES + 1 matches. `organization_directory` finds them at once,
  in one query (the match and the filters in a MATERIALIZED CTE read up to a LIMIT, so the bitmap heap scan stops
  early), and returns a queryset over those ids, ranked. Up to SEARCH_CANDIDATES matches, results and count are
  exact; beyond, `count()` returns SEARCH_CANDIDATES + 1 (say "more than 500": the search should be refined)
  and the page is the best of the first matches found (in table order), not of all of them.
"""

from __future__ import annotations

import re
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
from jusoor.territories.folding import fold_search_text
from jusoor.territories.models import Country, Territory

SORTS = ("relevance", "name", "newest")
MAX_QUERY_LENGTH = 200
SDG_NUMBERS = range(1, 18)
SEARCH_CANDIDATES = 500
MAX_TRIGRAM_WORDS = 6
NON_PUBLIC_STATUSES = frozenset(Organization.Status.values) - Organization.PUBLIC_STATUSES

# Words too common in organisation names to tell them apart by trigrams, folded (fold_search_text, which
# test_search.py keeps equal to jusoor_fold).
GENERIC_WORDS = frozenset(
    """
    جمعيه جمعيات تعاونيه تعاونيات وداديه نادي منظمه شبكه اتحاد رابطه هيئه مجموعه شركه
    في من و ب ل لل ال على الي عن مع
    association associations cooperative cooperatives amicale amicales club clubs reseau union federation
    fondation ligue collectif comite societe groupement organisation organization society network foundation
    de des du d la le les l et pour a au aux en sur par avec of the for and in
    """.split()  # noqa: SIM905  (a word list reads better as text)
)
_WORD_SPLIT = re.compile(r"[\s'’ʼ‘`´]+")

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

    Unknown filter values raise ApplicationError (codes in DirectoryErrorCode), before any search runs.
    Queries run by this call: one each to check `territory_code`, `kind` and `theme` when given, and one to find
    a search's candidates. The returned queryset then lists a page in two queries (organisations with kind and
    territory, then their themes) and counts in one.
    """
    if sort not in SORTS:
        raise ApplicationError(_("This sort order does not exist."), code=DirectoryErrorCode.INVALID_SORT)
    # PostgreSQL text cannot hold NUL characters: drop them rather than fail.
    country, territory_code, kind, theme = (
        value.replace("\x00", "") for value in (country, territory_code, kind, theme)
    )
    conditions = _filter_conditions(
        country=country, territory_code=territory_code, kind=kind, theme=theme, sdg=sdg, verified_only=verified_only
    )
    public_only = not _sees_every_status(viewer)
    q = " ".join(q.replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    if q:
        organizations = _search(conditions, public_only=public_only, q=q)
    else:
        if public_only:
            conditions.append(Q(status__in=Organization.PUBLIC_STATUSES))
        organizations = Organization.objects.filter(*conditions)
    organizations = organizations.select_related("kind", "territory").prefetch_related("themes")
    if sort == "relevance" and q:
        return organizations.order_by(F("rank").desc(), "-pk")
    if sort == "name":
        return organizations.order_by(_localized_name(), "pk")
    return organizations.order_by("-created_at", "-pk")


def _filter_conditions(
    *, country: str, territory_code: str, kind: str, theme: str, sdg: int | None, verified_only: bool
) -> list[Q]:
    """The filters as conditions on Organization; ApplicationError for a value that does not exist."""
    conditions = []
    if verified_only:
        conditions.append(Q(status=Organization.Status.VERIFIED))
    if country:
        if country.upper() not in Country.values:
            raise ApplicationError(_("This country is not covered."), code=DirectoryErrorCode.UNKNOWN_COUNTRY)
        conditions.append(Q(country=country.upper()))
    if territory_code:
        territory_ids = _territory_and_descendant_ids(territory_code)
        if not territory_ids:
            raise ApplicationError(_("This territory does not exist."), code=DirectoryErrorCode.UNKNOWN_TERRITORY)
        # One IN (… UNION …) rather than an OR of two conditions: both sides read ids from an index alone, and
        # UNION (unlike UNION ALL) tells the planner how many ids to expect.
        seated = Organization.objects.filter(territory_id__in=territory_ids).order_by().values("pk")
        operating = Organization.operating_territories.through.objects.filter(territory_id__in=territory_ids)
        conditions.append(Q(pk__in=seated.union(operating.values("organization_id"))))
    if kind:
        kind_id = OrganizationKind.objects.filter(slug=kind).values_list("pk", flat=True).first()
        if kind_id is None:
            raise ApplicationError(_("This kind of organisation does not exist."), code=DirectoryErrorCode.UNKNOWN_KIND)
        conditions.append(Q(kind_id=kind_id))
    if theme:
        theme_id = Theme.objects.filter(slug=theme).values_list("pk", flat=True).first()
        if theme_id is None:
            raise ApplicationError(_("This theme does not exist."), code=DirectoryErrorCode.UNKNOWN_THEME)
        with_theme = Organization.themes.through.objects.filter(theme_id=theme_id)
        conditions.append(Q(pk__in=with_theme.values("organization_id")))
    if sdg is not None:
        if isinstance(sdg, bool) or not isinstance(sdg, int) or sdg not in SDG_NUMBERS:
            raise ApplicationError(
                _("The sustainable development goals are numbered from 1 to 17."), code=DirectoryErrorCode.UNKNOWN_SDG
            )
        with_goal = Organization.sdg_goals.through.objects.filter(sdggoal_id=sdg)
        conditions.append(Q(pk__in=with_goal.values("organization_id")))
    return conditions


def _sees_every_status(viewer: Any) -> bool:
    return bool(getattr(viewer, "is_authenticated", False)) and viewer.has_perm("organizations.verify_organization")


def _territory_and_descendant_ids(code: str) -> list[int]:
    """The territory with this code and everything below it, in one recursive query ([] when unknown)."""
    with connection.cursor() as cursor:
        cursor.execute(_DESCENDANTS_SQL, [code])
        return [row[0] for row in cursor.fetchall()]


def _search(conditions: list[Q], *, public_only: bool, q: str) -> QuerySet[Organization]:
    """The organisations matching `q` and the conditions (at most SEARCH_CANDIDATES + 1), with their `rank`."""
    folded = Fold(Value(q))
    query = SearchQuery(folded, config="arabic", search_type="websearch") | SearchQuery(
        folded, config="french", search_type="websearch"
    )
    match = Q(search_vector=query)
    words = _distinctive_words(q)
    if words:
        # Each distinctive word must be (nearly) in the names, in any order: one GIN scan with one key per word.
        match |= Q(*(Q(search_text__trigram_word_similar=Fold(Value(word))) for word in words))
    if public_only:
        # Written as NOT IN: the status btree cannot serve it, so the planner does not AND a bitmap of most of the
        # table with the two small search bitmaps.
        conditions = [*conditions, ~Q(status__in=NON_PUBLIC_STATUSES)]
    matches = Organization.objects.filter(match, *conditions).order_by().values("pk")
    sql, params = matches.query.sql_with_params()
    with connection.cursor() as cursor:
        # A MATERIALIZED CTE is planned for all its rows (the GIN bitmaps) and read only as far as the LIMIT; a
        # LIMIT on a plain subquery would tempt the planner into a sequential scan that hopes to stop early.
        limited = f"WITH matches AS MATERIALIZED ({sql}) SELECT * FROM matches LIMIT %s"  # noqa: S608  (Django's SQL)
        cursor.execute(limited, [*params, SEARCH_CANDIDATES + 1])
        candidate_ids = [row[0] for row in cursor.fetchall()]
    # ts_rank normalisation 1 divides by 1 + log(document length): among equal matches, the shorter names first.
    similarity = TrigramWordSimilarity(folded, "search_text")  # type: ignore[arg-type]  # an expression works too
    rank = SearchRank(F("search_vector"), query, normalization=1) + similarity
    return Organization.objects.filter(pk__in=candidate_ids).annotate(rank=rank)


def _distinctive_words(q: str) -> list[str]:
    """The words of `q` worth a trigram search: at least 3 letters and not GENERIC_WORDS (as typed, unfolded)."""
    words = (word.strip('.,;:!?()[]"-') for word in _WORD_SPLIT.split(q))
    distinct = dict.fromkeys(word for word in words if len(word) >= 3 and fold_search_text(word) not in GENERIC_WORDS)
    return list(distinct)[:MAX_TRIGRAM_WORDS]


def _localized_name() -> Coalesce:
    """The organisation's name in the current language, else French, Arabic, English (as `Organization.name`)."""
    lang = (get_language() or "fr")[:2]
    order = [lang] if lang in {"ar", "fr", "en"} else []
    order += [other for other in ("fr", "ar", "en") if other != lang]
    return Coalesce(*(NullIf(f"name_{code}", Value("")) for code in order))
