"""Stripe Checkout with the real `stripe` library, its API answered from recorded responses (no network):
session creation, webhooks verified as Stripe signs them, the session read back before capturing, refunds."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest
from django.utils import translation

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.donations.models import Donation, Refund
from jusoor.donations.providers import available_providers, get_provider
from jusoor.donations.services.refunds import donation_refund
from jusoor.finance.models import EntryGroup
from jusoor.payments import models
from jusoor.payments.tests.conftest import (
    STRIPE_REFERENCE,
    STRIPE_SESSION_ID,
    make_pledge,
    post_callback,
    recording,
    stripe_event_body,
    stripe_signature,
)

pytestmark = pytest.mark.django_db

SESSION_PATH = f"/v1/checkout/sessions/{STRIPE_SESSION_ID}"
PAYMENT_INTENT = "pi_3SbK8LJq2mXyZa1b0T7Hc9Qe"


def webhook(client, name: str, *, secret: str | None = None):
    body = stripe_event_body(name)
    signature = stripe_signature(body) if secret is None else stripe_signature(body, secret)
    return post_callback(client, body, provider="stripe", signature=signature)


def status_of(donation: Donation) -> str:
    donation.refresh_from_db()
    return donation.status


def capture_groups() -> int:
    return EntryGroup.objects.filter(kind="donation.captured").count()


def test_stripe_is_offered_for_eur_usd_cad_only_when_configured(settings):
    settings.STRIPE_SECRET_KEY = ""
    assert "stripe" not in [p.identifier for p in available_providers()]
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert [p.identifier for p in available_providers("CAD")] == ["testpay", "stripe"]
    assert [p.identifier for p in available_providers("TND")] == ["testpay", "bank_transfer"]


def test_initiate_creates_a_checkout_session(campaign, stripe_api):
    donation = make_pledge(campaign, "25", "EUR", provider="stripe", language="en")
    Donation.objects.filter(pk=donation.pk).update(reference=STRIPE_REFERENCE)
    donation.refresh_from_db()
    stripe_api.answer("POST", "/v1/checkout/sessions", "checkout_session_created")

    step = get_provider("stripe").initiate(
        donation, return_url="https://jusoor.example/fr/d/?return=1", cancel_url="https://jusoor.example/fr/d/"
    )

    assert step.redirect_url == recording("checkout_session_created")["url"]
    donation.refresh_from_db()
    assert (donation.provider_payment_id, donation.status) == (STRIPE_SESSION_ID, "pending")
    [call] = stripe_api.calls
    assert (call.method, call.path) == ("POST", "/v1/checkout/sessions")
    assert call.headers["Idempotency-Key"] == STRIPE_REFERENCE
    assert call.headers["Authorization"] == "Bearer sk_test_jusoor_recorded"
    params = {key: values[0] for key, values in call.params.items()}
    assert params["mode"] == "payment"
    assert params["line_items[0][price_data][unit_amount]"] == "2500"
    assert params["line_items[0][price_data][currency]"] == "eur"
    assert params["line_items[0][quantity]"] == "1"
    # In the donor's language (English here; the campaign has no English title, so its primary one, Arabic).
    assert params["line_items[0][price_data][product_data][name]"] == "Donation to “مكتبة للأطفال”"
    assert params["client_reference_id"] == STRIPE_REFERENCE
    assert params["metadata[donation_reference]"] == STRIPE_REFERENCE
    assert params["payment_intent_data[metadata][donation_reference]"] == STRIPE_REFERENCE
    assert params["customer_email"] == "leila@example.org"
    assert params["locale"] == "en"
    assert params["success_url"] == "https://jusoor.example/fr/d/?return=1&session_id={CHECKOUT_SESSION_ID}"
    assert params["cancel_url"] == "https://jusoor.example/fr/d/"
    assert int(params["expires_at"]) == int(donation.expires_at.timestamp())
    assert EntryGroup.objects.count() == 0
    assert AuditEvent.objects.get(action="payments.payment.started").changes["provider_payment_id"] == {
        "old": None,
        "new": STRIPE_SESSION_ID,
    }


def test_initiate_when_stripe_is_down_refuses_politely(campaign, stripe_api):
    donation = make_pledge(campaign, "25", "EUR", provider="stripe")
    stripe_api.answer("POST", "/v1/checkout/sessions", "connection_error")
    with pytest.raises(ApplicationError) as caught:
        get_provider("stripe").initiate(donation, return_url="https://x/", cancel_url="https://x/")
    assert caught.value.code == "provider_unavailable"
    donation.refresh_from_db()
    assert donation.provider_payment_id is None


def test_completed_checkout_reads_the_session_back_and_captures(
    client, stripe_pledge, stripe_api, django_capture_on_commit_callbacks
):
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_paid")

    with django_capture_on_commit_callbacks(execute=True):
        response = webhook(client, "event_checkout_session_completed")

    assert (response.status_code, response.json()) == (200, {"outcome": "captured", "detail": ""})
    assert [(c.method, c.path) for c in stripe_api.calls] == [("GET", SESSION_PATH)]
    assert status_of(stripe_pledge) == "captured"
    assert capture_groups() == 1
    event = models.ProviderEvent.objects.get()
    assert (event.provider, event.event_id, event.event_type, event.outcome) == (
        "stripe",
        "evt_1SbKA2Jq2mXyZa1bVn4sHk0T",
        "checkout.session.completed",
        "captured",
    )
    assert event.payload == stripe_event_body("event_checkout_session_completed").decode()


def test_a_redelivered_webhook_is_a_duplicate_without_asking_stripe_again(
    client, stripe_pledge, stripe_api, django_capture_on_commit_callbacks
):
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_paid")
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, "event_checkout_session_completed")
        again = webhook(client, "event_checkout_session_completed")
    assert again.json() == {"outcome": "duplicate", "detail": "captured"}
    assert len(stripe_api.calls) == 1
    assert capture_groups() == 1


def test_the_amount_is_checked_on_the_session_stripe_returns_not_on_the_webhook(client, stripe_pledge, stripe_api):
    """The webhook's body says 25.00 EUR, but the session read from the API was paid 10.00: rejected."""
    assert json.loads(stripe_event_body("event_checkout_session_completed"))["data"]["object"]["amount_total"] == 2500
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_paid_other_amount")

    response = webhook(client, "event_checkout_session_completed")

    message = "The amount paid (10.00 EUR) differs from the pledge (25.000 EUR)."
    assert response.json() == {"outcome": "rejected", "detail": message}
    assert status_of(stripe_pledge) == "pending"
    assert capture_groups() == 0
    assert AuditEvent.objects.get(action="payments.event.rejected").changes["reported"] == "10.00 EUR"


def test_async_payment_pending_then_failed(client, stripe_pledge, stripe_api):
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_processing")

    completed = webhook(client, "event_checkout_session_completed_async")
    assert completed.json() == {"outcome": "ignored", "detail": "payment_status=unpaid"}
    assert status_of(stripe_pledge) == "pending"

    failed = webhook(client, "event_checkout_session_async_payment_failed")
    assert failed.json() == {"outcome": "failed", "detail": "asynchronous payment failed"}
    assert status_of(stripe_pledge) == "failed"
    assert capture_groups() == 0


def test_async_payment_pending_then_succeeded(client, stripe_pledge, stripe_api, django_capture_on_commit_callbacks):
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_processing").answer(
        "GET", SESSION_PATH, "checkout_session_paid"
    )
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, "event_checkout_session_completed_async")
        succeeded = webhook(client, "event_checkout_session_async_payment_succeeded")
    assert succeeded.json() == {"outcome": "captured", "detail": ""}
    assert status_of(stripe_pledge) == "captured"


def test_an_expired_session_fails_the_pledge(client, stripe_pledge, stripe_api):
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_expired")
    response = webhook(client, "event_checkout_session_expired")
    assert response.json() == {"outcome": "failed", "detail": "checkout session expired"}
    assert status_of(stripe_pledge) == "failed"


def test_other_event_types_are_stored_and_ignored_without_asking_stripe(client, stripe_pledge, stripe_api):
    response = webhook(client, "event_payment_intent_created")
    assert response.json() == {"outcome": "ignored", "detail": "event type payment_intent.created not handled"}
    assert stripe_api.calls == []
    assert models.ProviderEvent.objects.get().event_type == "payment_intent.created"


def test_a_webhook_signed_with_another_secret_is_refused(client, stripe_pledge, stripe_api):
    response = webhook(client, "event_checkout_session_completed", secret="whsec_someone_else")
    assert (response.status_code, response.json()["code"]) == (400, "invalid_signature")
    assert stripe_api.calls == []
    assert models.ProviderEvent.objects.count() == 0
    audit = AuditEvent.objects.get(action="payments.callback.forged")
    assert audit.changes["claimed_event_id"] == "evt_1SbKA2Jq2mXyZa1bVn4sHk0T"
    assert status_of(stripe_pledge) == "pending"


def test_an_old_stripe_signature_is_refused(client, stripe_pledge, stripe_api):
    body = stripe_event_body("event_checkout_session_completed")
    old = stripe_signature(body, timestamp=int(time.time()) - 600)
    response = post_callback(client, body, provider="stripe", signature=old)
    assert response.status_code == 400
    assert models.ProviderEvent.objects.count() == 0


def test_when_stripe_cannot_be_asked_the_event_waits_for_the_next_delivery(
    client, stripe_pledge, stripe_api, django_capture_on_commit_callbacks
):
    stripe_api.answer("GET", SESSION_PATH, "connection_error").answer("GET", SESSION_PATH, "checkout_session_paid")

    first = webhook(client, "event_checkout_session_completed")
    assert (first.status_code, first.json()["code"]) == (503, "provider_unavailable")
    event = models.ProviderEvent.objects.get()
    assert (event.outcome, event.processed_at) == ("received", None)  # stored first, not acted on

    with django_capture_on_commit_callbacks(execute=True):
        second = webhook(client, "event_checkout_session_completed")
    assert second.json() == {"outcome": "captured", "detail": ""}
    assert status_of(stripe_pledge) == "captured"


def test_the_return_page_asks_stripe_and_captures_once_with_the_webhook(
    client, stripe_pledge, stripe_api, django_capture_on_commit_callbacks
):
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_paid")

    with django_capture_on_commit_callbacks(execute=True):
        get_provider("stripe").confirm_return(stripe_pledge, {"session_id": STRIPE_SESSION_ID})
        response = webhook(client, "event_checkout_session_completed")

    assert status_of(stripe_pledge) == "captured"
    assert response.json() == {"outcome": "captured", "detail": "already captured"}
    assert capture_groups() == 1


def test_query_status_of_an_open_session_is_pending(stripe_pledge, stripe_api):
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_created")
    assert get_provider("stripe").query_status(stripe_pledge) == ("pending", None, None)
    assert get_provider("stripe").reconcile(stripe_pledge) == "pending"
    assert status_of(stripe_pledge) == "pending"


def test_refund_through_stripe(client, stripe_pledge, stripe_api, django_capture_on_commit_callbacks):
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_paid")
    stripe_api.answer("POST", "/v1/refunds", "refund_succeeded")
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, "event_checkout_session_completed")
    stripe_pledge.refresh_from_db()

    provider = get_provider("stripe")
    with django_capture_on_commit_callbacks(execute=True):
        refund_id = provider.refund(stripe_pledge, Decimal("10"))
        donation_refund(donation=stripe_pledge, amount="10", reason="Donor asked", provider_refund_id=refund_id)

    call = stripe_api.calls[-1]
    assert (call.method, call.path) == ("POST", "/v1/refunds")
    assert call.params["payment_intent"] == [PAYMENT_INTENT]
    assert call.params["amount"] == ["1000"]
    assert call.headers["Idempotency-Key"] == f"{STRIPE_REFERENCE}-refund-0.000-10"
    refund = Refund.objects.get()
    assert (refund.provider_refund_id, refund.amount) == ("re_3SbK8LJq2mXyZa1b0kD2Yv8P", Decimal("10"))
    stripe_pledge.refresh_from_db()
    assert (stripe_pledge.status, stripe_pledge.refunded_amount) == ("captured", Decimal("10"))


def test_a_refund_stripe_refuses_books_nothing(client, stripe_pledge, stripe_api, django_capture_on_commit_callbacks):
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_paid")
    stripe_api.answer("POST", "/v1/refunds", "error_charge_already_refunded", status=400)
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, "event_checkout_session_completed")
    stripe_pledge.refresh_from_db()

    with pytest.raises(ApplicationError) as caught, translation.override("en"):  # the webhook request left "ar"
        get_provider("stripe").refund(stripe_pledge, Decimal("25"))

    assert caught.value.code == "refund_refused"
    assert str(caught.value.message) == (
        "Stripe refused the refund: Charge ch_3SbK8LJq2mXyZa1b0xC4Rt2L has already been refunded."
    )
    assert Refund.objects.count() == 0
