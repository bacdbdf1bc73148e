"""A fixed-window rate limit in the cache (shared between servers when REDIS_URL is set).

Used on money endpoints (donate, payment callbacks, refunds): `rate_limited(request, "donate", 10, 60)`
answers True once the client made more than 10 calls in the current minute.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def rate_limited(request: HttpRequest, action: str, limit: int, period: int, *, key: str = "") -> bool:
    """Count this call; True when it is over `limit` calls per `period` seconds for this IP (and `key`)."""
    window = int(time.time() // period)
    cache_key = f"rl:{action}:{key or client_ip(request)}:{window}"
    if cache.add(cache_key, 1, timeout=period + 1):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        return False
    return count > limit
