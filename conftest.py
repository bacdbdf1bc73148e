"""Shared pytest fixtures. Tests run on real PostgreSQL (DATABASE_URL, or the embedded server)."""

from __future__ import annotations

import pytest
from pytest_factoryboy import register

from jusoor.accounts.tests.factories import RoleGrantFactory, UserFactory

register(UserFactory)
register(RoleGrantFactory)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: start every test from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def territories_loaded_once(django_db_setup, django_db_blocker):
    """Every territory, loaded once per test module inside a transaction rolled back after the module."""
    from django.db import transaction

    from jusoor.territories.services import territories_load

    with django_db_blocker.unblock(), transaction.atomic():
        counts = territories_load()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def territories(territories_loaded_once, db):
    return territories_loaded_once


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called directly by a test speaks English; requests still choose their language. Without this the
    language a previous request activated in the same thread would leak into the next test."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _ledger_invariants(request):
    """After every database test that moved money, the ledger and every figure cached from it are consistent
    (the checks of `manage.py ledger_check`). Tests of the checker itself opt out with
    `@pytest.mark.inconsistent_ledger`."""
    marker = request.node.get_closest_marker("django_db")
    if (
        request.node.get_closest_marker("inconsistent_ledger")
        or marker is None
        and not {"db", "transactional_db"} & set(request.fixturenames)
    ):
        yield
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    from django.db import DatabaseError

    from jusoor.donations.checks import donation_problems
    from jusoor.finance.models import EntryGroup
    from jusoor.finance.selectors import ledger_problems

    try:
        moved_money = EntryGroup.objects.exists()
    except DatabaseError:  # the test broke its transaction on purpose (e.g. a refused UPDATE): nothing to read
        return
    if moved_money:
        assert ledger_problems() + donation_problems() == []
