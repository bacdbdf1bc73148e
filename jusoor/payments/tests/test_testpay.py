"""The offline test processor end to end: hosted page → card → signed callback through the task → capture."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from jusoor.common.money import format_money
from jusoor.donations.links import donation_url
from jusoor.donations.models import Donation
from jusoor.donations.providers import available_providers, get_provider
from jusoor.finance.models import EntryGroup
from jusoor.payments import models
from jusoor.payments.services import testpay

pytestmark = pytest.mark.django_db


def start(donation: Donation) -> tuple[str, str]:
    """Initiate the payment like the donate page does; returns (hosted page path, return URL)."""
    return_url = donation_url(donation.reference, "fr") + "?return=1"
    step = get_provider("testpay").initiate(
        donation, return_url=return_url, cancel_url=donation_url(donation.reference, "fr")
    )
    return step.redirect_url.removeprefix(settings.JUSOOR_SITE_URL.rstrip("/")), return_url


def test_providers_are_registered_when_the_app_is_ready():
    assert [p.identifier for p in available_providers()] == ["testpay", "bank_transfer"]  # Stripe needs its key
    assert [p.identifier for p in available_providers("USD")] == ["testpay"]
    assert get_provider("bank_transfer").pledge_lifetime.days == 14


def test_initiate_opens_a_session_on_the_processor_and_moves_no_money(pledge):
    path, return_url = start(pledge)

    session = models.TestPaySession.objects.get()
    pledge.refresh_from_db()
    assert path == f"/fr/payments/testpay/{session.token}/"
    assert (session.merchant_reference, session.amount, session.currency) == (pledge.reference, Decimal("25"), "EUR")
    assert session.return_url == return_url
    assert session.callback_url == "http://127.0.0.1:8000/payments/testpay/callback/"
    assert (pledge.provider_payment_id, pledge.status) == (session.token, "pending")
    assert EntryGroup.objects.count() == 0


def test_initiate_twice_reuses_the_open_session(pledge):
    first, _return = start(pledge)
    pledge.refresh_from_db()
    second, _return = start(pledge)
    assert first == second
    assert models.TestPaySession.objects.count() == 1


def test_hosted_page_shows_the_amount_and_the_test_cards(client, pledge):
    path, _return = start(pledge)
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert format_money(Decimal("25"), "EUR", "fr") in page
    assert pledge.reference in page
    assert "4242 4242 4242 4242" in page
    assert "4000 0000 0000 0002" in page
    assert "4000 0000 0000 0077" in page


def test_the_succeeding_card_captures_through_the_signed_callback(client, pledge, django_capture_on_commit_callbacks):
    path, return_url = start(pledge)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"card_number": "4242 4242 4242 4242"})

    assert (response.status_code, response["Location"]) == (302, return_url)
    pledge.refresh_from_db()
    event = models.ProviderEvent.objects.get()
    assert pledge.status == "captured"
    assert (event.provider, event.event_type, event.outcome, event.donation_id) == (
        "testpay",
        "payment.succeeded",
        "captured",
        pledge.pk,
    )
    assert EntryGroup.objects.filter(kind="donation.captured").count() == 1


def test_the_declined_card_fails_the_pledge(client, pledge, django_capture_on_commit_callbacks):
    path, return_url = start(pledge)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"card_number": "4000000000000002"})

    assert response["Location"] == return_url
    pledge.refresh_from_db()
    assert pledge.status == "failed"
    assert models.ProviderEvent.objects.get().outcome == "failed"
    assert models.TestPaySession.objects.get().status == "failed"
    assert EntryGroup.objects.count() == 0


def test_the_delayed_card_is_pending_first_then_captured(client, pledge, django_capture_on_commit_callbacks):
    path, return_url = start(pledge)

    with django_capture_on_commit_callbacks(execute=False) as scheduled:
        response = client.post(path, {"card_number": "4000 0000 0000 0077"})

    assert response["Location"] == return_url
    assert models.TestPaySession.objects.get().status == "processing"
    get_provider("testpay").confirm_return(pledge, {"return": "1"})  # the donor is back before the bank answers
    pledge.refresh_from_db()
    assert pledge.status == "pending"
    assert models.ProviderEvent.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        for callback in scheduled:  # the settle task, scheduled a few seconds later
            callback()

    pledge.refresh_from_db()
    assert pledge.status == "captured"
    assert models.ProviderEvent.objects.get().outcome == "captured"


def test_a_card_that_is_not_a_test_card_is_refused_on_the_page(client, pledge):
    path, _return = start(pledge)
    response = client.post(path, {"card_number": "5555 5555 5555 4444"})
    assert response.status_code == 400
    with translation.override("fr"):
        expected = gettext("This is not one of the test card numbers shown on this page.")
    assert expected != "This is not one of the test card numbers shown on this page."
    assert escape(expected) in response.content.decode()
    assert models.TestPaySession.objects.get().status == "open"


def test_a_second_submission_changes_nothing(client, pledge, django_capture_on_commit_callbacks):
    path, return_url = start(pledge)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"card_number": "4242424242424242"})
    with django_capture_on_commit_callbacks(execute=True) as again:
        response = client.post(path, {"card_number": "4000000000000002"})
    assert (response.status_code, response["Location"], again) == (302, return_url, [])
    pledge.refresh_from_db()
    assert pledge.status == "captured"


def test_the_processor_delivers_the_same_event_again_as_a_duplicate(pledge, django_capture_on_commit_callbacks):
    start(pledge)
    session = models.TestPaySession.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        testpay.testpay_pay(token=session.token, card_number="4242424242424242")
    with django_capture_on_commit_callbacks(execute=True):
        again = testpay.testpay_deliver(token=session.token)
    assert (again.status, again.outcome) == (200, "duplicate")
    assert models.ProviderEvent.objects.count() == 1
    assert EntryGroup.objects.filter(kind="donation.captured").count() == 1


def test_callbacks_are_also_posted_over_http_when_asked(
    pledge, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TESTPAY_DELIVER_HTTP = True
    posted = []
    monkeypatch.setattr(testpay, "_post", lambda url, body, headers: posted.append((url, body, headers)))
    start(pledge)
    session = models.TestPaySession.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        testpay.testpay_pay(token=session.token, card_number="4242424242424242")
    assert [url for url, _body, _headers in posted] == ["http://127.0.0.1:8000/payments/testpay/callback/"]
    assert json.loads(posted[0][1])["type"] == "payment.succeeded"
    assert posted[0][2]["Testpay-Signature"].startswith("t=")


def test_the_test_processor_is_off_unless_enabled(client, pledge, settings):
    path, _return = start(pledge)
    settings.TESTPAY_ENABLED = False
    assert client.get(path).status_code == 404
    assert [p.identifier for p in available_providers()] == ["bank_transfer"]


def test_refunds_on_the_test_processor(client, pledge, django_capture_on_commit_callbacks):
    from jusoor.common.exceptions import ApplicationError

    path, _return = start(pledge)
    pledge.refresh_from_db()
    provider = get_provider("testpay")
    with pytest.raises(ApplicationError) as caught:
        provider.refund(pledge, Decimal("5"))  # not paid yet
    assert (caught.value.code, str(caught.value.message)) == (
        "refund_refused",
        "The test processor has no payment to refund.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"card_number": "4242424242424242"})
    pledge.refresh_from_db()
    assert provider.refund(pledge, Decimal("5")) == f"testpay_re_{pledge.reference}_5.000"
