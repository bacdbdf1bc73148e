"""The providers' callback endpoint in the API: raw body to the provider's hook, no session, no CSRF check.

Mostly with the test-only "apitest" provider of test_donations_api (HMAC over the raw body), so that what is
checked is this endpoint, not a real provider's event format; the last test goes through the payments app's own
test processor end to end.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from jusoor.api.tests.test_campaigns_api import api, assert_matches_schema, make_person, make_world, translated
from jusoor.api.tests.test_donations_api import payload, payment_providers, sign  # noqa: F401  (autouse fixture)
from jusoor.donations.models import Donation
from jusoor.donations.tests import builders
from jusoor.finance.models import LedgerEntry
from jusoor.payments.models import TestPaySession
from jusoor.payments.services import testpay as processor

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/{provider}/callback/"
NOT_FOUND = {"code": "not_found", "message": "Not found.", "extra": {}}


@pytest.fixture
def pledged(db) -> Donation:
    """A pledge made through the API with the "apitest" hosted page."""
    world = make_world()
    campaign = builders.campaign(org=world["organization"], where=world["zarzis"])
    response = api().post(f"/api/v1/campaigns/{campaign.pk}/donations/", payload(), format="json")
    assert response.status_code == 201
    return Donation.objects.get(reference=response.json()["reference"])


def event(donation: Donation, **overrides: Any) -> bytes:
    body = {"reference": donation.reference, "payment": "pay_123", "amount": "30", "currency": "EUR"}
    body.update(overrides)
    return json.dumps(body).encode()


def deliver(body: bytes, *, provider: str = "apitest", signature: str | None = None, **extra: Any):
    headers = {"HTTP_APITEST_SIGNATURE": sign(body) if signature is None else signature, **extra}
    content_type = headers.pop("content_type", "application/json")
    return Client().post(URL.format(provider=provider), body, content_type=content_type, **headers)


def test_a_signed_callback_captures_the_pledge(pledged):
    response = deliver(event(pledged))

    assert response.status_code == 200
    assert response.json() == {"outcome": "captured", "detail": pledged.reference}
    assert_matches_schema(response.json(), "CallbackOutput")
    pledged.refresh_from_db()
    assert pledged.status == "captured"
    campaign = api().get(f"/api/v1/campaigns/{pledged.campaign_id}/").json()
    assert campaign["progress"]["raised"] == "100.500"


def test_a_second_delivery_changes_nothing(pledged):
    deliver(event(pledged))
    entries = LedgerEntry.objects.count()
    response = deliver(event(pledged))
    assert response.status_code == 200
    assert response.json() == {"outcome": "duplicate", "detail": pledged.reference}
    assert LedgerEntry.objects.count() == entries


def test_a_bad_signature_is_the_providers_400_and_nothing_moves(pledged):
    response = deliver(event(pledged), signature="0" * 64)
    assert response.status_code == 400
    assert response.json() == {"outcome": "invalid_signature", "detail": "The signature is not valid."}
    pledged.refresh_from_db()
    assert pledged.status == "pending"
    assert not LedgerEntry.objects.exists()


def test_the_body_reaches_the_provider_byte_for_byte(pledged):
    """Whatever the content type: not parsed, not re-encoded (the signature is over the exact bytes)."""
    body = b'{ "reference" : "%s", "payment": "pay_9",\n  "amount": "30", "currency": "EUR" }  ' % (
        pledged.reference.encode()
    )
    for content_type in ["application/json", "text/plain", "application/x-www-form-urlencoded"]:
        response = deliver(body, content_type=content_type)
        assert response.status_code == 200, content_type
    pledged.refresh_from_db()
    assert pledged.provider_payment_id == "pay_9"


def test_no_session_and_no_csrf_token_needed(pledged):
    """Providers have no session cookie and no CSRF token: a logged-in browser session changes nothing either."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_person("user", pledged.campaign.organization))
    body = event(pledged)
    response = client.post(
        URL.format(provider="apitest"), body, content_type="application/json", HTTP_APITEST_SIGNATURE=sign(body)
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "captured"


@pytest.mark.parametrize("provider", ["nosuchprovider", "apitransfer"])
def test_unknown_provider_or_one_without_callbacks_is_a_404(pledged, provider):
    response = deliver(event(pledged), provider=provider, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_only_post(pledged):
    response = Client().get(URL.format(provider="apitest"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": 'Method "GET" not allowed.', "extra": {}}


def test_too_many_callbacks_from_one_address(pledged, settings):
    settings.PAYMENTS_CALLBACK_RATE_LIMIT = 2
    assert deliver(event(pledged)).status_code == 200
    assert deliver(event(pledged)).status_code == 200
    response = deliver(event(pledged), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 429
    assert response.json() == {
        "code": "rate_limited",
        "message": translated("fr", "Too many callbacks. Try again in a minute."),
        "extra": {},
    }


def test_the_payments_app_testpay_from_pledge_to_capture(db):
    """With the payments app's own test processor: the API pledge opens a hosted page, the processor's signed
    callback to the API endpoint captures the donation, a second delivery is a duplicate."""
    world = make_world()
    campaign = builders.campaign(org=world["organization"], where=world["zarzis"])
    response = api().post(
        f"/api/v1/campaigns/{campaign.pk}/donations/",
        payload(provider="testpay"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 201
    donation = Donation.objects.get()
    session = TestPaySession.objects.get(token=donation.provider_payment_id)
    assert response.json()["payment"]["redirect_url"].endswith(f"/fr/payments/testpay/{session.token}/")
    TestPaySession.objects.filter(pk=session.pk).update(status=TestPaySession.Status.SUCCEEDED)
    session.refresh_from_db()
    body = processor.testpay_event(session)
    signed = processor.signed_headers(body)
    headers = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in signed.items()}
    headers.pop("HTTP_CONTENT_TYPE")

    first = Client().post(URL.format(provider="testpay"), body, content_type="application/json", **headers)
    again = Client().post(URL.format(provider="testpay"), body, content_type="application/json", **headers)

    assert first.status_code == 200
    assert first.json()["outcome"] == "captured"
    assert again.status_code == 200
    assert again.json()["outcome"] == "duplicate"
    donation.refresh_from_db()
    assert donation.status == "captured"
    assert api().get(f"/api/v1/campaigns/{campaign.pk}/").json()["progress"]["raised"] == "100.500"
