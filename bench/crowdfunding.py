"""`make bench`: the campaign page with 100,000 donations, and donation captures per second, printed as JSON.

Runs in its own database, `jusoor_bench_crowdfunding` (`BENCH_DB`), on the same PostgreSQL server as the dev
database, so neither the dev data nor the organisation directory bench (`jusoor_bench`) is touched: the database
is created when missing and migrated.

1. `campaign_page_100k`: a live TND campaign with 100,000 captured donations, written with set-based SQL
   (INSERT ... SELECT generate_series) exactly as `donation_pledge` + `donation_capture` would leave them: the
   pending-then-captured Donation rows, one "donation.captured" entry group per donation with its two entries
   (+amount on `psp:testpay:clearing`, -amount on `campaign:<id>:funds`), the receipts (numbered without gaps,
   the organisation's receipt sequence at 100,000) and the audit rows. Reruns reuse the data set (counted). The
   public campaign page, the donate page (it shows the progress too) and the API detail, when they exist, are
   requested `BENCH_ROUNDS` times (default 30) through Django's test client after one warm-up.
2. `captures_per_second`: `BENCH_WORKERS` threads (default 8, each with its own connection) capture
   `BENCH_CAPTURES` pending pledges each (default 250) on one fresh campaign with a matching pot, through
   `donation_capture`; then the same writes done by raw SQL with psycopg on another fresh campaign and pot (per
   capture, one transaction: lock the donation, lock the pot, the pot's available balance, the capture group and
   its entries, the match reserve group and its entries, the Match, the donation's status, the receipt sequence
   and the receipt, the audit row). `ratio` is service / raw. The mails the service queues are procrastinate jobs
   (JUSOOR_TASKS_EAGER off, locmem e-mail backend): they are deleted afterwards, nothing is sent.
   To tell where the time goes: the statements of one capture (CaptureQueriesContext), the mean time of the
   service's steps and how long the pot's row stays locked (sequential captures), the same run with forked
   processes instead of threads (`BENCH_PROCESSES=0` skips it), and pg_stat_activity sampled during each run
   (waiting for a row lock / running a statement / idle in transaction while the client works).
   Every run adds three small campaigns (organisation, pot, 2,000 donations each) to the bench database;
   `manage.py ledger_check` on it stays consistent.

Figures go into closing notes; tests never assert timings.

    .venv/bin/python bench/crowdfunding.py     # BENCH_DB=jusoor_bench_crowdfunding BENCH_DONATIONS=100000
                                               # BENCH_ROUNDS=30 BENCH_WORKERS=8 BENCH_CAPTURES=250
                                               # BENCH_PROCESSES=1
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import statistics
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["DJANGO_DEBUG"] = "0"
os.environ["JUSOOR_TASKS_EAGER"] = "0"  # mails are queued as jobs (deleted at the end), never sent in-process
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

BENCH_DB = os.environ.get("BENCH_DB", "jusoor_bench_crowdfunding")
DONATIONS = int(os.environ.get("BENCH_DONATIONS", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "8"))
CAPTURES = int(os.environ.get("BENCH_CAPTURES", "250"))  # per worker
PROCESSES = os.environ.get("BENCH_PROCESSES", "1") == "1"  # also the service with forked processes
MARKER = "Bench: 100k donations"
CAPTURE_AMOUNT = Decimal("50.000")


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

# Measure the code, not the anonymous rate limit (set before DRF reads its settings).
settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
settings.ALLOWED_HOSTS = ["*"]
settings.JUSOOR_TASKS_EAGER = False
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from jusoor.campaigns.models import Campaign  # noqa: E402
from jusoor.donations.models import Donation, Match, MatchingPot, Receipt, ReceiptSequence  # noqa: E402
from jusoor.donations.selectors import campaign_raised  # noqa: E402
from jusoor.donations.services import accounts  # noqa: E402
from jusoor.donations.services.capture import donation_capture  # noqa: E402
from jusoor.donations.services.matching import matching_pot_open, pot_available_amount  # noqa: E402
from jusoor.donations.tests import builders  # noqa: E402
from jusoor.organizations.models import Organization  # noqa: E402

# Crockford's base32 as in `new_reference()`: the references written here look like the real ones.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_REFERENCE_SQL = (
    "'JSR-' || (SELECT string_agg(substr('{a}', ((({n}) >> (5 * k)) & 31)::int + 1, 1), '' ORDER BY k DESC) "
    "FROM generate_series(5, 9) k) || '-' || (SELECT string_agg(substr('{a}', ((({n}) >> (5 * k)) & 31)::int + 1, 1), "
    "'' ORDER BY k DESC) FROM generate_series(0, 4) k)"
)


def _reference_sql(number_sql: str) -> str:
    return _REFERENCE_SQL.format(a=_ALPHABET, n=number_sql)


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _p95(sorted_timings: list[float]) -> float:
    return sorted_timings[max(0, int(len(sorted_timings) * 0.95 + 0.5) - 1)]


def _seq(table: str) -> str:
    return f"pg_get_serial_sequence('{table}', 'id')"


# --- Pledges and captures written set-based, as the services would ---------------------------------------------
PLEDGE_COLUMNS = (
    "id, created_at, updated_at, campaign_id, reference, donor_id, email, name, country_of_residence, language, "
    "amount, currency, campaign_amount, campaign_currency, rate, rate_day, message, dedication, anonymous_public, "
    "anonymous_to_organization, status, provider, provider_payment_id, payment_url, idempotency_key, expires_at, "
    "captured_at, capture_group_id, refunded_amount, failed_campaign_choice, choice_deadline, redirected_to_id"
)


def _insert_rows_table(cursor: Any, first: int, last: int, *, amount_sql: str, spread: bool) -> None:
    """A temporary table of the donations to write: ids drawn from the real sequences, amounts, times."""
    at_sql = f"now() - ({last} - g) * interval '25 seconds'" if spread else "now() - interval '1 minute'"
    cursor.execute("DROP TABLE IF EXISTS bench_rows")
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_rows ON COMMIT DROP AS
        SELECT g, nextval({_seq("donations_donation")}) AS donation_id,
               nextval({_seq("finance_entrygroup")}) AS group_id,
               ({amount_sql})::numeric(20, 3) AS amount,
               {at_sql} AS captured_at
        FROM generate_series(%s, %s) AS g
        """,
        [first, last],
    )
    cursor.execute("ALTER TABLE bench_rows ADD COLUMN reference text")
    cursor.execute(f"UPDATE bench_rows SET reference = {_reference_sql('donation_id * 7919 + 123456789')}")


def _insert_donations(cursor: Any, campaign: Campaign, *, captured: bool) -> None:
    """Donations of bench_rows (captured: with their capture group id) and the audit row of each pledge."""
    status = "'captured'" if captured else "'pending'"
    cursor.execute(
        f"""
        INSERT INTO donations_donation ({PLEDGE_COLUMNS})
        SELECT donation_id, captured_at - interval '2 minutes', captured_at, %(campaign)s, reference, NULL,
               'donor' || mod(g, 70000) || '@example.org', 'Donateur ' || g, 'FR',
               CASE WHEN mod(g, 3) = 0 THEN 'ar' ELSE 'fr' END,
               amount, 'TND', amount, 'TND', 1, (captured_at AT TIME ZONE 'Africa/Tunis')::date,
               CASE WHEN mod(g, 5) = 0 THEN 'Bon courage !' ELSE '' END, '', mod(g, 7) = 0, mod(g, 21) = 0,
               {status}, 'testpay',
               {"'testpay-' || reference" if captured else "NULL"}, '', NULL,
               captured_at - interval '2 minutes' + interval '1 hour',
               {"captured_at" if captured else "NULL"}, {"group_id" if captured else "NULL"}, 0, '', NULL, NULL
        FROM bench_rows ORDER BY g
        """,
        {"campaign": campaign.pk},
    )
    cursor.execute(
        """
        INSERT INTO common_auditevent (created_at, actor_id, action, target_type, target_id, target_repr, changes)
        SELECT captured_at - interval '2 minutes', NULL, 'donations.donation.pledged', 'donations.donation',
               donation_id::text, reference, jsonb_build_object('amount', jsonb_build_object('old', NULL,
               'new', amount::text || ' TND'))
        FROM bench_rows ORDER BY g
        """
    )


def _insert_captures(cursor: Any, campaign: Campaign, first_receipt: int) -> None:
    """The ledger groups and entries, receipts and audit rows of `donation_capture` for bench_rows."""
    clearing = accounts.clearing("testpay", "TND").pk
    funds = accounts.campaign_funds(campaign.pk, "TND").pk
    cursor.execute(
        """
        INSERT INTO finance_entrygroup (id, created_at, kind, memo, created_by_id, idempotency_key, reverses_id)
        SELECT group_id, captured_at, 'donation.captured', reference, NULL,
               'donation:' || donation_id || ':capture', NULL
        FROM bench_rows ORDER BY g
        """
    )
    cursor.execute(
        """
        INSERT INTO finance_ledgerentry (group_id, account_id, amount, currency)
        SELECT r.group_id, CASE WHEN side = 1 THEN %(clearing)s ELSE %(funds)s END,
               CASE WHEN side = 1 THEN r.amount ELSE -r.amount END, 'TND'
        FROM bench_rows r CROSS JOIN (VALUES (1), (2)) AS sides (side) ORDER BY r.g, side
        """,
        {"clearing": clearing, "funds": funds},
    )
    cursor.execute(
        """
        INSERT INTO donations_receipt (organization_id, number, donation_id, issued_at)
        SELECT %(organization)s, %(first)s + row_number() OVER (ORDER BY g) - 1, donation_id, captured_at
        FROM bench_rows ORDER BY g
        """,
        {"organization": campaign.organization_id, "first": first_receipt},
    )
    cursor.execute(
        """
        INSERT INTO common_auditevent (created_at, actor_id, action, target_type, target_id, target_repr, changes)
        SELECT captured_at, NULL, 'donations.donation.captured', 'donations.donation', donation_id::text,
               reference, jsonb_build_object('status', jsonb_build_object('old', 'pending', 'new', 'captured'),
               'ledger_group', group_id, 'receipt', %(first)s + row_number() OVER (ORDER BY g) - 1,
               'match', NULL, 'source', '')
        FROM bench_rows ORDER BY g
        """,
        {"first": first_receipt},
    )
    cursor.execute(
        "INSERT INTO donations_receiptsequence (organization_id, last_number) VALUES (%s, 0) "
        "ON CONFLICT (organization_id) DO NOTHING",
        [campaign.organization_id],
    )
    cursor.execute(
        "UPDATE donations_receiptsequence SET last_number = (SELECT max(number) FROM donations_receipt "
        "WHERE organization_id = %s) WHERE organization_id = %s",
        [campaign.organization_id, campaign.organization_id],
    )


def _bench_organization(name: str) -> Organization:
    existing = Organization.objects.filter(name_fr=name).order_by("pk").first()
    return existing or builders.organization(name)


def big_campaign() -> tuple[Campaign, int, float | None]:
    """The campaign with DONATIONS captured donations (created or completed); (campaign, added, seconds)."""
    campaign = Campaign.objects.filter(title_fr=MARKER).order_by("pk").first()
    if campaign is None:
        campaign = builders.campaign(org=_bench_organization("Association Bench 100k"), goal=Decimal("5000000.000"))
        Campaign.objects.filter(pk=campaign.pk).update(title_fr=MARKER)
    now = timezone.now()  # keep it live on later reruns
    Campaign.objects.filter(pk=campaign.pk).update(starts_at=now - timedelta(days=30), ends_at=now + timedelta(days=30))
    campaign.refresh_from_db()
    existing = Donation.objects.filter(campaign=campaign, status=Donation.Status.CAPTURED).count()
    if existing >= DONATIONS:
        return campaign, 0, None
    _progress(f"writing {DONATIONS - existing} captured donations (donations, ledger, receipts, audit)")
    start = time.perf_counter()
    next_receipt = (
        ReceiptSequence.objects.filter(organization_id=campaign.organization_id)
        .values_list("last_number", flat=True)
        .first()
        or 0
    ) + 1
    with transaction.atomic(), connection.cursor() as cursor:
        _insert_rows_table(
            cursor, existing + 1, DONATIONS, amount_sql="10 + mod(g * 37, 190) + mod(g, 4) * 0.250", spread=True
        )
        _insert_donations(cursor, campaign, captured=True)
        _insert_captures(cursor, campaign, next_receipt)
    # the deferred ledger triggers ran at commit: every group balances
    with connection.cursor() as cursor:
        for table in ("donations_donation", "finance_entrygroup", "finance_ledgerentry", "donations_receipt"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("VACUUM ANALYZE common_auditevent")
    return campaign, DONATIONS - existing, time.perf_counter() - start


def check_big_campaign(campaign: Campaign) -> dict[str, Any]:
    raised = campaign_raised(campaign)
    donations_total = Donation.objects.filter(campaign=campaign, status=Donation.Status.CAPTURED).aggregate(
        t=Sum("campaign_amount")
    )["t"]
    assert raised == donations_total, (raised, donations_total)
    return {"raised": str(raised), "currency": campaign.currency}


# --- Page timings -----------------------------------------------------------------------------------------------
def _url(name: str, *args: Any, language: str = "fr") -> str | None:
    try:
        with translation.override(language):
            return reverse(name, args=args)
    except NoReverseMatch:
        return None


def measure(client: Client, url: str) -> dict[str, float | int]:
    client.get(url)
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    timings.sort()
    return {
        "url": url,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_p95(timings), 2),
        "queries": len(queries),
        "bytes": len(response.content),
        "db_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 1),
        "slowest_queries": [f"{float(q['time']) * 1000:.0f} ms: {' '.join(q['sql'].split())[:200]}" for q in slowest],
    }


def page_timings(campaign: Campaign) -> dict[str, Any]:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    cases: dict[str, str | None] = {
        "campaign_detail": _url("campaigns:detail", campaign.pk),
        "donate": _url("donations:donate", campaign.pk),
        "api_detail": f"/api/v1/campaigns/{campaign.pk}/",
    }
    results: dict[str, Any] = {}
    for name, url in cases.items():
        if url is None:
            results[name] = "url not found"
            continue
        try:
            status = client.get(url).status_code
            if status != 200:
                results[name] = {"url": url, "error": f"HTTP {status}"}
                continue
            _progress(f"measuring {url} x {ROUNDS}")
            results[name] = measure(client, url)
        except Exception as exc:  # a page still being written must not stop the other figures
            results[name] = {"url": url, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return results


# --- Captures ---------------------------------------------------------------------------------------------------
def capture_campaign(label: str, pledges: int) -> tuple[Campaign, MatchingPot, list[int]]:
    """A fresh live TND campaign, a matching pot (1:1, large enough) for it, and `pledges` pending pledges."""
    campaign = builders.campaign(org=builders.organization(f"Association Bench captures {label}"))
    now = timezone.now()
    pot = matching_pot_open(
        name=f"Bench pot {label}",
        sponsor_name="Fondation Bench",
        currency="TND",
        total=Decimal("1000000.000"),
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=30),
        acting_user=None,
        campaigns=[campaign],
    )
    assert pledges * CAPTURE_AMOUNT <= pot.total
    with transaction.atomic(), connection.cursor() as cursor:
        _insert_rows_table(cursor, 1, pledges, amount_sql=str(CAPTURE_AMOUNT), spread=False)
        _insert_donations(cursor, campaign, captured=False)
        cursor.execute("SELECT donation_id FROM bench_rows ORDER BY g")
        ids = [row[0] for row in cursor.fetchall()]
    return campaign, pot, ids


def _statement_kind(sql: str) -> str:
    sql = " ".join(sql.split())
    word = sql.split(" ", 1)[0].upper()
    if word in {"SAVEPOINT", "RELEASE", "ROLLBACK"}:
        return word
    if word == "SET":
        return "SET LOCAL lock_timeout"
    if word == "SELECT":
        tables = re.findall(r'FROM "?(\w+)"?', sql)
        if not tables:  # a function call: procrastinate's job insert
            function = re.findall(r"SELECT (\w+)\(", sql)
            return f"SELECT {function[0]}()" if function else "SELECT"
        kind = f"SELECT {tables[0] if tables else ''}".strip()
        if "FOR UPDATE" in sql:
            kind += " FOR UPDATE"
        elif " SUM(" in sql.upper():
            kind += " SUM"
        elif "EXISTS" in sql.upper():
            kind += " (eligible pots)"
        return kind
    if word == "INSERT":
        table = re.findall(r'INTO "?(\w+)"?', sql)
        return f"INSERT {table[0] if table else ''}"
    if word == "UPDATE":
        table = re.findall(r'UPDATE "?(\w+)"?', sql)
        return f"UPDATE {table[0] if table else ''}"
    return word


def capture_probe(donation_id: int) -> dict[str, Any]:
    """One capture under CaptureQueriesContext: the statements the service sends (commit and the job insert
    after commit included)."""
    donation = Donation.objects.get(pk=donation_id)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        donation_capture(
            donation_id=donation.pk,
            provider="testpay",
            provider_payment_id=f"testpay-{donation.reference}",
            amount=donation.amount,
            currency=donation.currency,
        )
    elapsed = (time.perf_counter() - start) * 1000
    kinds = [_statement_kind(q["sql"]) for q in queries.captured_queries]
    return {
        "queries": len(kinds),
        "ms_single_thread": round(elapsed, 2),
        "db_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 2),
        "statements": kinds,
        "statement_counts": dict(Counter(kinds).most_common()),
    }


PHASES = ("ledger_post", "match_reserve", "_next_receipt_number", "audit_log", "mail_queue")
PHASE_SAMPLE = 40


def capture_phases(ids: list[int]) -> dict[str, float]:
    """Mean ms per capture of the service's steps, over sequential captures (one thread, no lock waits):
    timers wrapped around the functions `donation_capture` calls (their behaviour unchanged)."""
    from jusoor.common.tasks import send_email
    from jusoor.donations.services import capture as capture_module

    spent: Counter[str] = Counter()

    def timed(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    originals = {name: getattr(capture_module, name) for name in PHASES}
    original_defer = send_email.defer
    for name, function in originals.items():
        setattr(capture_module, name, timed(name, function))
    timed_defer = timed("mail job insert (after commit)", original_defer)
    pot_locked: list[float] = []
    committed: list[float] = []

    def defer(**kwargs: Any) -> Any:  # called right after the commit
        committed.append(time.perf_counter())
        return timed_defer(**kwargs)

    def note_pot_lock(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "FOR UPDATE" in sql and '"donations_matchingpot"' in sql:
            pot_locked.append(time.perf_counter())
        return execute(sql, params, many, context)

    send_email.defer = defer  # type: ignore[method-assign]
    references = dict(Donation.objects.filter(pk__in=ids).values_list("pk", "reference"))
    cpu_start = time.process_time()
    try:
        with connection.execute_wrapper(note_pot_lock):
            _phase_loop(ids, references, spent)
        spent["python CPU (of total)"] = time.process_time() - cpu_start
    finally:
        for name, function in originals.items():
            setattr(capture_module, name, function)
        send_email.defer = original_defer  # type: ignore[method-assign]
    phases = {("ledger_post (capture group)" if k == "ledger_post" else k): v for k, v in spent.items()}
    phases["rest (lock, checks, saves, receipt row, commit)"] = spent["total"] - sum(
        v for k, v in spent.items() if k not in {"total", "python CPU (of total)"}
    )
    assert len(pot_locked) == len(committed) == len(ids)
    phases["pot row locked (lock to commit)"] = sum(c - p for p, c in zip(pot_locked, committed, strict=True))
    return {name: round(value * 1000 / len(ids), 2) for name, value in phases.items()}


def _phase_loop(ids: list[int], references: dict[int, str], spent: Counter[str]) -> None:
    for donation_id in ids:
        start = time.perf_counter()
        donation_capture(
            donation_id=donation_id,
            provider="testpay",
            provider_payment_id=f"testpay-{references[donation_id]}",
            amount=CAPTURE_AMOUNT,
            currency="TND",
        )
        spent["total"] += time.perf_counter() - start


def _run_threads(target: Any, chunks: list[list[int]]) -> tuple[float, list[BaseException]]:
    barrier = threading.Barrier(len(chunks) + 1)
    errors: list[BaseException] = []

    def run(ids: list[int]) -> None:
        try:
            target(ids, barrier)
        except BaseException as exc:  # reported below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a worker failed before the start: reported below
        barrier.wait(timeout=120)
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, errors


class ActivitySampler:
    """Samples pg_stat_activity of the bench database every 10 ms while the workers run: how often a worker's
    session is running a statement, waiting for a row lock, or idle inside its transaction (the client, i.e.
    Python, is working while the transaction holds its locks)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with psycopg.connect(**_connection_params(BENCH_DB), autocommit=True) as db:
            while not self._stop.is_set():
                rows = db.execute(
                    "SELECT state, wait_event_type FROM pg_stat_activity WHERE datname = %s AND "
                    "backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'",
                    [BENCH_DB],
                ).fetchall()
                for state, wait in rows:
                    if wait == "Lock":
                        self.counts["waiting for a lock"] += 1
                    elif state == "idle in transaction":
                        self.counts["idle in transaction (client working)"] += 1
                    elif state == "active":
                        self.counts["running a statement"] += 1
                    else:
                        self.counts[str(state)] += 1
                time.sleep(0.01)

    def __enter__(self) -> ActivitySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def shares(self) -> dict[str, float]:
        total = sum(self.counts.values()) or 1
        return {state: round(count / total, 3) for state, count in self.counts.most_common()}


def _run_processes(target: Any, chunks: list[list[int]]) -> float:
    """The same as `_run_threads` with forked processes (no shared GIL): each opens its own connection."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(chunks) + 1)
    connection.close()  # never share the parent's connection with the children
    processes = [context.Process(target=target, args=(chunk, barrier)) for chunk in chunks]
    for process in processes:
        process.start()
    barrier.wait(timeout=120)
    start = time.perf_counter()
    for process in processes:
        process.join()
    seconds = time.perf_counter() - start
    failed = [process.exitcode for process in processes if process.exitcode != 0]
    assert not failed, f"worker processes failed: {failed}"
    return seconds


def _service_worker(ids: list[int], barrier: threading.Barrier) -> None:
    try:
        references = dict(Donation.objects.filter(pk__in=ids).values_list("pk", "reference"))
        barrier.wait(timeout=120)
        for donation_id in ids:
            _donation, new = donation_capture(
                donation_id=donation_id,
                provider="testpay",
                provider_payment_id=f"testpay-{references[donation_id]}",
                amount=CAPTURE_AMOUNT,
                currency="TND",
            )
            assert new
    finally:
        connection.close()


RAW_LOCK_DONATION = (
    "SELECT status, amount, currency, campaign_amount, reference, provider FROM donations_donation "
    "WHERE id = %s FOR UPDATE"
)
RAW_LOCK_POT = "SELECT ratio FROM donations_matchingpot WHERE id = %s FOR UPDATE"
RAW_POT_AVAILABLE = "SELECT -coalesce(sum(amount), 0) FROM finance_ledgerentry WHERE account_id = %s"
RAW_GROUP = """
WITH g AS (
    INSERT INTO finance_entrygroup (created_at, kind, memo, created_by_id, idempotency_key, reverses_id)
    VALUES (now(), %(kind)s, %(memo)s, NULL, %(key)s, NULL) RETURNING id
)
INSERT INTO finance_ledgerentry (group_id, account_id, amount, currency)
SELECT g.id, v.account, v.amount, 'TND' FROM g, (VALUES (%(debit)s::bigint, %(amount)s::numeric),
    (%(credit)s::bigint, -%(amount)s::numeric)) AS v (account, amount)
RETURNING group_id
"""
RAW_MATCH = (
    "INSERT INTO donations_match (created_at, updated_at, pot_id, donation_id, campaign_id, amount, status, "
    "reserve_group_id, settle_group_id) VALUES (now(), now(), %s, %s, %s, %s, 'reserved', %s, NULL) RETURNING id"
)
RAW_DONATION = (
    "UPDATE donations_donation SET status = 'captured', captured_at = now(), capture_group_id = %s, "
    "provider_payment_id = %s, updated_at = now() WHERE id = %s"
)
RAW_SEQUENCE = (
    "UPDATE donations_receiptsequence SET last_number = last_number + 1 WHERE organization_id = %s "
    "RETURNING last_number"
)
RAW_RECEIPT = (
    "INSERT INTO donations_receipt (organization_id, number, donation_id, issued_at) VALUES (%s, %s, %s, now())"
)
RAW_AUDIT = """
INSERT INTO common_auditevent (created_at, actor_id, action, target_type, target_id, target_repr, changes)
VALUES (now(), NULL, 'donations.donation.captured', 'donations.donation', %(id)s::text, %(reference)s,
    jsonb_build_object('status', jsonb_build_object('old', %(old)s::text, 'new', 'captured'),
    'ledger_group', %(group)s::bigint, 'receipt', %(receipt)s::int, 'match', %(match)s::text, 'source', ''))
"""


def _raw_capture(db: psycopg.Connection, donation_id: int, context: dict[str, Any]) -> float:
    """One capture in one transaction; returns when the pot's row lock was asked for."""
    pot_locked = 0.0
    with db.transaction():
        status, amount, currency, campaign_amount, reference, provider = db.execute(
            RAW_LOCK_DONATION, [donation_id]
        ).fetchone()
        if status != "pending":
            return pot_locked
        pot_locked = time.perf_counter()
        (ratio,) = db.execute(RAW_LOCK_POT, [context["pot"]]).fetchone()
        (available,) = db.execute(RAW_POT_AVAILABLE, [context["pot_available"]]).fetchone()
        (group_id,) = db.execute(
            RAW_GROUP,
            {
                "kind": "donation.captured",
                "memo": reference,
                "key": f"donation:{donation_id}:capture",
                "debit": context["clearing"],
                "credit": context["funds"],
                "amount": amount,
            },
        ).fetchone()
        match = min((campaign_amount * ratio).quantize(Decimal("0.001")), available)
        if match > 0:
            (reserve_group_id,) = db.execute(
                RAW_GROUP,
                {
                    "kind": "match.reserved",
                    "memo": reference,
                    "key": f"donation:{donation_id}:match",
                    "debit": context["pot_available"],
                    "credit": context["pot_reserved"],
                    "amount": match,
                },
            ).fetchone()
            db.execute(RAW_MATCH, [context["pot"], donation_id, context["campaign"], match, reserve_group_id])
        db.execute(RAW_DONATION, [group_id, f"testpay-{reference}", donation_id])
        (number,) = db.execute(RAW_SEQUENCE, [context["organization"]]).fetchone()
        db.execute(RAW_RECEIPT, [context["organization"], number, donation_id])
        db.execute(
            RAW_AUDIT,
            {
                "id": donation_id,
                "reference": reference,
                "old": status,
                "group": group_id,
                "receipt": number,
                "match": str(match) if match > 0 else None,
            },
        )
    return pot_locked


def raw_sequential(ids: list[int], context: dict[str, Any]) -> dict[str, float]:
    """Raw captures one after the other (one connection, no lock waits): ms per capture and pot lock held."""
    held = 0.0
    with psycopg.connect(**_connection_params(BENCH_DB), prepare_threshold=None) as db:
        start = time.perf_counter()
        for donation_id in ids:
            pot_locked = _raw_capture(db, donation_id, context)
            held += time.perf_counter() - pot_locked
        total = time.perf_counter() - start
    return {
        "total": round(total * 1000 / len(ids), 2),
        "pot row locked (lock to commit)": round(held * 1000 / len(ids), 2),
    }


def _raw_worker_factory(context: dict[str, Any]) -> Any:
    def worker(ids: list[int], barrier: threading.Barrier) -> None:
        # The same connection settings as Django's (no server-side prepared statements).
        with psycopg.connect(**_connection_params(BENCH_DB), prepare_threshold=None) as db:
            db.execute("SELECT 1")
            db.commit()
            barrier.wait(timeout=120)
            for donation_id in ids:
                _raw_capture(db, donation_id, context)

    return worker


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i * CAPTURES : (i + 1) * CAPTURES] for i in range(WORKERS)]


def _check_captures(campaign: Campaign, pot: MatchingPot, count: int) -> None:
    captured = Donation.objects.filter(campaign=campaign, status=Donation.Status.CAPTURED).count()
    assert captured == count, (captured, count)
    assert campaign_raised(campaign) == count * CAPTURE_AMOUNT
    assert Match.objects.filter(pot=pot).count() == count
    assert pot_available_amount(pot) == pot.total - count * CAPTURE_AMOUNT
    numbers = sorted(Receipt.objects.filter(organization_id=campaign.organization_id).values_list("number", flat=True))
    assert numbers == list(range(1, count + 1)), "receipt numbers have gaps"


def _max_job_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM procrastinate_jobs")
        return int(cursor.fetchone()[0])


def _delete_jobs(after: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE id > %s AND queue_name = 'mail'", [after])
        return cursor.rowcount


def captures() -> dict[str, Any]:
    total = WORKERS * CAPTURES
    jobs_before = _max_job_id()
    try:
        _progress(f"service: {WORKERS} workers x {CAPTURES} captures (pledges written set-based)")
        extra = 2 + PHASE_SAMPLE
        campaign, pot, ids = capture_campaign("service", total + extra)
        capture_probe(ids[0])  # the warm-up: accounts created, templates compiled
        probe = capture_probe(ids[1])
        probe["phases_ms"] = capture_phases(ids[2:extra])
        connection.close()
        with ActivitySampler() as service_activity:
            seconds, errors = _run_threads(_service_worker, _chunks(ids[extra:]))
        if errors:
            raise errors[0]
        _check_captures(campaign, pot, total + extra)
        service = total / seconds
        _progress(f"service: {service:.1f} captures/s")

        if PROCESSES:
            _progress(f"service: {WORKERS} processes x {CAPTURES} captures")
            process_campaign, process_pot, process_ids = capture_campaign("service-processes", total)
            accounts.campaign_funds(process_campaign.pk, "TND")  # as the warm-up capture does for the threads
            accounts.pot_reserved(process_pot.pk, "TND")
            with ActivitySampler() as process_activity:
                process_seconds = _run_processes(_service_worker, _chunks(process_ids))
            _check_captures(process_campaign, process_pot, total)
            _progress(f"service, processes: {total / process_seconds:.1f} captures/s")

        _progress(f"raw SQL: {WORKERS} workers x {CAPTURES} captures")
        raw_campaign, raw_pot, raw_ids = capture_campaign("raw", total + PHASE_SAMPLE)
        context = {
            "pot": raw_pot.pk,
            "campaign": raw_campaign.pk,
            "organization": raw_campaign.organization_id,
            "clearing": accounts.clearing("testpay", "TND").pk,
            "funds": accounts.campaign_funds(raw_campaign.pk, "TND").pk,
            "pot_available": accounts.pot_available(raw_pot.pk, "TND").pk,
            "pot_reserved": accounts.pot_reserved(raw_pot.pk, "TND").pk,
        }
        ReceiptSequence.objects.get_or_create(organization_id=raw_campaign.organization_id)
        connection.close()
        raw_one = raw_sequential(raw_ids[:PHASE_SAMPLE], context)
        with ActivitySampler() as raw_activity:
            raw_seconds, errors = _run_threads(_raw_worker_factory(context), _chunks(raw_ids[PHASE_SAMPLE:]))
        if errors:
            raise errors[0]
        _check_captures(raw_campaign, raw_pot, total + PHASE_SAMPLE)
        raw = total / raw_seconds
        _progress(f"raw SQL: {raw:.1f} captures/s")
    finally:
        deleted = _delete_jobs(jobs_before)
    return {
        "workers": WORKERS,
        "captures": total,
        "service": round(service, 1),
        "service_s": round(seconds, 2),
        "service_sequential_1_worker": round(1000 / probe["phases_ms"]["total"], 1),
        "service_processes": round(total / process_seconds, 1) if PROCESSES else None,
        "raw_sql": round(raw, 1),
        "raw_sql_s": round(raw_seconds, 2),
        "ratio": round(service / raw, 3),
        "raw_sql_round_trips_per_capture": 12,  # BEGIN, the 10 statements of _raw_capture, COMMIT
        "sessions_sampled": {
            "service_threads": service_activity.shares(),
            "service_processes": process_activity.shares() if PROCESSES else None,
            "raw_sql": raw_activity.shares(),
        },
        "mail_jobs_deleted": deleted,
        "service_one_capture": probe,
        "raw_sql_one_capture_ms": raw_one,
    }


def main() -> None:
    _progress(f"migrating {BENCH_DB}")
    call_command("migrate", verbosity=0, interactive=False)
    campaign, added, seconds = big_campaign()
    _progress(f"campaign {campaign.pk}: {DONATIONS} captured donations")
    checked = check_big_campaign(campaign)
    pages = page_timings(campaign)
    capture_figures = captures()
    print(
        json.dumps(
            {
                "database": BENCH_DB,
                "rounds": ROUNDS,
                "campaign_page_100k": {
                    "campaign": campaign.pk,
                    "donations": DONATIONS,
                    "generated": added,
                    "generation_s": None if seconds is None else round(seconds, 2),
                    **checked,
                    **pages,
                },
                "captures_per_second": capture_figures,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
