"""Idempotency for opening a matching pot (`matching_pot_open` takes no idempotency key of its own).

The first request under a key remembers (in the cache, for a day) which pot it opened and a fingerprint of its
body. A PostgreSQL advisory lock held until the transaction ends serialises requests with the same key, so two
retries racing each other open one pot.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from jusoor.common.exceptions import ApplicationError
from jusoor.donations.error_codes import DonationErrorCode

REMEMBER_FOR = 24 * 3600  # seconds

MSG_KEY_REUSED = _("This idempotency key was already used for a different request.")


class IdempotencyConflictError(ApplicationError):
    code = DonationErrorCode.IDEMPOTENCY_REUSED
    status = 409


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def run_once(
    *, scope: str, key: str, request: dict[str, Any], create: Callable[[], int], exists: Callable[[int], bool]
) -> tuple[int, bool]:
    """Run `create` (which returns the id of what it created) once per `scope` and `key`; return (id, created).

    The same key with another `request` raises IdempotencyConflictError (409). If what the key points to no longer
    exists (a rolled-back transaction, say), `create` runs again."""
    name = f"{scope}:{_digest(key).hex()}"
    cache_key = f"api:idempotency:{name}"
    fingerprint = _digest(json.dumps(request, sort_keys=True, default=str)).hex()
    lock_id = int.from_bytes(_digest(name)[:8], "big", signed=True)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
        remembered = cache.get(cache_key)
        if remembered is not None:
            if remembered["fingerprint"] != fingerprint:
                raise IdempotencyConflictError(MSG_KEY_REUSED)
            if exists(remembered["id"]):
                return remembered["id"], False
        created_id = create()
        cache.set(cache_key, {"id": created_id, "fingerprint": fingerprint}, REMEMBER_FOR)
    return created_id, True
