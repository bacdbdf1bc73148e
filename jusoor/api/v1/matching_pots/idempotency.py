"""Idempotency of API creations (`Idempotency-Key`): what the first request under a key created, with a
fingerprint of its body, is an `IdempotencyRecord` row written in the creation's transaction. A PostgreSQL advisory
lock held until the transaction ends serialises requests with the same key, so two racing retries create once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import IdempotencyRecord
from jusoor.donations.error_codes import DonationErrorCode

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

    The same key with another `request` raises IdempotencyConflictError (409). The record is written in the same
    transaction as what `create` writes, so it exists exactly when the creation committed."""
    digest = _digest(key).hex()
    fingerprint = _digest(json.dumps(request, sort_keys=True, default=str)).hex()
    lock_id = int.from_bytes(_digest(f"{scope}:{digest}")[:8], "big", signed=True)
    with transaction.atomic():
        with connection.cursor() as cursor:  # two retries racing: the second waits, then finds the record
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
        remembered = IdempotencyRecord.objects.filter(scope=scope, key=digest).first()
        if remembered is not None:
            if remembered.fingerprint != fingerprint:
                raise IdempotencyConflictError(MSG_KEY_REUSED)
            if exists(remembered.object_id):
                return remembered.object_id, False
            remembered.delete()
        created_id = create()
        IdempotencyRecord.objects.create(scope=scope, key=digest, fingerprint=fingerprint, object_id=created_id)
    return created_id, True
