"""The callback endpoint and what a callback may and may not do: replays, out-of-order events, forged or tampered
signatures, amounts that differ from the pledge, and the race between the return page and the callback."""

from __future__ import annotations

import json
import time

import pytest

from jusoor.common.models import AuditEvent
from jusoor.donations.links import donation_path, donation_url
from jusoor.donations.models import Donation, Receipt
from jusoor.donations.providers import get_provider
from jusoor.finance.models import EntryGroup
from jusoor.payments import models
from jusoor.payments.services import testpay
from jusoor.payments.signing import signature_header
from jusoor.payments.tests.conftest import callback_body, post_callback

pytestmark = pytest.mark.django_db

CALLBACK_URL = "/payments/testpay/callback/"


@pytest.fixture
def started(pledge) -> Donation:
    """A 25 EUR pledge whose payment was opened on the test processor."""
    url = donation_url(pledge.reference, "fr")
    get_provider("testpay").initiate(pledge, return_url=url + "?return=1", cancel_url=url)
    pledge.refresh_from_db()
    return pledge


def captures() -> tuple[int, int, int]:
    """(capture ledger groups, receipts, capture audit rows): one capture is (1, 1, 1)."""
    return (
        EntryGroup.objects.filter(kind="donation.captured").count(),
        Receipt.objects.count(),
        AuditEvent.objects.filter(action="donations.donation.captured").count(),
    )


def status_of(donation: Donation) -> str:
    donation.refresh_from_db()
    return donation.status


# --- Replays and order ------------------------------------------------------------------------------------------


def test_the_same_callback_twice_captures_once(client, started, django_capture_on_commit_callbacks):
    body = callback_body(started)

    with django_capture_on_commit_callbacks(execute=True):
        first = post_callback(client, body)
        second = post_callback(client, body)

    assert (first.status_code, first.json()) == (200, {"outcome": "captured", "detail": ""})
    assert (second.status_code, second.json()) == (200, {"outcome": "duplicate", "detail": "captured"})
    assert status_of(started) == "captured"
    assert captures() == (1, 1, 1)
    assert models.ProviderEvent.objects.count() == 1


def test_failure_then_success_captures(client, started, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        failed = post_callback(client, callback_body(started, event_type="payment.failed"))
        assert status_of(started) == "failed"
        succeeded = post_callback(client, callback_body(started))

    assert failed.json() == {"outcome": "failed", "detail": "card declined"}
    assert succeeded.json() == {"outcome": "captured", "detail": ""}
    assert status_of(started) == "captured"
    assert captures() == (1, 1, 1)


def test_success_then_failure_stays_captured(client, started, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_callback(client, callback_body(started))
        late_failure = post_callback(client, callback_body(started, event_type="payment.failed"))

    assert (late_failure.status_code, late_failure.json()) == (
        200,
        {"outcome": "ignored", "detail": "failure after the payment was captured: nothing changed"},
    )
    assert status_of(started) == "captured"
    assert captures() == (1, 1, 1)
    assert list(models.ProviderEvent.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "captured",
        "ignored",
    ]


# --- Signatures -------------------------------------------------------------------------------------------------


def assert_forged(response, started, reason):
    assert (response.status_code, response.json()) == (
        400,
        {"code": "invalid_signature", "message": "The signature of this callback is not valid."},
    )
    assert status_of(started) == "pending"
    assert captures() == (0, 0, 0)
    assert models.ProviderEvent.objects.count() == 0
    audit = AuditEvent.objects.get(action="payments.callback.forged")
    assert audit.target_type == "payments.providerevent"
    assert audit.changes["reason"] == reason
    assert audit.changes["provider"] == "testpay"


def test_a_forged_signature_is_refused_and_audited(client, started):
    body = callback_body(started, event_id="evt_forged")
    response = post_callback(client, body, secret="whsec_guessed")
    assert_forged(response, started, "signature does not match")
    assert AuditEvent.objects.get(action="payments.callback.forged").changes["claimed_event_id"] == "evt_forged"


def test_a_tampered_amount_breaks_the_signature(client, started):
    """The signature covers the raw body: changing the amount after signing makes the callback a forgery."""
    signed = callback_body(started, amount="1.00")
    header = signature_header(signed, "whsec_testpay_test_suite")
    tampered = signed.replace(b'"amount":"1.00"', b'"amount":"25.00"')
    assert tampered != signed
    response = post_callback(client, tampered, signature=header)
    assert_forged(response, started, "signature does not match")


def test_an_old_signature_is_refused(client, started):
    body = callback_body(started)
    header = signature_header(body, "whsec_testpay_test_suite", timestamp=int(time.time()) - 301)
    assert_forged(post_callback(client, body, signature=header), started, "timestamp outside the tolerance")


def test_a_callback_without_signature_is_refused(client, started):
    body = callback_body(started)
    response = client.post(CALLBACK_URL, data=body, content_type="application/json")
    assert_forged(response, started, "no signature header")


def test_a_signed_body_that_is_not_an_event_is_refused_and_not_stored(client, started):
    response = post_callback(client, b'{"hello": "world"}')
    assert (response.status_code, response.json()) == (
        400,
        {"code": "invalid_payload", "message": "This callback could not be read."},
    )
    assert models.ProviderEvent.objects.count() == 0


# --- Amounts checked against the pledge ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "reported"),
    [("20.00", "EUR", "20.00 EUR"), ("25.00", "USD", "25.00 USD")],
)
def test_a_signed_callback_with_another_amount_is_rejected(client, started, amount, currency, reported):
    response = post_callback(client, callback_body(started, amount=amount, currency=currency))

    message = f"The amount paid ({reported}) differs from the pledge (25.000 EUR)."
    assert (response.status_code, response.json()) == (200, {"outcome": "rejected", "detail": message})
    assert status_of(started) == "pending"
    assert captures() == (0, 0, 0)
    event = models.ProviderEvent.objects.get()
    assert (event.outcome, event.donation_id, event.detail) == ("rejected", started.pk, message)
    audit = AuditEvent.objects.get(action="payments.event.rejected")
    assert (audit.target_type, audit.target_id) == ("payments.providerevent", str(event.pk))
    assert audit.changes == {
        "donation": started.reference,
        "pledged": "25.000 EUR",
        "reported": reported,
        "reason": message,
    }


def test_a_callback_for_an_unknown_reference_is_stored_and_ignored(client, started):
    body = json.loads(callback_body(started))
    body["data"]["merchant_reference"] = "JSR-00000-00000"
    response = post_callback(client, json.dumps(body).encode())
    assert response.json() == {"outcome": "ignored", "detail": "no pledge with reference 'JSR-00000-00000'"}
    assert status_of(started) == "pending"


def test_a_testpay_success_never_captures_a_pledge_of_another_method(client, campaign):
    from jusoor.payments.tests.conftest import make_pledge

    bank = make_pledge(campaign, provider="bank_transfer")
    response = post_callback(client, callback_body(bank))
    assert response.json() == {"outcome": "rejected", "detail": "This payment belongs to another payment method."}
    assert status_of(bank) == "pending"


# --- The endpoint -----------------------------------------------------------------------------------------------


def test_unknown_providers_and_providers_without_callbacks_answer_404(client):
    for provider in ("paypal", "bank_transfer"):
        response = client.post(f"/payments/{provider}/callback/", data=b"{}", content_type="application/json")
        assert (response.status_code, response.json()["code"]) == (404, "unknown_provider")


def test_only_post_is_accepted(client):
    response = client.get(CALLBACK_URL)
    assert (response.status_code, response["Allow"], response.json()["code"]) == (405, "POST", "method_not_allowed")


def test_the_callback_needs_no_csrf_token(started, django_capture_on_commit_callbacks):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        response = post_callback(Client(enforce_csrf_checks=True), callback_body(started))
    assert response.status_code == 200


def test_callbacks_are_rate_limited_per_ip(client, started, settings):
    settings.PAYMENTS_CALLBACK_RATE_LIMIT = 2
    body = callback_body(started, event_type="payment.failed")
    codes = [post_callback(client, body).status_code for _i in range(3)]
    assert codes == [200, 200, 429]
    assert post_callback(client, body).json()["code"] == "rate_limited"
    other_ip = client.post(
        CALLBACK_URL,
        data=body,
        content_type="application/json",
        HTTP_TESTPAY_SIGNATURE=signature_header(body, "whsec_testpay_test_suite"),
        REMOTE_ADDR="192.0.2.7",
    )
    assert other_ip.status_code == 200


# --- The return page racing the callback ------------------------------------------------------------------------


def paid_on_the_processor(donation: Donation, django_capture_on_commit_callbacks) -> list:
    """The donor paid on the hosted page; the processor's callback is queued but not delivered yet."""
    session = models.TestPaySession.objects.get(token=donation.provider_payment_id)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        testpay.testpay_pay(token=session.token, card_number="4242424242424242")
    assert len(queued) == 1
    return queued


def test_return_page_first_then_callback_captures_once(client, started, django_capture_on_commit_callbacks):
    queued = paid_on_the_processor(started, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        get_provider("testpay").confirm_return(started, {"return": "1"})
    assert status_of(started) == "captured"
    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()  # the callback arrives afterwards

    assert captures() == (1, 1, 1)
    event = models.ProviderEvent.objects.get()
    assert (event.outcome, event.detail) == ("captured", "already captured")
    audit = AuditEvent.objects.get(action="donations.donation.captured")
    assert audit.changes["source"] == "query"


def test_callback_first_then_return_page_captures_once(client, started, django_capture_on_commit_callbacks):
    queued = paid_on_the_processor(started, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()
        get_provider("testpay").confirm_return(started, {"return": "1"})

    assert status_of(started) == "captured"
    assert captures() == (1, 1, 1)
    assert AuditEvent.objects.get(action="donations.donation.captured").changes["source"] == "callback"


def test_the_status_page_confirms_the_return(client, started, django_capture_on_commit_callbacks):
    """Through the donations status page (`donations:status`), which calls `confirm_return`."""
    queued = paid_on_the_processor(started, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(donation_path(started.reference, "fr") + "?return=1")
        queued[0]()

    assert response.status_code == 200
    assert status_of(started) == "captured"
    assert captures() == (1, 1, 1)
