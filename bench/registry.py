"""`make bench`: the organisation directory (search and filters) on 300,000 organisations, printed as JSON.

Runs in its own database, `jusoor_bench`, on the same PostgreSQL server as the dev database, so dev data is never
touched: the database is created when missing and migrated, the territories are loaded, then 300,000 organisations
are generated (Arabic and French names built from word lists and the territory names, with variant spellings)
and copied in with COPY, indexed with `organization_reindex()` and analysed. When the bench database already
holds 300,000 organisations, generation is skipped, so reruns only measure.

Each case calls `organization_directory(...)`, then lists the first page of 20 (with kinds, territories and
themes) and counts the results, `BENCH_ROUNDS` times (default 40) after one warm-up; p50 and p95 are in ms.
Figures go into closing notes; tests never assert timings.

    .venv/bin/python bench/registry.py            # BENCH_ROWS=300000 BENCH_ROUNDS=40 BENCH_DB=jusoor_bench
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import sys
import time
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["DJANGO_DEBUG"] = "0"

BENCH_DB = os.environ.get("BENCH_DB", "jusoor_bench")
ROWS = int(os.environ.get("BENCH_ROWS", "300000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
SEED = 20261122


def _use_bench_database() -> None:
    """Create the bench database next to the dev one if needed, and point Django's default connection at it."""
    import psycopg
    from django.conf import settings

    database = settings.DATABASES["default"]
    params = {
        "dbname": database["NAME"],
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
    database["NAME"] = BENCH_DB


_use_bench_database()

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from jusoor.organizations.models import Organization, OrganizationKind, SDGGoal, Theme  # noqa: E402
from jusoor.organizations.selectors.directory import organization_directory  # noqa: E402
from jusoor.organizations.services.search_index import organization_reindex  # noqa: E402
from jusoor.territories.models import Kind, Territory  # noqa: E402
from jusoor.territories.services import territories_load  # noqa: E402

# --- Word lists ------------------------------------------------------------------------------------------------
KINDS = {  # slug: (ar, fr, en, Arabic name openings, French name openings)
    "association": ("جمعية", "Association", "Association", ["جمعية", "جمعيّة", "جمعيه", "منظمة"], ["Association"]),
    "cooperative": (
        "تعاونية",
        "Coopérative",
        "Cooperative",
        ["تعاونية", "شركة تعاونية"],
        ["Coopérative", "Cooperative"],
    ),
    "amicale": ("ودادية", "Amicale", "Friendly society", ["ودادية", "وداديّة"], ["Amicale"]),
    "club": ("نادي", "Club", "Club", ["نادي", "نادى"], ["Club"]),
    "network": ("شبكة", "Réseau", "Network", ["شبكة", "اتحاد"], ["Réseau", "Union", "Fédération"]),
}
KIND_WEIGHTS = {"association": 60, "cooperative": 12, "amicale": 12, "club": 8, "network": 8}
THEMES = {  # slug: (ar label, fr label, en label, Arabic name parts, French name parts)
    "development": (
        "التنمية",
        "Développement",
        "Development",
        ["للتنمية", "للتنمية المحلية", "للتنمية المستدامة", "التنموية"],
        ["pour le développement", "de développement local", "pour le developpement durable"],
    ),
    "environment": (
        "البيئة",
        "Environnement",
        "Environment",
        ["لحماية البيئة", "البيئية", "للمحافظة على البيئة"],
        ["de protection de l'environnement", "écologique", "pour l’environnement"],
    ),
    "youth": (
        "الشباب",
        "Jeunesse",
        "Youth",
        ["الشبان", "للشباب", "شباب"],
        ["des jeunes", "de la jeunesse", "Jeunesse"],
    ),
    "women": (
        "المرأة",
        "Femmes",
        "Women",
        ["النسائية", "للمرأة الريفية", "لتمكين المرأة"],
        ["des femmes", "féminine", "des femmes rurales"],
    ),
    "culture": (
        "الثقافة",
        "Culture",
        "Culture",
        ["للثقافة والفنون", "الثقافية", "للتراث"],
        ["culturelle", "des arts et de la culture", "du patrimoine"],
    ),
    "sport": (
        "الرياضة",
        "Sport",
        "Sport",
        ["الرياضية", "لكرة القدم", "للرياضة للجميع"],
        ["sportive", "de football", "omnisports"],
    ),
    "agriculture": (
        "الفلاحة",
        "Agriculture",
        "Agriculture",
        ["الفلاحية", "لزراعة الزيتون", "لمربي الماشية", "للصيد البحري"],
        ["agricole", "des oléiculteurs", "des éleveurs", "de pêche"],
    ),
    "education": (
        "التعليم",
        "Éducation",
        "Education",
        ["لمحو الأمية", "للدعم المدرسي", "لأولياء التلاميذ"],
        ["d'alphabétisation", "de soutien scolaire", "des parents d'élèves"],
    ),
    "health": (
        "الصحة",
        "Santé",
        "Health",
        ["للصحة", "لمرضى السكري", "للتبرع بالدم"],
        ["de santé", "des diabétiques", "des donneurs de sang"],
    ),
    "solidarity": (
        "التضامن",
        "Solidarité",
        "Solidarity",
        ["الخيرية", "للتضامن الاجتماعي", "لرعاية الأيتام", "الأمل", "النور"],
        ["de bienfaisance", "de solidarité", "d'aide aux orphelins", "Espoir", "Ennour"],
    ),
    "water": (
        "الماء",
        "Eau",
        "Water",
        ["للماء الصالح للشرب", "لمستعملي الماء"],
        ["de l'eau potable", "des usagers de l'eau"],
    ),
    "handicap": (
        "الإعاقة",
        "Handicap",
        "Disability",
        ["لرعاية المعوقين", "لذوي الإعاقة"],
        ["des personnes handicapées", "d'aide aux handicapés"],
    ),
}
SDG_SHORT = [
    "No poverty",
    "Zero hunger",
    "Good health",
    "Quality education",
    "Gender equality",
    "Clean water",
    "Clean energy",
    "Decent work",
    "Industry",
    "Reduced inequalities",
    "Sustainable cities",
    "Responsible consumption",
    "Climate action",
    "Life below water",
    "Life on land",
    "Peace and justice",
    "Partnerships",
]
DESCRIPTIONS_AR = [
    "تعمل الجمعية على {theme} في {place} منذ تأسيسها، وتنظم أنشطة لفائدة الأطفال والشباب والعائلات.",
    "نسعى إلى دعم المبادرات المحلية في {place} وتعزيز المشاركة المواطنية {theme}.",
    "تأسست سنة {year} بهدف خدمة سكان {place} وتطوير العمل الجمعياتي {theme}.",
]
DESCRIPTIONS_FR = [
    "L'association agit à {place} depuis {year} {theme} : ateliers, formations et accompagnement des familles.",
    "Nous soutenons les initiatives locales de {place} et la participation citoyenne {theme}.",
    "Fondée en {year}, la structure rassemble des bénévoles de {place} autour d'actions {theme}.",
]
_PLACE_PREFIXES = re.compile(r"^(Province d[e’']\s*|Préfecture d[e’']\s*|Préfecture des?\s+|إقليم |عمالة )")
# Spellings people use for the same place: accents dropped, double consonants single, Kalaat/Kelâat/Qalaat…
_LATIN_VARIANTS = [
    (re.compile(r"([bcdfglmnprst])\1"), r"\1"),
    (re.compile(r"Kalaa?t|Kelâat|Qalaat"), "Kelaat"),
    (re.compile(r"\bEl\b"), "Al"),
    (re.compile(r"ou"), "u"),
]
_ARABIC_VARIANTS = [("أ", "ا"), ("إ", "ا"), ("ة", "ه"), ("ى", "ي")]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _latin_variant(rng: random.Random, name: str) -> str:
    if rng.random() < 0.35:
        name = _strip_accents(name)
    if rng.random() < 0.3:
        pattern, replacement = rng.choice(_LATIN_VARIANTS)
        name = pattern.sub(replacement, name, count=1)
    return name


def _arabic_variant(rng: random.Random, name: str) -> str:
    if rng.random() < 0.3:
        source, target = rng.choice(_ARABIC_VARIANTS)
        name = name.replace(source, target)
    if rng.random() < 0.05:  # a tatweel for emphasis, as in signs and letterheads
        name = name.replace("م", "مـ", 1)
    return name


def _place(territory: Territory) -> tuple[str, str]:
    return _PLACE_PREFIXES.sub("", territory.name_ar), _PLACE_PREFIXES.sub("", territory.name_fr)


def _ensure_taxonomies() -> tuple[dict[str, int], dict[str, int]]:
    kinds = {}
    for position, (slug, (ar, fr, en, _ar_openings, _fr_openings)) in enumerate(KINDS.items()):
        kind, _created = OrganizationKind.objects.get_or_create(
            slug=slug, defaults={"label": {"ar": ar, "fr": fr, "en": en}, "position": position}
        )
        kinds[slug] = kind.pk
    themes = {}
    for position, (slug, (ar, fr, en, _ar_parts, _fr_parts)) in enumerate(THEMES.items()):
        theme, _created = Theme.objects.get_or_create(
            slug=slug, defaults={"label": {"ar": ar, "fr": fr, "en": en}, "position": position}
        )
        themes[slug] = theme.pk
    for number, short in enumerate(SDG_SHORT, start=1):
        label = {"ar": short, "fr": short, "en": short}
        SDGGoal.objects.get_or_create(number=number, defaults={"title": label, "short": label, "color": "#19486A"})
    return kinds, themes


# --- Generation ------------------------------------------------------------------------------------------------
def generate(count: int) -> float:
    """Copy `count` new organisations (and their themes, goals, operating territories) in; returns seconds."""
    start = time.perf_counter()
    rng = random.Random(SEED + Organization.objects.count())
    kinds, themes = _ensure_taxonomies()
    territories = list(Territory.objects.select_related("parent"))  # no query may run during COPY
    leaf_kinds = {Kind.MUNICIPALITY, Kind.COMMUNE}
    weights = [6 if territory.kind in leaf_kinds else 1 for territory in territories]
    by_parent: dict[int | None, list[Territory]] = {}
    for territory in territories:
        by_parent.setdefault(territory.parent_id, []).append(territory)
    kind_slugs = list(KIND_WEIGHTS)
    kind_weights = list(KIND_WEIGHTS.values())
    theme_slugs = list(THEMES)
    statuses = [
        Organization.Status.VERIFIED,
        Organization.Status.PENDING,
        Organization.Status.UNVERIFIED,
        Organization.Status.SUSPENDED,
    ]
    registry = {"TN": "tn-rne", "MA": "ma-recepisse", "FR": "fr-rna"}
    now = datetime.now(tz=UTC)

    fields = list(Organization._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    first_id = (Organization.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    theme_rows: list[tuple[int, int]] = []
    goal_rows: list[tuple[int, int]] = []
    operating_rows: list[tuple[int, int]] = []

    connection.ensure_connection()
    with transaction.atomic():
        raw = connection.connection  # psycopg connection under Django's wrapper
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {Organization._meta.db_table} ({columns}) FROM STDIN") as copy:  # noqa: S608
                for offset in range(count):
                    pk = first_id + offset
                    territory = rng.choices(territories, weights)[0]
                    kind_slug = rng.choices(kind_slugs, kind_weights)[0]
                    org_themes = rng.sample(theme_slugs, rng.choice((1, 1, 2, 3)))
                    values = _organization(rng, pk, territory, kind_slug, org_themes, now, registry, statuses)
                    values["kind_id"] = kinds[kind_slug]
                    row = []
                    for field in fields:
                        value = values[field.attname] if field.attname in values else field.get_default()
                        row.append(field.get_db_prep_save(value, connection))
                    copy.write_row(row)
                    theme_rows.extend((pk, themes[slug]) for slug in org_themes)
                    goal_rows.extend((pk, number) for number in rng.sample(range(1, 18), rng.choice((0, 1, 2, 3))))
                    if rng.random() < 0.3:  # also works in neighbouring places or across its governorate/region
                        nearby = by_parent.get(territory.parent_id, []) + (
                            [territory.parent] if territory.parent else []
                        )
                        for other in rng.sample(nearby, min(len(nearby), rng.choice((1, 2)))):
                            if other.pk != territory.pk:
                                operating_rows.append((pk, other.pk))
            _copy_pairs(cursor, Organization.themes.through, "theme_id", theme_rows)
            _copy_pairs(cursor, Organization.sdg_goals.through, "sdggoal_id", goal_rows)
            _copy_pairs(cursor, Organization.operating_territories.through, "territory_id", set(operating_rows))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM "
                + Organization._meta.db_table
                + "))",  # noqa: S608
                [Organization._meta.db_table],
            )
    return time.perf_counter() - start


def _organization(
    rng: random.Random,
    pk: int,
    territory: Territory,
    kind_slug: str,
    org_themes: list[str],
    now: datetime,
    registry: dict[str, str],
    statuses: list[str],
) -> dict[str, Any]:
    place_ar, place_fr = _place(territory)
    _ar, _fr, _en, ar_openings, fr_openings = KINDS[kind_slug]
    theme = THEMES[org_themes[0]]
    arabic = (
        f"{rng.choice(ar_openings)} {rng.choice(theme[3])} ب{place_ar}"
        if rng.random() < 0.5
        else (f"{rng.choice(ar_openings)} {rng.choice(theme[3])} {place_ar}")
    )
    french = f"{rng.choice(fr_openings)} {rng.choice(theme[4])} de {_latin_variant(rng, place_fr)}"
    roll = rng.random()
    if territory.country == "FR" or roll < 0.25:
        name_ar, name_fr, language = "", french, "fr"
    elif roll < 0.6:
        name_ar, name_fr, language = _arabic_variant(rng, arabic), "", "ar"
    else:
        name_ar, name_fr, language = _arabic_variant(rng, arabic), french, rng.choice(("ar", "fr"))
    acronym = ""
    if name_fr and rng.random() < 0.3:
        acronym = "".join(word[0] for word in _strip_accents(name_fr).split() if word[0].isalpha()).upper()[:8]
    year = rng.randint(1960, 2025)
    if language == "ar":
        description = rng.choice(DESCRIPTIONS_AR).format(theme=rng.choice(theme[3]), place=place_ar, year=year)
    else:
        description = rng.choice(DESCRIPTIONS_FR).format(theme=rng.choice(theme[4]), place=place_fr, year=year)
    created = now - timedelta(seconds=rng.randint(0, 5 * 365 * 24 * 3600))
    return {
        "id": pk,
        "created_at": created,
        "updated_at": created,
        "name_ar": name_ar,
        "name_fr": name_fr,
        "primary_language": language,
        "acronym": acronym,
        "registry": registry[territory.country],
        "registration_number": f"{year}-{pk:07d}",
        "founded_on": date(year, rng.randint(1, 12), rng.randint(1, 28)),
        "country": territory.country,
        "territory_id": territory.pk,
        "description": description,
        "status": rng.choices(statuses, (50, 20, 25, 5))[0],
        "search_text": "",
        "search_vector": None,
    }


def _copy_pairs(cursor: Any, through: Any, column: str, rows: Any) -> None:
    with cursor.copy(f"COPY {through._meta.db_table} (organization_id, {column}) FROM STDIN") as copy:  # noqa: S608
        for row in rows:
            copy.write_row(row)


# --- Measurement -----------------------------------------------------------------------------------------------
ANONYMOUS = AnonymousUser()
CASES: dict[str, dict[str, Any]] = {
    "fr_variant_hamamet": {"q": "Hamamet"},
    "fr_accentless_medenine": {"q": "Medenine"},
    "fr_kelaat": {"q": "Kelaat"},
    "fr_two_common_words": {"q": "association sportive"},
    "fr_phrase_sfax_tn": {"q": "jeunes Sfax", "country": "TN"},
    "ar_hamza_shadda": {"q": "جمعية الامل"},
    "ar_tatweel_medenine": {"q": "مـدنين"},
    "ar_cooperative_olive": {"q": "تعاونية الزيتون"},
    "ar_ariana_verified": {"q": "اريانة", "verified_only": True},
    "ar_common_word": {"q": "جمعية"},
    "filter_governorate_kind": {"territory_code": "TN-82", "kind": "association"},
    "filter_region_theme_by_name": {"territory_code": "MA-06", "theme": "environment", "sort": "name"},
    "filter_sdg_newest": {"sdg": 4, "country": "MA"},
    "filter_region_newest": {"territory_code": "MA-06"},
    "directory_home": {},
    "directory_by_name": {"sort": "name"},
}


def _run(params: dict[str, Any]) -> tuple[list[str], int]:
    """One directory request: build the queryset, list the first page (kinds, territories, themes), count."""
    queryset = organization_directory(viewer=ANONYMOUS, **params)
    page = list(queryset[:20])
    names = [f"{org.name} · {org.kind.slug} · {org.territory.code if org.territory else '-'}" for org in page]
    for organization in page:
        list(organization.themes.all())
    return names, queryset.count()


def measure(params: dict[str, Any]) -> dict[str, Any]:
    _run(params)
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        _run(params)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        names, total = _run(params)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_p95(timings), 1),
        "results": total,
        "page": len(names),
        "queries": len(queries),
        "top3": names[:3],
    }


def _p95(sorted_timings: list[float]) -> float:
    return sorted_timings[max(0, int(len(sorted_timings) * 0.95 + 0.5) - 1)]


def explain(params: dict[str, Any]) -> dict[str, list[str]]:
    """EXPLAIN ANALYZE of a search's candidate query (the last the selector runs) and of its page query."""
    with CaptureQueriesContext(connection) as queries:
        queryset = organization_directory(viewer=ANONYMOUS, **params)
    keep = ("BitmapOr", "Bitmap Index Scan", "Bitmap Heap Scan", "Seq Scan", "Index Scan", "Execution Time", "Limit")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + queries.captured_queries[-1]["sql"])
        candidates = [row[0] for row in cursor.fetchall()]
    page = queryset[:20].explain(analyze=True).splitlines()
    return {
        "candidates": [line.strip() for line in candidates if any(word in line for word in keep)],
        "page": [line.strip() for line in page if any(word in line for word in keep)],
    }


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def main() -> None:
    _progress(f"migrating {BENCH_DB}")
    call_command("migrate", verbosity=0, interactive=False)
    _progress("loading territories")
    start = time.perf_counter()
    territories_load()
    territories_seconds = time.perf_counter() - start

    existing = Organization.objects.count()
    generation_seconds = reindex_seconds = reindex_again_seconds = analyze_seconds = None
    reindexed = 0
    if existing < ROWS:
        _progress(f"generating {ROWS - existing} organisations")
        generation_seconds = generate(ROWS - existing)
        _progress(f"generated in {generation_seconds:.1f} s; indexing")
        start = time.perf_counter()
        reindexed = organization_reindex()
        reindex_seconds = time.perf_counter() - start
        _progress(f"indexed in {reindex_seconds:.1f} s; again (nothing to change)")
        start = time.perf_counter()
        unchanged = organization_reindex()
        reindex_again_seconds = time.perf_counter() - start
        _progress(f"{unchanged} rows changed in {reindex_again_seconds:.1f} s; VACUUM ANALYZE")
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        analyze_seconds = time.perf_counter() - start
    all_visible = _vacuum_until_all_visible()

    _progress(f"measuring {len(CASES)} cases x {ROUNDS} rounds")
    with translation.override("fr"):
        results = {name: measure(params) for name, params in CASES.items()}
        plans = {name: explain(CASES[name]) for name in ("fr_variant_hamamet", "ar_hamza_shadda")}
    search = [name for name, params in CASES.items() if params.get("q")]
    print(
        json.dumps(
            {
                "database": BENCH_DB,
                "rows": Organization.objects.count(),
                "rounds": ROUNDS,
                "territories_load_s": round(territories_seconds, 2),
                "generated": ROWS - existing if existing < ROWS else 0,
                "generation_s": _round(generation_seconds),
                "reindexed_rows": reindexed,
                "reindex_s": _round(reindex_seconds),
                "reindex_again_unchanged_s": _round(reindex_again_seconds),
                "vacuum_analyze_s": _round(analyze_seconds),
                "all_visible_pages": all_visible,
                "cases": {name: {"params": CASES[name], **result} for name, result in results.items()},
                "search_p95_max_ms": max(results[name]["p95_ms"] for name in search),
                "search_p95_median_ms": round(statistics.median(results[name]["p95_ms"] for name in search), 1),
                "filters_p95_max_ms": max(result["p95_ms"] for name, result in results.items() if name not in search),
                "overall_p95_max_ms": max(result["p95_ms"] for result in results.values()),
                "explain": plans,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


def _vacuum_until_all_visible(attempts: int = 5) -> float:
    """The share of the table's pages marked all-visible (index-only scans need it), vacuuming again if low.

    A VACUUM right after the full reindex can leave most pages not all-visible while another session of the
    server holds an old snapshot (e.g. a long test run); autovacuum would catch up later.
    """
    with connection.cursor() as cursor:
        for _attempt in range(attempts):
            cursor.execute(
                "SELECT relallvisible::float / greatest(relpages, 1) FROM pg_class WHERE oid = %s::regclass",
                [Organization._meta.db_table],
            )
            share = cursor.fetchone()[0]
            if share >= 0.99:
                break
            _progress(f"{share:.0%} of the pages all-visible: VACUUM again")
            time.sleep(2)
            cursor.execute(f"VACUUM ANALYZE {Organization._meta.db_table}")
    return round(share, 3)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


if __name__ == "__main__":
    main()
