"""Signatures of the offline test processor's callbacks, made like Stripe's.

Header `Testpay-Signature: t=<unix time>,v1=<hex>` where the hex is HMAC-SHA256(secret, f"{t}.{raw body}"): the
timestamp is signed with the body, and a signature older (or newer) than five minutes is refused, so a captured
callback cannot be replayed later with a fresh header.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Testpay-Signature"
TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """The callback is not signed with our secret (or too old); its content must not be trusted."""


def compute_signature(body: bytes, timestamp: int, secret: str) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(body: bytes, secret: str, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={compute_signature(body, timestamp, secret)}"


def verify_signature(
    body: bytes, header: str | None, secret: str, *, tolerance: int = TOLERANCE_SECONDS, now: float | None = None
) -> int:
    """The signed timestamp, or SignatureError. Several v1 values are allowed (a secret being rotated)."""
    if not header:
        raise SignatureError("no signature header")
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, _sep, value = item.strip().partition("=")
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise SignatureError("unreadable timestamp") from None
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("malformed signature header")
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance")
    expected = compute_signature(body, timestamp, secret)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("signature does not match")
    return timestamp
