"""Processor fees reach the ledger: the test processor's price list and Stripe's balance transaction, booked with
the capture as the group "donation.processor_fee" (Dr psp:<provider>:fees / Cr psp:<provider>:clearing), once,
whichever of the callback, the return page or the reconciler confirms the payment first."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import stripe
from django.conf import settings
from django.db.models import Sum

from jusoor.common.models import AuditEvent
from jusoor.donations.links import donation_url
from jusoor.donations.models import DONATION_CURRENCIES, Donation
from jusoor.donations.providers import get_provider
from jusoor.donations.tests import builders
from jusoor.finance.models import EntryGroup, LedgerEntry
from jusoor.finance.selectors import ledger_problems
from jusoor.payments import models
from jusoor.payments.providers.stripe import FEE_EXPANSION, StripeCheckoutProvider, session_fee
from jusoor.payments.services import events, testpay
from jusoor.payments.services.reconcile import payments_reconcile_pending
from jusoor.payments.tests.conftest import (
    STRIPE_REFERENCE,
    STRIPE_SESSION_ID,
    callback_body,
    make_pledge,
    post_callback,
    recording,
    stripe_event_body,
    stripe_signature,
)

pytestmark = pytest.mark.django_db

D = Decimal
SESSION_PATH = f"/v1/checkout/sessions/{STRIPE_SESSION_ID}"


def balance(key: str, currency: str) -> Decimal:
    total = LedgerEntry.objects.filter(account__key=key, currency=currency).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else D("0")


def fee_groups() -> list[EntryGroup]:
    return list(EntryGroup.objects.filter(kind="donation.processor_fee").order_by("pk"))


def entries_of(group: EntryGroup) -> list[tuple[str, str, Decimal]]:
    return sorted((e.account.key, e.currency, e.amount) for e in group.entries.select_related("account"))


def assert_fee_booked(donation: Donation, provider: str, fee: str, amount: str) -> None:
    """Exactly one fee group for the donation, of exactly `fee`; the clearing account holds the amount less it."""
    [group] = fee_groups()
    assert (group.idempotency_key, group.memo) == (f"donation:{donation.pk}:processor_fee", donation.reference)
    assert entries_of(group) == [
        (f"psp:{provider}:clearing", donation.currency, -D(fee)),
        (f"psp:{provider}:fees", donation.currency, D(fee)),
    ]
    assert balance(f"psp:{provider}:clearing", donation.currency) == D(amount) - D(fee)
    assert balance(f"psp:{provider}:fees", donation.currency) == D(fee)
    assert EntryGroup.objects.filter(kind="donation.captured").count() == 1
    assert ledger_problems() == []


# --- The test processor's price list ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "fee"),
    [
        ("50", "EUR", "0.95"),  # 0.70 + 0.25
        ("25", "EUR", "0.60"),  # 0.35 + 0.25
        ("10", "USD", "0.39"),  # 0.14 + 0.25
        ("33.33", "CAD", "0.72"),  # 0.46662 + 0.25 = 0.71662
        ("100", "TND", "1.800"),  # 1.500 + 0.300
        ("33.333", "TND", "0.800"),  # 0.499995 + 0.300, rounded half up to millimes
        ("200", "MAD", "5.50"),  # 3.00 + 2.50
        ("2", "MAD", "2.00"),  # 2.53, but never more than the payment
    ],
)
def test_the_test_processors_fee_schedule(amount, currency, fee):
    assert testpay.testpay_fee(D(amount), currency) == D(fee)
    assert str(testpay.testpay_fee(D(amount), currency)) == fee  # the currency's precision, as in the callback


def test_the_fee_schedule_covers_every_donation_currency():
    assert set(testpay.TESTPAY_FEES) == set(DONATION_CURRENCIES)


# --- testpay: callback, replay, return page, reconciler ---------------------------------------------------------


def start(donation: Donation) -> str:
    """Open the payment on the test processor like the donate page does; returns the hosted page's path."""
    url = donation_url(donation.reference, "fr")
    step = get_provider("testpay").initiate(donation, return_url=url + "?return=1", cancel_url=url)
    donation.refresh_from_db()
    return step.redirect_url.removeprefix(settings.JUSOOR_SITE_URL.rstrip("/"))


def test_a_50_eur_testpay_payment_books_its_fee_with_the_capture(client, campaign, django_capture_on_commit_callbacks):
    donation = make_pledge(campaign, "50", "EUR")
    path = start(donation)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"card_number": "4242 4242 4242 4242"})

    donation.refresh_from_db()
    assert donation.status == "captured"
    event = models.ProviderEvent.objects.get()
    assert json.loads(event.payload)["data"]["fee"] == "0.95"
    assert (event.outcome, event.detail) == ("captured", "")
    assert_fee_booked(donation, "testpay", "0.95", "50.00")
    assert balance("psp:testpay:clearing", "EUR") == D("49.05")
    assert balance("psp:testpay:fees", "EUR") == D("0.95")
    # The campaign is owed the whole donation: the fee is the platform's expense.
    assert balance(f"campaign:{campaign.pk}:funds", "EUR") == D("-50.00")


def test_a_replayed_callback_books_no_second_fee(campaign, django_capture_on_commit_callbacks):
    donation = make_pledge(campaign, "50", "EUR")
    start(donation)
    session = models.TestPaySession.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        testpay.testpay_pay(token=session.token, card_number="4242424242424242")

    with django_capture_on_commit_callbacks(execute=True):
        again = testpay.testpay_deliver(token=session.token)

    assert (again.status, again.outcome) == (200, "duplicate")
    assert_fee_booked(donation, "testpay", "0.95", "50.00")


def test_another_success_event_for_a_captured_payment_books_no_second_fee(
    client, campaign, django_capture_on_commit_callbacks
):
    donation = make_pledge(campaign, "50", "EUR")
    start(donation)
    first = json.loads(callback_body(donation))
    first["data"]["fee"] = "0.95"
    second = dict(first, id="evt_another_delivery_id")

    with django_capture_on_commit_callbacks(execute=True):
        post_callback(client, json.dumps(first).encode())
        response = post_callback(client, json.dumps(second).encode())

    assert response.json() == {"outcome": "captured", "detail": "already captured"}
    assert models.ProviderEvent.objects.count() == 2
    assert_fee_booked(donation, "testpay", "0.95", "50.00")


def test_the_return_page_first_books_the_fee_from_the_status_api(campaign, django_capture_on_commit_callbacks):
    donation = make_pledge(campaign, "50", "EUR")
    start(donation)
    session = models.TestPaySession.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as queued:  # the callback is not delivered yet
        testpay.testpay_pay(token=session.token, card_number="4242424242424242")

    assert testpay.testpay_session_status(token=session.token) == testpay.TestPayStatus(
        "succeeded", D("50.00"), "EUR", D("0.95")
    )
    with django_capture_on_commit_callbacks(execute=True):
        get_provider("testpay").confirm_return(donation, {"return": "1"})
        queued[0]()  # the callback arrives afterwards

    assert AuditEvent.objects.get(action="donations.donation.captured").changes["source"] == "query"
    assert models.ProviderEvent.objects.get().detail == "already captured"
    assert_fee_booked(donation, "testpay", "0.95", "50.00")


def test_the_reconciler_books_the_fee_of_a_payment_whose_callback_was_lost(
    campaign, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    donation = make_pledge(campaign, "50", "EUR")
    start(donation)
    with django_capture_on_commit_callbacks(execute=False):  # the callback is lost
        testpay.testpay_pay(token=donation.provider_payment_id, card_number="4242424242424242")
    Donation.objects.filter(pk=donation.pk).update(created_at=timezone.now() - timedelta(minutes=16))

    with django_capture_on_commit_callbacks(execute=True):
        assert payments_reconcile_pending() == {"succeeded": 1}

    assert_fee_booked(donation, "testpay", "0.95", "50.00")


def test_a_tnd_payment_books_its_fee_in_millimes(client, tnd_campaign, django_capture_on_commit_callbacks):
    donation = make_pledge(tnd_campaign, "100", "TND")
    path = start(donation)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"card_number": "4242424242424242"})
    assert_fee_booked(donation, "testpay", "1.800", "100.000")


def test_a_declined_card_books_no_fee(client, campaign, django_capture_on_commit_callbacks):
    donation = make_pledge(campaign, "50", "EUR")
    path = start(donation)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"card_number": "4000000000000002"})
    assert "fee" not in json.loads(models.ProviderEvent.objects.get().payload)["data"]
    assert testpay.testpay_session_status(token=donation.provider_payment_id).fee is None
    assert EntryGroup.objects.count() == 0


def test_a_signed_callback_with_an_impossible_fee_captures_but_books_no_fee(
    client, campaign, django_capture_on_commit_callbacks
):
    donation = make_pledge(campaign, "50", "EUR")
    start(donation)
    body = json.loads(callback_body(donation))
    body["data"]["fee"] = "-0.95"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_callback(client, json.dumps(body).encode())

    detail = "processor fee -0.95 EUR not booked: not a possible fee of 50.000 EUR"
    assert response.json() == {"outcome": "captured", "detail": detail}
    assert fee_groups() == []
    assert balance("psp:testpay:clearing", "EUR") == D("50.00")
    audit = AuditEvent.objects.get(action="payments.processor_fee.not_booked")
    assert audit.changes == {
        "fee": "-0.95",
        "fee_currency": "EUR",
        "donation_currency": "EUR",
        "reason": detail,
        "source": "callback",
        "event": body["id"],
    }


@pytest.mark.parametrize("fee", ["a lot", "NaN", ["0.95"]])
def test_a_signed_callback_with_an_unreadable_fee_is_refused(client, campaign, fee):
    donation = make_pledge(campaign, "50", "EUR")
    start(donation)
    body = json.loads(callback_body(donation))
    body["data"]["fee"] = fee
    response = post_callback(client, json.dumps(body).encode())
    assert (response.status_code, response.json()["code"]) == (400, "invalid_payload")
    assert models.ProviderEvent.objects.count() == 0


# --- Stripe: the fee of the balance transaction -----------------------------------------------------------------


def webhook(client, name: str = "event_checkout_session_completed"):
    body = stripe_event_body(name)
    return post_callback(client, body, provider="stripe", signature=stripe_signature(body))


def test_the_recorded_paid_session_holds_a_realistic_fee():
    """25.00 EUR paid by a French (EEA) card, settled in EUR: Stripe keeps 60 cents (1.4 % + 0.25 EUR)."""
    transaction = recording("checkout_session_paid")["payment_intent"]["latest_charge"]["balance_transaction"]
    assert (transaction["amount"], transaction["currency"], transaction["fee"], transaction["net"]) == (
        2500,
        "eur",
        60,
        2440,
    )
    assert transaction["fee_details"] == [
        {
            "amount": 60,
            "application": None,
            "currency": "eur",
            "description": "Stripe processing fees",
            "type": "stripe_fee",
        }
    ]


def test_a_stripe_payment_books_the_fee_of_its_balance_transaction(
    client, stripe_pledge, stripe_api, django_capture_on_commit_callbacks
):
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_paid")

    with django_capture_on_commit_callbacks(execute=True):
        response = webhook(client)

    assert response.json() == {"outcome": "captured", "detail": ""}
    [call] = stripe_api.calls
    assert (call.method, call.path, call.params) == ("GET", SESSION_PATH, {"expand[0]": [FEE_EXPANSION]})
    stripe_pledge.refresh_from_db()
    assert_fee_booked(stripe_pledge, "stripe", "0.60", "25.00")
    assert balance("psp:stripe:clearing", "EUR") == D("24.40")
    assert balance("psp:stripe:fees", "EUR") == D("0.60")


def test_stripe_return_page_then_webhook_books_the_fee_once(
    client, stripe_pledge, stripe_api, django_capture_on_commit_callbacks
):
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_paid")

    with django_capture_on_commit_callbacks(execute=True):
        get_provider("stripe").confirm_return(stripe_pledge, {"session_id": STRIPE_SESSION_ID})
        response = webhook(client)
        again = webhook(client)

    assert response.json() == {"outcome": "captured", "detail": "already captured"}
    assert again.json() == {"outcome": "duplicate", "detail": "captured"}
    stripe_pledge.refresh_from_db()
    assert_fee_booked(stripe_pledge, "stripe", "0.60", "25.00")


def test_a_stripe_fee_in_another_currency_is_recorded_not_booked(
    client, campaign, stripe_api, django_capture_on_commit_callbacks
):
    """A 25.00 USD payment to Jusoor's EUR Stripe account is settled in EUR, and its fee (0.95 EUR) is in EUR: it
    does not come out of the USD clearing account, so it is written in the event and the audit trail only."""
    builders.rate("USD", "EUR", "0.86000000")
    donation = make_pledge(campaign, "25", "USD", provider="stripe")  # to the EUR campaign
    Donation.objects.filter(pk=donation.pk).update(reference=STRIPE_REFERENCE, provider_payment_id=STRIPE_SESSION_ID)
    stripe_api.answer("GET", SESSION_PATH, "checkout_session_paid_usd_settled_in_eur")

    with django_capture_on_commit_callbacks(execute=True):
        response = webhook(client)

    detail = "processor fee 0.95 EUR not booked: charged in another currency than the donation's (USD)"
    assert response.json() == {"outcome": "captured", "detail": detail}
    donation.refresh_from_db()
    assert donation.status == "captured"
    assert models.ProviderEvent.objects.get().detail == detail
    assert fee_groups() == []
    assert balance("psp:stripe:clearing", "USD") == D("25.00")
    assert not LedgerEntry.objects.filter(account__key="psp:stripe:fees").exists()
    audit = AuditEvent.objects.get(action="payments.processor_fee.not_booked")
    assert (audit.target_type, audit.target_id) == ("donations.donation", str(donation.pk))
    assert audit.changes == {
        "fee": "0.95",
        "fee_currency": "EUR",
        "donation_currency": "USD",
        "reason": detail,
        "source": "callback",
        "event": "evt_1SbKA2Jq2mXyZa1bVn4sHk0T",
    }
    assert ledger_problems() == []


def test_a_paid_session_without_its_balance_transaction_reports_no_fee():
    """Read without the expansion (or before Stripe settled it), the payment intent is only an id: the fee is
    unknown, nothing is booked for it, and the reason is recorded."""
    data = recording("checkout_session_paid")
    data["payment_intent"] = data["payment_intent"]["id"]
    session = stripe.checkout.Session.construct_from(data, "sk_test_x")

    assert session_fee(session) == (None, "")
    report = StripeCheckoutProvider.session_report(session)
    assert (report.outcome, report.amount, report.fee) == ("succeeded", D("25.00"), None)
    assert session_fee(stripe.checkout.Session.construct_from(recording("checkout_session_paid"), "sk")) == (
        D("0.60"),
        "EUR",
    )


def test_an_unreported_fee_is_recorded_with_the_capture(campaign, django_capture_on_commit_callbacks):
    donation = make_pledge(campaign, "25", "EUR")
    report = events.PaymentReport(
        outcome="succeeded", reference=donation.reference, amount=D("25"), currency="EUR", fee=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        captured, newly, note = events.payment_capture(
            provider="testpay", donation=donation, report=report, source="query"
        )
    assert (captured.status, newly, note) == ("captured", True, "processor fee not reported: none booked")
    assert fee_groups() == []
    audit = AuditEvent.objects.get(action="payments.processor_fee.not_booked")
    assert (audit.changes["fee"], audit.changes["source"], audit.changes["event"]) == (None, "query", None)
