"""Organisation search and directory: the SQL folding function shared by indexing and querying, and the
indexes the directory filters need (selectors/directory.py; figures in bench/registry.py).

`jusoor_fold(text)` folds text the way `jusoor.territories.folding.fold_search_text` does (typographic
apostrophes, Arabic hamza/alef, alef maksura, teh marbuta, heh and keheh variants unified; tatweel and short
vowels dropped; lower-cased), and also strips every Latin accent `unaccent` knows (œ, ß, ł…).
It is IMMUTABLE (the unaccent dictionary is named explicitly), so PostgreSQL folds a query once at plan time,
and `services/search_index.py` can use it in one set-based UPDATE. A test keeps it equal to the Python
folding on every character of the Python table.

The characters below are written as escapes so the file stays readable; they are the Python table:
  from: ’ ʼ ‘ ` ´ أ إ آ ٱ ى ی ة ھ ک   (then dropped: tatweel, fathatan … sukun)
  to:   ' ' ' ' ' ا ا ا ا ي ي ه ه ك
"""

from django.db import migrations

FOLD_FROM = (
    "\u2019\u02bc\u2018\u0060\u00b4"  # typographic apostrophes
    "\u0623\u0625\u0622\u0671"  # alef with hamza above/below, madda, wasla
    "\u0649\u06cc"  # alef maksura, farsi yeh
    "\u0629\u06be"  # teh marbuta, heh doachashmee
    "\u06a9"  # keheh
    "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"  # tatweel and short vowels (dropped)
)
FOLD_TO = "'''''" + "\u0627" * 4 + "\u064a" * 2 + "\u0647" * 2 + "\u0643"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


CREATE_FOLD = rf"""
DO $do$
DECLARE
    ext_schema text := (SELECT quote_ident(extnamespace::regnamespace::text) FROM pg_extension
                        WHERE extname = 'unaccent');
BEGIN
    EXECUTE format(
        $f$CREATE OR REPLACE FUNCTION jusoor_fold(text) RETURNS text
           LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
           RETURN lower(%1$s.unaccent(%2$L::regdictionary, translate($1, %3$L, %4$L)))$f$,
        ext_schema, ext_schema || '.unaccent', {_literal(FOLD_FROM)}, {_literal(FOLD_TO)}
    );
END
$do$
"""  # noqa: S608  (constants only)
COMMENT_FOLD = """COMMENT ON FUNCTION jusoor_fold(text) IS
    'Search folding (accents, Arabic letter variants, tatweel, short vowels, case) for organisation search.'"""


# Directory filters on 300,000 organisations: each filter yields organisation ids from an index alone (no table
# visit), and the public/country/kind checks of those ids are answered from one covering index.
DIRECTORY_INDEXES = {
    "organization_territory_id_id": "organizations_organization (territory_id, id)",
    "organization_directory_cover": "organizations_organization (id) INCLUDE (status, country, kind_id)",
    "organization_themes_theme_org": "organizations_organization_themes (theme_id, organization_id)",
    "organization_sdgs_goal_org": "organizations_organization_sdg_goals (sdggoal_id, organization_id)",
    "organization_operating_territory_org": (
        "organizations_organization_operating_territories (territory_id, organization_id)"
    ),
}


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_private_documents"),
    ]

    operations = [
        # A list: each statement runs as written (no splitting of the dollar-quoted DO block).
        migrations.RunSQL([CREATE_FOLD, COMMENT_FOLD], reverse_sql=["DROP FUNCTION IF EXISTS jusoor_fold(text)"]),
        migrations.RunSQL(
            [f"CREATE INDEX IF NOT EXISTS {name} ON {target}" for name, target in DIRECTORY_INDEXES.items()],
            reverse_sql=[f"DROP INDEX IF EXISTS {name}" for name in DIRECTORY_INDEXES],
        ),
    ]
