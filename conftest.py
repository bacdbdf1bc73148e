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
