"""Keep the organisation search columns (`search_text`, `search_vector`) in step with the names.

Both columns are computed in SQL by one set-based UPDATE, with the same `jusoor_fold()` function the directory
search applies to the query (migration 0003), so indexing and querying always fold alike:

- `search_vector`, for full-text search in the `arabic` and `french` configurations:
  weight A: the Arabic name (`arabic`), the French and English names (`french`);
  weight B: acronym and registration number (`simple`, no stemming), the number both as typed (a query
  `2011-0456` is parsed the same way) and cut at its punctuation (so `0456` finds it too);
  weight C: the first 1,000 characters of the description, its Arabic-script words through `arabic` and the
  others through `french` (descriptions often mix both languages).
- `search_text`: the folded names and acronym, one line, for trigram word similarity (GIN `gin_trgm_ops`).

Rows whose columns are already up to date are not rewritten, so a second run over the whole table is cheap.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from jusoor.organizations.models import Organization

DESCRIPTION_CHARS = 1000
# Arabic script (letters, digits, punctuation and the supplement block): the part of a description that
# goes through the `arabic` configuration; everything else goes through `french`.
_ARABIC_SCRIPT = "\u0600-\u06ff\u0750-\u077f"

_TABLE = Organization._meta.db_table

# The two columns as SQL expressions over the organisation row `o`.
SEARCH_TEXT_SQL = (
    "jusoor_fold(concat_ws(' ', NULLIF(o.name_ar, ''), NULLIF(o.name_fr, ''), NULLIF(o.name_en, ''),"
    " NULLIF(o.acronym, '')))"
)
SEARCH_VECTOR_SQL = f"""(
    setweight(to_tsvector('arabic', jusoor_fold(o.name_ar)), 'A')
    || setweight(to_tsvector('french', jusoor_fold(concat_ws(' ', o.name_fr, o.name_en))), 'A')
    || setweight(to_tsvector('simple', jusoor_fold(concat_ws(' ', o.acronym, o.registration_number,
                                                             regexp_replace(o.registration_number,
                                                                            '[^[:alnum:]]+', ' ', 'g')))), 'B')
    || setweight(to_tsvector('arabic', regexp_replace(jusoor_fold(left(o.description, {DESCRIPTION_CHARS})),
                                                      '[^{_ARABIC_SCRIPT}]+', ' ', 'g')), 'C')
    || setweight(to_tsvector('french', regexp_replace(jusoor_fold(left(o.description, {DESCRIPTION_CHARS})),
                                                      '[{_ARABIC_SCRIPT}]+', ' ', 'g')), 'C')
)"""

_REINDEX_SQL = f"""
UPDATE {_TABLE} AS target
SET search_text = fresh.search_text, search_vector = fresh.search_vector
FROM (
    SELECT o.id, {SEARCH_TEXT_SQL} AS search_text, {SEARCH_VECTOR_SQL} AS search_vector
    FROM {_TABLE} AS o
    {{where}}
) AS fresh
WHERE target.id = fresh.id {{target_where}}
  AND (target.search_text IS DISTINCT FROM fresh.search_text
       OR target.search_vector IS DISTINCT FROM fresh.search_vector)
"""  # noqa: S608  (table name and expressions are constants; ids are parameters)


def organization_reindex(*, organization_ids: Iterable[int] | None = None) -> int:
    """Recompute `search_text` and `search_vector` of these organisations (all when None).

    One UPDATE statement; returns the number of rows whose search columns changed.
    Call it after creating an organisation or changing its names, acronym, registration number or description.
    """
    if organization_ids is None:
        sql, params = _REINDEX_SQL.format(where="", target_where=""), []
    else:
        ids = sorted({int(pk) for pk in organization_ids})
        if not ids:
            return 0
        # The id condition on both sides lets the planner use the primary key for each, even when its
        # statistics predate rows just inserted (no self-join nested loop over a stale row count).
        sql = _REINDEX_SQL.format(where="WHERE o.id = ANY(%s)", target_where="AND target.id = ANY(%s)")
        params = [ids, ids]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
