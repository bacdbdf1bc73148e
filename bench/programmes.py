"""`make bench`: a support programme's call with 2,400 applications under review, printed as JSON.

Runs in its own database, `jusoor_bench_programmes` (`BENCH_DB`), on the same PostgreSQL server as the dev database,
so neither the dev data nor the other benches' databases are touched: the database is created when missing and
migrated, the Moroccan territories and the reference taxonomies are loaded.

The data set, written set-based (INSERT ... SELECT generate_series) in one transaction and reused by later runs:

* 2,400 Moroccan organisations (associations, cooperatives, federations; Arabic and/or French names built from
  word lists and the commune's names), spread over the 1,503 communes weighted by the square root of their
  population, verified, indexed for search (`organization_reindex`);
* a programme (MAD, envelope 12 M) with a manager and 60 reviewers (capacity 150 each); 20 reviewers belong to an
  applicant organisation and 30 declared a conflict with one, and the calls set `same_commune_conflict`, so
  conflicts of interest are real;
* call A: 2,400 applications sent over the call's 35 days (most near the deadline), under review, 5 answers each
  (title, description, beneficiaries, stage, budget table); a rubric of 5 weighted criteria; 3 submitted reviews per
  application (7,200 assignments spread round-robin over the reviewers, conflicted pairs skipped, 36,000 criterion
  scores drawn from the application's quality, the reviewer's bias and noise);
* call B: a copy of call A (same organisations, questions, rubric and settings) whose 2,400 applications are
  eligible, without any assignment.

Measured:

1. `assign_reviewers`: call B's assignments are deleted, then `assign_reviewers(call=B, acting_user=manager)` runs
   once: seconds, queries (each with its time), the outcome and the reviewers' loads.
2. The managers' application list (`calls:applications`) of call A: first page, a filtered and sorted page (status,
   region, amount), a search, a deep page — p50/p95 over `BENCH_ROUNDS` (default 30) requests through Django's test
   client (logged in with `force_login` as the programme's manager; the manager role needs no 2FA) after one
   warm-up, with the query count and the slowest queries.
3. The ranking page (`reviews:ranking`) of call A, first and last page, the same way.
4. `call_ranking(call=A)` alone, with its queries, the review totals' share of the time and EXPLAIN ANALYZE of the
   review totals query.

Wall times come with this process's CPU time (`cpu_p50_ms`, `cpu_ms`: the view, template and test client, not
PostgreSQL) and the load average, because other work on the machine inflates the wall times.

Figures go into closing notes; tests never assert timings.

    .venv/bin/python bench/programmes.py     # BENCH_DB=jusoor_bench_programmes BENCH_ROUNDS=30
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["DJANGO_DEBUG"] = "0"
os.environ["JUSOOR_TASKS_EAGER"] = "0"  # nothing here should send mail; if something queues a job, it is not sent
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

BENCH_DB = os.environ.get("BENCH_DB", "jusoor_bench_programmes")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
APPLICATIONS = 2400
REVIEWERS = 60
CAPACITY = 150
REVIEWS_PER_APPLICATION = 3
PROGRAMME_MARKER = "Bench: programme with 2,400 applications"
REVIEWED_MARKER = "Bench: call with 2,400 reviewed applications"
TO_ASSIGN_MARKER = "Bench: copy of the call, without assignments"
SEED = 0.2026


def _connection_params(dbname: str) -> dict[str, Any]:
    from django.conf import settings

    database = settings.DATABASES["default"]
    params = {
        "dbname": dbname,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    return {k: v for k, v in params.items() if v is not None}


def _use_bench_database() -> None:
    """Create the bench database next to the dev one if needed, and point Django's default connection at it."""
    import psycopg
    from django.conf import settings

    database = settings.DATABASES["default"]
    with psycopg.connect(**_connection_params(database["NAME"]), autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
    database["NAME"] = BENCH_DB


_use_bench_database()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
settings.JUSOOR_TASKS_EAGER = False
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Max, Min  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

from jusoor.accounts.models import User  # noqa: E402
from jusoor.accounts.selectors import user_has_2fa, user_requires_2fa  # noqa: E402
from jusoor.calls.demo import QUESTIONS  # noqa: E402
from jusoor.calls.models import Answer, Application, Call, Question  # noqa: E402
from jusoor.organizations.models import Membership, Organization, OrganizationKind  # noqa: E402
from jusoor.organizations.services.reference import reference_load  # noqa: E402
from jusoor.organizations.services.search_index import organization_reindex  # noqa: E402
from jusoor.programmes.models import Programme, ProgrammeMember, ProgrammeRole  # noqa: E402
from jusoor.reviews.models import ConflictDeclaration, Criterion, CriterionScore, ReviewAssignment, Rubric  # noqa: E402
from jusoor.reviews.selectors import ranking as ranking_module  # noqa: E402
from jusoor.reviews.selectors.ranking import call_ranking  # noqa: E402
from jusoor.reviews.services.assignment import assign_reviewers  # noqa: E402
from jusoor.territories.models import Territory  # noqa: E402
from jusoor.territories.services import territories_load  # noqa: E402


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _p95(sorted_timings: list[float]) -> float:
    return sorted_timings[max(0, int(len(sorted_timings) * 0.95 + 0.5) - 1)]


def _seq(table: str) -> str:
    return f"pg_get_serial_sequence('{table}', 'id')"


def _short_sql(sql: str, length: int = 220) -> str:
    return " ".join(sql.split())[:length]


# --- Word lists -------------------------------------------------------------------------------------------------
# (kind slug, Arabic opening, French opening), drawn 75 / 20 / 5 %.
KINDS = [
    ("association", "جمعية", "Association"),
    ("cooperative", "تعاونية", "Coopérative"),
    ("federation", "فدرالية", "Fédération"),
]
# The distinctive word of the name, in Arabic and as Moroccans write it in French.
WORDS = [
    ("الأمل", "Al Amal"),
    ("النور", "Ennour"),
    ("الفتح", "Al Fath"),
    ("الخير", "Al Khair"),
    ("الوحدة", "Al Wahda"),
    ("الأصالة", "Al Assala"),
    ("التضامن", "Attadamoun"),
    ("الإشراق", "Al Ichraq"),
    ("المستقبل", "Al Moustakbal"),
    ("الرحمة", "Arrahma"),
    ("أطلس", "Atlas"),
    ("تيفاوين", "Tifawin"),
    ("أمود", "Amoud"),
    ("تنمية", "Tanmia"),
    ("السلام", "Assalam"),
    ("البركة", "Al Baraka"),
]
# (theme slug, Arabic, French): what the organisation works on.
THEMES = [
    ("income-generating-activities", "للتنمية", "pour le développement"),
    ("environment", "لحماية البيئة", "de protection de l’environnement"),
    ("women-youth", "للشباب", "des jeunes"),
    ("women-youth", "النسائية", "des femmes"),
    ("socio-cultural-sport", "للثقافة والفنون", "culturelle et artistique"),
    ("income-generating-activities", "الفلاحية", "agricole"),
    ("education", "لمحو الأمية", "d’alphabétisation"),
    ("health", "للصحة", "de santé"),
    ("water-sanitation", "لمستعملي الماء", "des usagers de l’eau"),
    ("governance-participation", "للمواطنة", "pour la citoyenneté"),
]
PROJECT_TITLES = [
    "Formation des jeunes aux métiers du numérique",
    "Unité de valorisation des produits du terroir",
    "Alphabétisation fonctionnelle des femmes rurales",
    "Accès à l’eau potable des douars",
    "Espace culturel et sportif de quartier",
    "Accompagnement de coopératives féminines",
    "Soutien scolaire et lutte contre l’abandon",
    "Tri et valorisation des déchets ménagers",
]
SUMMARY = (
    "Notre projet répond à un besoin exprimé par les habitants lors des réunions de quartier : {title}. "
    "Nous formerons {n} bénéficiaires directs sur douze mois, avec l’appui de la commune et des services "
    "déconcentrés, puis nous accompagnerons les plus motivés dans la création d’une activité génératrice de revenus. "
    "L’équipe compte des bénévoles expérimentés et une coordinatrice à mi-temps ; les comptes de l’association sont "
    "tenus et approuvés chaque année en assemblée générale. Le budget couvre la formation, l’équipement et le suivi. "
    "Les résultats seront mesurés par le nombre de personnes formées, les activités créées et leur pérennité."
)
QUESTION_KEYS = ("title", "summary", "beneficiaries", "stage", "budget")
CRITERIA = [  # (fr label, weight)
    ("Pertinence au regard des besoins du territoire", "3"),
    ("Faisabilité et capacité de l’organisation", "2"),
    ("Impact attendu sur les bénéficiaires", "2"),
    ("Innovation", "1"),
    ("Budget réaliste et cofinancement", "1"),
]
REVIEW_COMMENTS = [
    "Projet bien ancré localement, budget cohérent.",
    "La capacité de l’équipe à tenir le calendrier n’est pas démontrée.",
    "Bon diagnostic, indicateurs de résultat à préciser.",
    "Cofinancement faible ; partenariat avec la commune à confirmer.",
]
ELIGIBILITY = [
    {"rule": rule, "ok": True, "reason": {"ar": "", "fr": reason, "en": reason}}
    for rule, reason in (
        ("kind", "Association or cooperative."),
        ("country", "Morocco."),
        ("verified", "Verified organisation."),
        ("amount", "Within the call's limit."),
    )
]


# --- Data set ---------------------------------------------------------------------------------------------------
def _reference_data() -> float:
    start = time.perf_counter()
    if not Territory.objects.filter(country="MA", kind="commune").exists():
        _progress("loading the Moroccan territories")
        territories_load(countries=["MA"])
    if not OrganizationKind.objects.filter(slug="association").exists():
        _progress("loading the reference taxonomies")
        reference_load()
    return time.perf_counter() - start


def _users(prefix: str, count: int) -> list[User]:
    users = [
        User(email=f"{prefix}{n:02d}@bench.jusoor.ma", full_name=f"Évaluateur·rice {n:02d}", preferred_language="fr")
        for n in range(1, count + 1)
    ]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users)
    return list(User.objects.filter(email__startswith=prefix).order_by("pk"))


def _organizations(cursor: Any, count: int) -> list[int]:
    """`count` verified Moroccan organisations, spread over the communes by √population; their ids."""
    kinds = dict(OrganizationKind.objects.filter(slug__in=[k for k, _a, _f in KINDS]).values_list("slug", "pk"))
    cursor.execute(
        """
        CREATE TEMP TABLE bench_communes ON COMMIT DROP AS
        SELECT id, name_ar, name_fr,
               sum(ceil(sqrt(coalesce(population, 2000)))) OVER (ORDER BY id) - ceil(sqrt(coalesce(population, 2000)))
                   AS lo,
               sum(ceil(sqrt(coalesce(population, 2000)))) OVER (ORDER BY id) AS hi
        FROM territories_territory WHERE country = 'MA' AND kind = 'commune'
        """
    )
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_orgs ON COMMIT DROP AS
        SELECT g, nextval({_seq("organizations_organization")}) AS id,
               floor(random() * (SELECT max(hi) FROM bench_communes))::bigint AS spot,
               floor(random() * %(themes)s)::int + 1 AS theme, floor(random() * %(words)s)::int + 1 AS word,
               random() AS kind_roll, random() AS lang_roll,
               now() - random() * interval '6 years' AS created
        FROM generate_series(1, %(count)s) AS g
        """,
        {"count": count, "themes": len(THEMES), "words": len(WORDS)},
    )
    cursor.execute(
        """
        CREATE TEMP TABLE bench_org_rows ON COMMIT DROP AS
        SELECT o.*, c.id AS commune_id, c.name_ar AS place_ar, c.name_fr AS place_fr,
               CASE WHEN o.kind_roll < 0.75 THEN 1 WHEN o.kind_roll < 0.95 THEN 2 ELSE 3 END AS kind
        FROM bench_orgs o JOIN bench_communes c ON o.spot >= c.lo AND o.spot < c.hi
        """
    )
    cursor.execute(
        """
        INSERT INTO organizations_organization (
            id, created_at, updated_at, name_ar, name_fr, name_en, primary_language, acronym, kind_id, legal_form,
            registry, registration_number, founded_on, country, territory_id, address, latitude, longitude,
            description, logo, website, social_links, contact_email, contact_phone, members_count, volunteers_count,
            budget_band, status, status_reason, status_changed_at, status_changed_by_id, search_text, search_vector)
        SELECT r.id, r.created, r.created,
               CASE WHEN r.lang_roll < 0.1 THEN '' ELSE
                   (%(kinds_ar)s::text[])[r.kind] || ' ' || (%(words_ar)s::text[])[r.word] || ' '
                   || (%(themes_ar)s::text[])[r.theme] || ' ب' || r.place_ar END,
               CASE WHEN r.lang_roll >= 0.1 AND r.lang_roll < 0.3 THEN '' ELSE
                   (%(kinds_fr)s::text[])[r.kind] || ' ' || (%(words_fr)s::text[])[r.word] || ' '
                   || (%(themes_fr)s::text[])[r.theme] || ' de ' || r.place_fr END,
               '', CASE WHEN r.lang_roll < 0.1 OR r.lang_roll >= 0.7 THEN 'fr' ELSE 'ar' END, '',
               (%(kind_ids)s::bigint[])[r.kind], '', 'ma-recepisse', 'BENCH-' || lpad(r.id::text, 7, '0'),
               date '1975-01-01' + floor(random() * 17000)::int, 'MA', r.commune_id, '', NULL, NULL,
               'Fondée par des habitants de ' || r.place_fr || ', l’organisation agit '
                   || (%(themes_fr)s::text[])[r.theme] || ' auprès des familles de la commune.',
               '', '', '[]'::jsonb, 'contact' || r.g || '@bench.jusoor.ma', '',
               10 + floor(random() * 290)::int, floor(random() * 60)::int,
               (ARRAY['lt10k', 'lt10k', 'lt50k', 'lt50k', 'lt250k'])[1 + floor(random() * 5)::int],
               'verified', '', r.created + interval '30 days', NULL, '', NULL
        FROM bench_org_rows r ORDER BY r.g
        """,
        {
            "kinds_ar": [a for _k, a, _f in KINDS],
            "kinds_fr": [f for _k, _a, f in KINDS],
            "kind_ids": [kinds[k] for k, _a, _f in KINDS],
            "words_ar": [a for a, _f in WORDS],
            "words_fr": [f for _a, f in WORDS],
            "themes_ar": [a for _s, a, _f in THEMES],
            "themes_fr": [f for _s, _a, f in THEMES],
        },
    )
    cursor.execute(
        """
        INSERT INTO organizations_organization_themes (organization_id, theme_id)
        SELECT r.id, t.id FROM bench_org_rows r JOIN organizations_theme t ON t.slug = (%(slugs)s::text[])[r.theme]
        """,
        {"slugs": [s for s, _a, _f in THEMES]},
    )
    cursor.execute("SELECT id FROM bench_org_rows ORDER BY g")
    return [row[0] for row in cursor.fetchall()]


def _call(programme: Programme, title: str, manager: User) -> Call:
    now = timezone.now()
    call = Call.objects.create(
        programme=programme,
        title_fr=title,
        title_ar="طلب مشاريع 2026",
        description_fr="Soutien aux projets des associations et coopératives marocaines.",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=25),
        published=True,
        eligible_countries=["MA"],
        require_verified=True,
        max_requested=Decimal("100000"),
        reviewers_per_application=REVIEWS_PER_APPLICATION,
        same_commune_conflict=True,
        disagreement_threshold=Decimal("1.5"),
        created_by=manager,
    )
    call.eligible_kinds.set(OrganizationKind.objects.filter(slug__in=["association", "cooperative", "federation"]))
    specs = {spec["key"]: spec for spec in QUESTIONS}
    Question.objects.bulk_create(
        Question(
            call=call,
            position=position,
            kind=specs[key]["kind"],
            label=specs[key]["label"],
            help_text=specs[key].get("help_text", {}),
            required=specs[key].get("required", True),
            word_limit=specs[key].get("word_limit"),
            choices=specs[key].get("choices", []),
        )
        for position, key in enumerate(QUESTION_KEYS)
    )
    rubric = Rubric.objects.create(call=call)
    Criterion.objects.bulk_create(
        Criterion(
            rubric=rubric, label={"fr": label, "en": label, "ar": label}, weight=Decimal(weight), position=position
        )
        for position, (label, weight) in enumerate(CRITERIA)
    )
    return call


def _applications(cursor: Any, call: Call, organizations: list[int], status: str) -> None:
    """One application per organisation, sent over the call's period (most near the deadline), with 5 answers."""
    cursor.execute(
        """
        INSERT INTO calls_application (created_at, updated_at, call_id, organization_id, status, requested_amount,
                                       submitted_at, eligibility, status_reason, status_changed_at, language,
                                       created_by_id)
        SELECT s.submitted - interval '2 days', s.changed, %(call)s, s.id, %(status)s, s.amount, s.submitted,
               %(eligibility)s, '', s.changed, s.lang, NULL
        FROM (SELECT o.id, o.primary_language AS lang,
                     %(opens)s + (%(closes)s - %(opens)s) * (1 - power(random(), 3)) AS submitted,
                     %(closes)s + interval '3 days' + random() * interval '2 days' AS changed,
                     (20000 + 500 * floor(random() * 161))::numeric(20, 3) AS amount
              FROM organizations_organization o WHERE o.id = ANY(%(organizations)s)) AS s
        ORDER BY s.submitted
        """,
        {
            "call": call.pk,
            "status": status,
            "eligibility": Jsonb(ELIGIBILITY),
            "opens": call.opens_at,
            "closes": call.closes_at - timedelta(seconds=1),
            "organizations": organizations,
        },
    )
    positions = {key: position for position, key in enumerate(QUESTION_KEYS)}
    cursor.execute(
        f"""
        INSERT INTO calls_answer (application_id, question_id, value, file)
        SELECT a.id, q.id,
               CASE q.position
                   WHEN {positions["title"]} THEN to_jsonb(r.title || ' — ' || t.name_fr)
                   WHEN {positions["summary"]} THEN to_jsonb(replace(replace(%(summary)s, '{{title}}', lower(r.title)),
                                                                    '{{n}}', r.beneficiaries::text))
                   WHEN {positions["beneficiaries"]} THEN to_jsonb(r.beneficiaries::text)
                   WHEN {positions["stage"]} THEN to_jsonb((ARRAY['idea', 'pilot', 'scale'])[1 + mod(a.id, 3)::int])
                   ELSE jsonb_build_array(
                       jsonb_build_object('label', 'Formation et accompagnement',
                                          'amount', (a.requested_amount * 0.6)::numeric(20, 3)::text),
                       jsonb_build_object('label', 'Équipement',
                                          'amount', (a.requested_amount * 0.4)::numeric(20, 3)::text))
               END,
               ''
        FROM calls_application a
        JOIN organizations_organization o ON o.id = a.organization_id
        JOIN territories_territory t ON t.id = o.territory_id
        CROSS JOIN LATERAL (SELECT (%(titles)s::text[])[1 + mod(a.id * 7, %(n_titles)s)::int] AS title,
                                   40 + mod(a.id * 37, 960) AS beneficiaries) AS r
        CROSS JOIN calls_question q
        WHERE a.call_id = %(call)s AND q.call_id = %(call)s
        ORDER BY a.id, q.position
        """,
        {"call": call.pk, "summary": SUMMARY, "titles": PROJECT_TITLES, "n_titles": len(PROJECT_TITLES)},
    )


def _conflicts(reviewers: list[User], organizations: list[int]) -> None:
    """20 reviewers are members of an applicant organisation, 30 declared a conflict with one."""
    Membership.objects.bulk_create(
        Membership(user=reviewer, organization_id=organizations[(n * 97 + 13) % len(organizations)])
        for n, reviewer in enumerate(reviewers[:20])
    )
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(
            reviewer=reviewer,
            organization_id=organizations[(n * 53 + 7) % len(organizations)],
            reason="Ancien membre du bureau.",
        )
        for n, reviewer in enumerate(reviewers[30:])
    )


def _reviews(cursor: Any, call: Call, reviewers: list[int], manager: User) -> None:
    """3 submitted reviews per application (round-robin over the reviewers, conflicted pairs skipped) and their
    criterion scores."""
    cursor.execute(
        """
        CREATE TEMP TABLE bench_apps ON COMMIT DROP AS
        SELECT a.id AS application_id, a.organization_id, o.territory_id,
               row_number() OVER (ORDER BY a.submitted_at, a.id) - 1 AS rn,
               1.5 + 3 * random() AS quality
        FROM calls_application a JOIN organizations_organization o ON o.id = a.organization_id
        WHERE a.call_id = %s
        """,
        [call.pk],
    )
    # The conflicts `selectors/conflicts.py` derives: declared, member of the applicant, member of an organisation
    # of the applicant's commune (the call sets same_commune_conflict).
    cursor.execute(
        """
        CREATE TEMP TABLE bench_conflicts ON COMMIT DROP AS
        SELECT ba.application_id, d.reviewer_id
        FROM bench_apps ba JOIN reviews_conflictdeclaration d ON d.organization_id = ba.organization_id
        WHERE d.reviewer_id = ANY(%(reviewers)s)
        UNION
        SELECT ba.application_id, m.user_id
        FROM bench_apps ba JOIN organizations_membership m ON m.organization_id = ba.organization_id
        WHERE m.user_id = ANY(%(reviewers)s)
        UNION
        SELECT ba.application_id, m.user_id
        FROM bench_apps ba
        JOIN territories_territory t ON t.id = ba.territory_id AND t.kind IN ('commune', 'municipality')
        JOIN organizations_organization mo ON mo.territory_id = ba.territory_id
        JOIN organizations_membership m ON m.organization_id = mo.id
        WHERE m.user_id = ANY(%(reviewers)s)
        """,
        {"reviewers": reviewers},
    )
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_reviews ON COMMIT DROP AS
        SELECT nextval({_seq("reviews_reviewassignment")}) AS assignment_id, c.application_id, c.reviewer_id,
               c.quality, %(assigned)s + random() * interval '20 days' AS submitted
        FROM (
            SELECT ba.application_id, ba.quality, r.reviewer_id,
                   row_number() OVER (PARTITION BY ba.application_id ORDER BY k) AS pick
            FROM bench_apps ba
            CROSS JOIN generate_series(0, %(n)s - 1) AS k
            CROSS JOIN LATERAL (SELECT (%(reviewers)s::bigint[])[1 + mod(ba.rn * %(per)s + k, %(n)s)::int]
                                       AS reviewer_id) AS r
            WHERE NOT EXISTS (SELECT 1 FROM bench_conflicts bc
                              WHERE bc.application_id = ba.application_id AND bc.reviewer_id = r.reviewer_id)
        ) AS c
        WHERE c.pick <= %(per)s
        ORDER BY c.application_id, c.pick
        """,
        {
            "reviewers": reviewers,
            "n": len(reviewers),
            "per": REVIEWS_PER_APPLICATION,
            "assigned": call.closes_at + timedelta(days=6),
        },
    )
    cursor.execute(
        """
        CREATE TEMP TABLE bench_bias ON COMMIT DROP AS
        SELECT reviewer_id, (random() - 0.5) * 1.4 AS bias FROM unnest(%s::bigint[]) AS reviewer_id
        """,
        [reviewers],
    )
    cursor.execute(
        """
        INSERT INTO reviews_reviewassignment (id, created_at, updated_at, application_id, reviewer_id, status,
                                              assigned_at, assigned_by_id, submitted_at, comment)
        SELECT r.assignment_id, %(assigned)s, r.submitted, r.application_id, r.reviewer_id, 'submitted',
               %(assigned)s, %(manager)s, r.submitted,
               CASE WHEN mod(r.assignment_id, 5) < 2
                    THEN (%(comments)s::text[])[1 + mod(r.assignment_id, %(n_comments)s)::int] ELSE '' END
        FROM bench_reviews r ORDER BY r.assignment_id
        """,
        {
            "assigned": call.closes_at + timedelta(days=6),
            "manager": manager.pk,
            "comments": REVIEW_COMMENTS,
            "n_comments": len(REVIEW_COMMENTS),
        },
    )
    cursor.execute(
        """
        INSERT INTO reviews_criterionscore (assignment_id, criterion_id, value, comment)
        SELECT r.assignment_id, c.id,
               least(c.scale_max, greatest(c.scale_min,
                     round(r.quality + b.bias + (c.position - 2) * 0.15 + (random() - 0.5) * 1.6)))::smallint, ''
        FROM bench_reviews r
        JOIN bench_bias b ON b.reviewer_id = r.reviewer_id
        CROSS JOIN (SELECT c.* FROM reviews_criterion c JOIN reviews_rubric ru ON ru.id = c.rubric_id
                    WHERE ru.call_id = %s) AS c
        ORDER BY r.assignment_id, c.position
        """,
        [call.pk],
    )


def generate() -> tuple[Call, Call, float]:
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [SEED])
        _progress(f"generating {APPLICATIONS} organisations")
        organizations = _organizations(cursor, APPLICATIONS)
        operator = Organization.objects.create(
            name_fr="Fondation Bench pour l’initiative locale",
            name_ar="مؤسسة بنش للمبادرة المحلية",
            primary_language="fr",
            kind=OrganizationKind.objects.get(slug="association"),
            country="MA",
            territory=Territory.objects.get(code="MA-04"),
            status=Organization.Status.VERIFIED,
        )
        manager = _users("bench-manager", 1)[0]
        reviewers = _users("bench-reviewer", REVIEWERS)
        programme = Programme.objects.create(
            operator=operator,
            title_fr=PROGRAMME_MARKER,
            starts_on=timezone.localdate() - timedelta(days=120),
            ends_on=timezone.localdate() + timedelta(days=600),
            currency="MAD",
            budget_envelope=Decimal("12000000"),
            grant_minimum=Decimal("20000"),
            grant_maximum=Decimal("100000"),
            status=Programme.Status.ACTIVE,
            created_by=manager,
        )
        ProgrammeMember.objects.create(programme=programme, user=manager, role=ProgrammeRole.MANAGER)
        ProgrammeMember.objects.bulk_create(
            ProgrammeMember(programme=programme, user=reviewer, role=ProgrammeRole.REVIEWER, capacity=CAPACITY)
            for reviewer in reviewers
        )
        _conflicts(reviewers, organizations)
        reviewed = _call(programme, REVIEWED_MARKER, manager)
        to_assign = _call(programme, TO_ASSIGN_MARKER, manager)
        _progress(f"call {reviewed.pk}: {APPLICATIONS} applications under review, 5 answers each")
        _applications(cursor, reviewed, organizations, Application.Status.UNDER_REVIEW)
        _progress(f"call {reviewed.pk}: {REVIEWS_PER_APPLICATION} submitted reviews per application, 5 scores each")
        _reviews(cursor, reviewed, [r.pk for r in reviewers], manager)
        _progress(f"call {to_assign.pk}: {APPLICATIONS} eligible applications, no assignment")
        _applications(cursor, to_assign, organizations, Application.Status.ELIGIBLE)
        _progress("indexing the organisations for search")
        organization_reindex(organization_ids=organizations)
    with connection.cursor() as cursor:
        for table in (
            "organizations_organization",
            "organizations_organization_themes",
            "calls_application",
            "calls_answer",
            "reviews_reviewassignment",
            "reviews_criterionscore",
            "organizations_membership",
            "reviews_conflictdeclaration",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return reviewed, to_assign, time.perf_counter() - start


def data_set() -> tuple[Call, Call, float | None]:
    reviewed = Call.objects.filter(title_fr=REVIEWED_MARKER).order_by("pk").first()
    to_assign = Call.objects.filter(title_fr=TO_ASSIGN_MARKER).order_by("pk").first()
    if reviewed is None or to_assign is None:
        return generate()
    return reviewed, to_assign, None


def check(reviewed: Call, to_assign: Call) -> dict[str, Any]:
    """The counts the brief asks for, read back from the database."""
    figures = {
        "organisations": Organization.objects.filter(registration_number__startswith="BENCH-").count(),
        "applications_reviewed_call": Application.objects.filter(call=reviewed).count(),
        "applications_to_assign_call": Application.objects.filter(call=to_assign).count(),
        "answers_reviewed_call": Answer.objects.filter(application__call=reviewed).count(),
        "questions": Question.objects.filter(call=reviewed).count(),
        "criteria": Criterion.objects.filter(rubric__call=reviewed).count(),
        "reviewers": ProgrammeMember.objects.filter(
            programme_id=reviewed.programme_id, role=ProgrammeRole.REVIEWER, capacity=CAPACITY
        ).count(),
        "submitted_reviews": ReviewAssignment.objects.filter(
            application__call=reviewed, status=ReviewAssignment.Status.SUBMITTED
        ).count(),
        "criterion_scores": CriterionScore.objects.filter(assignment__application__call=reviewed).count(),
    }
    loads = (
        ReviewAssignment.objects.filter(application__call=reviewed)
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .aggregate(low=Min("n"), high=Max("n"))
    )
    figures["reviewer_load_min_max"] = [loads["low"], loads["high"]]
    regions = Counter(
        Organization.objects.filter(registration_number__startswith="BENCH-").values_list(
            "territory__parent__parent__code", flat=True
        )
    )
    figures["organisations_per_region"] = dict(sorted(regions.items()))
    expected = {
        "applications_reviewed_call": APPLICATIONS,
        "applications_to_assign_call": APPLICATIONS,
        "submitted_reviews": APPLICATIONS * REVIEWS_PER_APPLICATION,
        "criterion_scores": APPLICATIONS * REVIEWS_PER_APPLICATION * len(CRITERIA),
        "reviewers": REVIEWERS,
    }
    wrong = {name: (figures[name], value) for name, value in expected.items() if figures[name] != value}
    assert not wrong, f"unexpected data set {wrong}: drop the database {BENCH_DB} to generate it again"
    return figures


# --- 1. assign_reviewers ----------------------------------------------------------------------------------------
def assignment(call: Call, manager: User) -> dict[str, Any]:
    deleted, _by_model = ReviewAssignment.objects.filter(application__call=call).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reviews_reviewassignment")
    _progress(f"assign_reviewers on call {call.pk} ({deleted} earlier assignments deleted)")
    with CaptureQueriesContext(connection) as queries:
        start, cpu_start = time.perf_counter(), time.process_time()
        outcome = assign_reviewers(call=call, acting_user=manager)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    loads = Counter(
        ReviewAssignment.objects.filter(application__call=call).values_list("reviewer_id", flat=True)
    ).values()
    db_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    return {
        "call": call.pk,
        "applications": Application.objects.filter(call=call).count(),
        "seconds": round(seconds, 3),
        "queries": len(queries),
        "db_ms": round(db_ms, 1),
        "python_ms": round(seconds * 1000 - db_ms, 1),
        "cpu_ms": round(cpu * 1000, 1),
        "created": outcome.created,
        "applications_short": len(outcome.short),
        "reviewer_load_min_max": [min(loads), max(loads)] if loads else None,
        "statements": [
            f"{float(q['time']) * 1000:.1f} ms: {_short_sql(q['sql'], 160)}" for q in queries.captured_queries
        ],
    }


# --- 2, 3. Pages ------------------------------------------------------------------------------------------------
def _url(name: str, **kwargs: Any) -> str:
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs)


def measure(client: Client, url: str) -> dict[str, Any]:
    """p50/p95 of the wall time over ROUNDS requests after a warm-up, and of this process's CPU time (the view, the
    template and the client, not PostgreSQL): on a busy machine the CPU figure moves less than the wall time."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    timings, cpu = [], []
    for _ in range(ROUNDS):
        start, cpu_start = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    timings.sort()
    return {
        "url": url,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_p95(timings), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "queries": len(queries),
        "db_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 1),
        "bytes": len(response.content),
        "slowest_queries": [f"{float(q['time']) * 1000:.1f} ms: {_short_sql(q['sql'])}" for q in slowest],
    }


def pages(client: Client, call: Call) -> tuple[dict[str, Any], dict[str, Any]]:
    applications = _url("calls:applications", pk=call.pk)
    ranking = _url("reviews:ranking", call_id=call.pk)
    last = (APPLICATIONS + 99) // 100
    list_cases = {
        "first_page": applications,
        "filtered_sorted": f"{applications}?status=under_review&territory=MA-06&sort=amount",
        "search_sorted_by_name": f"{applications}?q=amal&sort=name",
        "page_48": f"{applications}?page={(APPLICATIONS + 49) // 50}",
    }
    ranking_cases = {"first_page": ranking, f"page_{last}": f"{ranking}?page={last}"}
    results: list[dict[str, Any]] = []
    for cases in (list_cases, ranking_cases):
        measured = {}
        for name, url in cases.items():
            _progress(f"measuring {url} x {ROUNDS}")
            measured[name] = measure(client, url)
        results.append(measured)
    return results[0], results[1]


# --- 4. call_ranking --------------------------------------------------------------------------------------------
def ranking_selector(call: Call) -> dict[str, Any]:
    """`call_ranking` alone: wall and CPU time, its two queries, where the time goes (the review totals against the
    rest) and EXPLAIN ANALYZE of the totals query."""
    _progress(f"call_ranking x {ROUNDS}")
    call_ranking(call=call)
    timings, cpu = [], []
    for _ in range(ROUNDS):
        start, cpu_start = time.perf_counter(), time.process_time()
        rows = call_ranking(call=call)
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    # Where the time goes, median of 5 runs (wall and CPU): `review_totals` timed by a wrapper around it.
    original = ranking_module.review_totals
    parts: dict[str, list[float]] = {"totals_wall": [], "totals_cpu": [], "all_wall": [], "all_cpu": []}

    def timed_totals(**kwargs: Any) -> Any:
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            return original(**kwargs)
        finally:
            parts["totals_wall"].append((time.perf_counter() - start) * 1000)
            parts["totals_cpu"].append((time.process_time() - cpu_start) * 1000)

    ranking_module.review_totals = timed_totals  # type: ignore[assignment]
    try:
        for _ in range(5):
            start, cpu_start = time.perf_counter(), time.process_time()
            call_ranking(call=call)
            parts["all_wall"].append((time.perf_counter() - start) * 1000)
            parts["all_cpu"].append((time.process_time() - cpu_start) * 1000)
    finally:
        ranking_module.review_totals = original  # type: ignore[assignment]
    with CaptureQueriesContext(connection) as queries:
        rows = call_ranking(call=call)
    timings.sort()
    db_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    totals_sql = next(q["sql"] for q in queries.captured_queries if "reviews_criterionscore" in q["sql"])
    median_of = {name: statistics.median(values) for name, values in parts.items()}
    split = {
        "review_totals (its query, 7,200 rows to Fractions)": {
            "wall_ms": round(median_of["totals_wall"], 1),
            "cpu_ms": round(median_of["totals_cpu"], 1),
        },
        "the rest (applications query and objects, mean/median/spread, sort, tie-breaks)": {
            "wall_ms": round(median_of["all_wall"] - median_of["totals_wall"], 1),
            "cpu_ms": round(median_of["all_cpu"] - median_of["totals_cpu"], 1),
        },
    }
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + totals_sql)
        plan = [row[0] for row in cursor.fetchall()]
    return {
        "rows": len(rows),
        "ranked_with_reviews": sum(1 for row in rows if row.reviews),
        "disagreements": sum(1 for row in rows if row.disagreement),
        "tie_breaks": sum(1 for row in rows if row.tie_break),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_p95(timings), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "queries": len(queries),
        "db_ms": round(db_ms, 1),
        "split_median_of_5": split,
        "statements": [
            f"{float(q['time']) * 1000:.1f} ms: {_short_sql(q['sql'], 300)}" for q in queries.captured_queries
        ],
        "explain_review_totals": [line.rstrip() for line in plan],
    }


def main() -> None:
    _progress(f"migrating {BENCH_DB}")
    call_command("migrate", verbosity=0, interactive=False)
    reference_seconds = _reference_data()
    reviewed, to_assign, generation_seconds = data_set()
    figures = check(reviewed, to_assign)
    manager = User.objects.get(email="bench-manager01@bench.jusoor.ma")
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    assigned = assignment(to_assign, manager)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(manager)
    application_list, ranking_page = pages(client, reviewed)
    selector = ranking_selector(reviewed)
    print(
        json.dumps(
            {
                "database": BENCH_DB,
                "rounds": ROUNDS,
                "generated": generation_seconds is not None,
                "generation_s": None if generation_seconds is None else round(generation_seconds, 2),
                "reference_data_s": round(reference_seconds, 2),
                "data_set": {"reviewed_call": reviewed.pk, "call_to_assign": to_assign.pk, **figures},
                "viewer": {
                    "role": "programme team manager (ProgrammeMember role manager), force_login",
                    "requires_2fa": user_requires_2fa(manager),
                    "has_2fa": user_has_2fa(manager),
                },
                "assign_reviewers": assigned,
                "application_list_page": application_list,
                "ranking_page": ranking_page,
                "call_ranking": selector,
                "measure_s": round(time.perf_counter() - started, 1),
                # Other work on the machine (test runs, browsers) inflates the wall times; the CPU figures less.
                "load_average_1m": {"start": round(load_before, 2), "end": round(os.getloadavg()[0], 2)},
                "cpus": os.cpu_count(),
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
