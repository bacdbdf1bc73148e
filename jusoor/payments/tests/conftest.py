"""Fixtures of the payments tests: a verified organisation's live campaign, pledges, signed callbacks, and Stripe's
API replayed from recorded responses (tests never reach the network)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import stripe
from django.utils import timezone

from jusoor.campaigns.models import Campaign
from jusoor.donations.models import Donation
from jusoor.donations.services.pledge import donation_pledge
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.payments.signing import signature_header
from jusoor.territories.models import Territory

RECORDINGS = Path(__file__).parent / "recordings"
STRIPE_REFERENCE = "JSR-7K3QD-2M9XA"  # the pledge reference inside the recorded Stripe responses
STRIPE_SESSION_ID = "cs_test_a1Qm4kXn8ZsY2Vt6RbP0LcW9HdJe3FgU7iOyTq5NwAzKx"
STRIPE_WEBHOOK_SECRET = "whsec_jusoor_recorded"


def make_territory() -> Territory:
    territory, _created = Territory.objects.get_or_create(
        code="TN-82",
        defaults={
            "code_system": "iso3166-2",
            "country": "TN",
            "kind": "governorate",
            "name_ar": "مدنين",
            "name_fr": "Médenine",
            "name_en": "Medenine",
        },
    )
    return territory


def make_campaign(currency: str = "EUR") -> Campaign:
    now = timezone.now()
    return Campaign.objects.create(
        organization=OrganizationFactory(),
        title_fr="Une bibliothèque pour les enfants",
        title_ar="مكتبة للأطفال",
        territory=make_territory(),
        currency=currency,
        goal=10000,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=29),
        status=Campaign.Status.LIVE,
    )


def make_pledge(
    campaign: Campaign, amount: str = "25", currency: str = "EUR", provider: str = "testpay", **kwargs: Any
) -> Donation:
    values: dict[str, Any] = {
        "email": "leila@example.org",
        "country_of_residence": "FR",
        "name": "Leïla Ben Salah",
        "language": "fr",
        "expires_in": timedelta(hours=2),
    }
    values.update(kwargs)
    return donation_pledge(campaign=campaign, amount=amount, currency=currency, provider=provider, **values)


@pytest.fixture
def campaign(db) -> Campaign:
    return make_campaign("EUR")


@pytest.fixture
def tnd_campaign(db) -> Campaign:
    return make_campaign("TND")


@pytest.fixture
def pledge(campaign) -> Donation:
    return make_pledge(campaign)


# --- testpay callbacks ----------------------------------------------------------------------------------------


def callback_body(
    donation: Donation,
    *,
    event_type: str = "payment.succeeded",
    event_id: str = "",
    amount: str = "",
    currency: str = "",
) -> bytes:
    event = {
        "id": event_id or f"evt_{event_type.split('.')[1]}_{donation.reference}",
        "type": event_type,
        "created": int(time.time()),
        "data": {
            "session": donation.provider_payment_id or "tok_test",
            "merchant_reference": donation.reference,
            "amount": amount or f"{donation.amount:.2f}",
            "currency": currency or donation.currency,
        },
    }
    return json.dumps(event, separators=(",", ":")).encode()


def post_callback(client, body: bytes, *, provider: str = "testpay", signature: str | None = None, secret: str = ""):
    from django.conf import settings

    header = signature if signature is not None else signature_header(body, secret or settings.TESTPAY_SECRET)
    header_name = "HTTP_STRIPE_SIGNATURE" if provider == "stripe" else "HTTP_TESTPAY_SIGNATURE"
    return client.post(
        f"/payments/{provider}/callback/", data=body, content_type="application/json", **{header_name: header}
    )


# --- Stripe, replayed ------------------------------------------------------------------------------------------


def recording(name: str) -> dict[str, Any]:
    return json.loads((RECORDINGS / f"{name}.json").read_text())


def stripe_signature(payload: bytes, secret: str = STRIPE_WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header exactly as Stripe computes it: HMAC-SHA256 of "{t}.{payload}"."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.{payload.decode()}".encode()
    return f"t={timestamp},v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}"


def stripe_event_body(name: str) -> bytes:
    """A recorded webhook body, byte for byte as Stripe sends it (pretty-printed JSON)."""
    return (RECORDINGS / f"{name}.json").read_bytes()


@dataclass
class RecordedCall:
    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, list[str]]


class RecordedStripeClient(stripe.HTTPClient):
    """Stripe's HTTP layer answering from recordings: the real library builds the requests and parses the
    responses. Every call is kept for assertions; a call without a recording fails the test (no network).

    Answers are matched on method and path only: the query string of a GET (e.g. the `expand[0]` of a session
    read back with its payment expanded) is not part of the match, and is kept in the call's `params`."""

    name = "recorded"

    def __init__(self) -> None:
        super().__init__()
        self.routes: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self.calls: list[RecordedCall] = []

    def answer(self, method: str, path: str, name: str, status: int = 200) -> RecordedStripeClient:
        """Queue a recorded answer for `method path`; the last one queued is repeated."""
        self.routes.setdefault((method.upper(), path), []).append((name, status))
        return self

    def request(self, method, url, headers, post_data=None, *, _usage=None):  # type: ignore[override]
        path, query = urlsplit(url).path, urlsplit(url).query
        body = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        self.calls.append(RecordedCall(method.upper(), path, dict(headers or {}), parse_qs(body or query)))
        queue = self.routes.get((method.upper(), path))
        if not queue:
            raise AssertionError(f"no recorded Stripe answer for {method.upper()} {path}")
        name, status = queue.pop(0) if len(queue) > 1 else queue[0]
        if name == "connection_error":
            raise stripe.APIConnectionError("Could not connect to Stripe (recorded outage).")
        return (RECORDINGS / f"{name}.json").read_text(), status, {"Request-Id": "req_recorded"}

    def request_stream(self, method, url, headers, post_data=None, *, _usage=None):  # type: ignore[override]
        raise AssertionError("streaming is not used")

    def close(self) -> None:
        pass


@pytest.fixture(autouse=True)
def _no_stripe_network(monkeypatch):
    """Every test: Stripe's library talks to a recorder that has no answers unless a test gives some."""
    client = RecordedStripeClient()
    monkeypatch.setattr(stripe, "default_http_client", client)
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    return client


@pytest.fixture
def stripe_api(_no_stripe_network, settings) -> RecordedStripeClient:
    settings.STRIPE_SECRET_KEY = "sk_test_jusoor_recorded"
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET
    return _no_stripe_network


@pytest.fixture
def stripe_pledge(campaign, stripe_api) -> Donation:
    """A 25 EUR card pledge whose reference and session are the recorded ones."""
    donation = make_pledge(campaign, "25", "EUR", provider="stripe")
    Donation.objects.filter(pk=donation.pk).update(reference=STRIPE_REFERENCE, provider_payment_id=STRIPE_SESSION_ID)
    donation.refresh_from_db()
    return donation
