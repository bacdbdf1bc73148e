"""The donations API: pledging (anonymous allowed, idempotent, rate-limited, translated errors) and the
organisation's list of its campaign's donations (permission matrix, donors hidden from the organisation).

Payment methods here are small test-only providers registered for each test ("apitest" sends the donor to a
hosted page, "apitransfer" gives bank-transfer instructions in TND only, "apioff" is switched off), so the tests
do not depend on how the payments app's providers open their sessions. One test uses the real bank transfer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jusoor.api.tests.test_campaigns_api import (
    api,
    assert_matches_schema,
    iso,
    make_person,
    make_world,
    translated,
)
from jusoor.campaigns.models import Campaign
from jusoor.common.money import format_money
from jusoor.donations import providers
from jusoor.donations.links import donation_url
from jusoor.donations.models import Donation
from jusoor.donations.providers import BasePaymentProvider, CallbackResult, PaymentStep, available_providers
from jusoor.donations.services.capture import donation_capture
from jusoor.donations.services.pledge import MAXIMUM_AMOUNT, MINIMUM_AMOUNT
from jusoor.donations.tests import builders
from jusoor.finance.models import LedgerEntry

pytestmark = pytest.mark.django_db

NOT_FOUND = {"code": "not_found", "message": "Not found.", "extra": {}}
NOT_AUTHENTICATED = {
    "code": "not_authenticated",
    "message": "Authentication credentials were not provided.",
    "extra": {},
}
PERMISSION_DENIED = {
    "code": "permission_denied",
    "message": "You do not have permission to perform this action.",
    "extra": {},
}
TWO_FACTOR_REQUIRED = {
    "code": "two_factor_required",
    "message": "Your role requires two-factor authentication. Set it up to continue.",
    "extra": {},
}
APITEST_SECRET = b"apitest-secret"


# --- Test-only payment providers ----------------------------------------------------------------------------------


class ApiTestProvider(BasePaymentProvider):
    """A hosted payment page; its callbacks are JSON signed with HMAC-SHA256 over the raw body."""

    identifier = "apitest"
    verbose_name = "API test card"
    currencies = frozenset({"TND", "MAD", "EUR"})
    pledge_lifetime = timedelta(hours=2)
    initiated: ClassVar[list[str]] = []

    def initiate(self, donation: Donation, *, return_url: str, cancel_url: str) -> PaymentStep:
        self.initiated.append(donation.reference)
        return PaymentStep(redirect_url=f"https://pay.example/checkout/{donation.reference}?back={return_url}")

    def handle_callback(self, *, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        expected = hmac.new(APITEST_SECRET, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, headers.get("Apitest-Signature", "")):
            return CallbackResult(status=400, outcome="invalid_signature", detail="The signature is not valid.")
        event = json.loads(body)
        donation = Donation.objects.get(reference=event["reference"])
        _donation, new = donation_capture(
            donation_id=donation.pk,
            provider=self.identifier,
            provider_payment_id=event["payment"],
            amount=Decimal(event["amount"]),
            currency=event["currency"],
        )
        return CallbackResult(status=200, outcome="captured" if new else "duplicate", detail=donation.reference)


class ApiTransferProvider(BasePaymentProvider):
    identifier = "apitransfer"
    verbose_name = "API test transfer"
    currencies = frozenset({"TND"})
    pledge_lifetime = timedelta(days=14)

    def initiate(self, donation: Donation, *, return_url: str, cancel_url: str) -> PaymentStep:
        return PaymentStep(instructions={"iban": "TN59 1000 6035 1835 9847 8831", "reference": donation.reference})

    def handle_callback(self, *, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        return CallbackResult(status=404, outcome="unknown_provider", detail="no callbacks")


class ApiOffProvider(ApiTestProvider):
    identifier = "apioff"

    def is_available(self) -> bool:
        return False


@pytest.fixture(autouse=True)
def payment_providers(monkeypatch):
    """The test providers, registered for one test and removed after it."""
    ApiTestProvider.initiated = []
    for provider_class in (ApiTestProvider, ApiTransferProvider, ApiOffProvider):
        monkeypatch.setitem(providers._REGISTRY, provider_class.identifier, provider_class())


def sign(body: bytes) -> str:
    return hmac.new(APITEST_SECRET, body, hashlib.sha256).hexdigest()


# --- Scenario -----------------------------------------------------------------------------------------------------


@pytest.fixture
def world(db) -> dict[str, Any]:
    world = make_world()
    world["campaign"] = builders.campaign(org=world["organization"], where=world["zarzis"])
    return world


def url(campaign: Campaign) -> str:
    return f"/api/v1/campaigns/{campaign.pk}/donations/"


def payload(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "amount": "30",
        "currency": "EUR",
        "provider": "apitest",
        "email": "leila@example.org",
        "name": "Leïla Ben Salem",
        "country_of_residence": "FR",
        "message": "Bon courage !",
        "dedication": "À la mémoire de Salah",
        "anonymous_public": False,
        "anonymous_to_organization": False,
    }
    values.update(overrides)
    return values


def donate(campaign: Campaign, body: dict[str, Any], *, user: Any = None, key: str | None = None, lang: str = "en"):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return api(user).post(url(campaign), body, format="json", **headers)


def invalid(fields: dict[str, list[str]]) -> dict[str, Any]:
    return {"code": "invalid", "message": "The request is not valid.", "extra": {"fields": fields}}


# --- Pledging -----------------------------------------------------------------------------------------------------


def test_anonymous_pledge_in_euros_to_a_dinar_campaign(world):
    campaign = world["campaign"]

    response = donate(campaign, payload())

    assert response.status_code == 201
    donation = Donation.objects.get()
    body = response.json()
    assert_matches_schema(body, "DonationCreatedOutput")
    status_url = donation_url(donation.reference, "en")
    assert body == {
        "reference": donation.reference,
        "status": "pending",
        "amount": "30.00",
        "currency": "EUR",
        "campaign_amount": "100.500",
        "campaign_currency": "TND",
        "rate": "3.35000000",
        "rate_day": timezone.localdate().isoformat(),
        "payment": {
            "redirect_url": f"https://pay.example/checkout/{donation.reference}?back={status_url}?return=1",
            "instructions": {},
        },
        "status_url": status_url,
    }
    assert status_url.startswith("http://127.0.0.1:8000/en/")
    assert donation.campaign == campaign
    assert donation.donor is None
    assert (donation.email, donation.name, donation.country_of_residence, donation.language) == (
        "leila@example.org",
        "Leïla Ben Salem",
        "FR",
        "en",
    )
    assert (donation.message, donation.dedication) == ("Bon courage !", "À la mémoire de Salah")
    assert (donation.amount, donation.currency, donation.campaign_amount) == (
        Decimal("30"),
        "EUR",
        Decimal("100.5"),
    )
    assert donation.provider == "apitest"
    assert donation.payment_url == body["payment"]["redirect_url"]
    assert donation.idempotency_key is None
    assert ApiTestProvider.initiated == [donation.reference]
    assert not LedgerEntry.objects.exists()  # nothing moves until the payment is confirmed


def test_a_logged_in_donor_is_recorded(world):
    user = make_person("user", world["organization"])
    response = donate(world["campaign"], payload(currency="TND", amount="12.500"), user=user)
    assert response.status_code == 201
    assert response.json()["amount"] == "12.500"
    assert response.json()["campaign_amount"] == "12.500"
    assert response.json()["rate"] == "1.00000000"
    assert Donation.objects.get().donor == user


def test_bank_transfer_gives_instructions(world):
    response = donate(world["campaign"], payload(currency="TND", amount="100", provider="apitransfer"))
    assert response.status_code == 201
    reference = Donation.objects.get().reference
    assert response.json()["payment"] == {
        "redirect_url": None,
        "instructions": {"iban": "TN59 1000 6035 1835 9847 8831", "reference": reference},
    }
    assert Donation.objects.get().payment_url == ""


def test_the_payments_app_bank_transfer(world):
    provider = providers.get_provider("bank_transfer")
    assert provider is not None, "the payments app registers bank_transfer"
    response = donate(world["campaign"], payload(currency="TND", amount="100", provider="bank_transfer"))
    assert response.status_code == 201
    donation = Donation.objects.get()
    assert response.json()["payment"] == {
        "redirect_url": None,
        "instructions": dict(provider.instructions_for(donation)),  # type: ignore[attr-defined]
    }
    assert response.json()["payment"]["instructions"]["reference"] == donation.reference
    assert abs(donation.expires_at - donation.created_at - provider.pledge_lifetime) < timedelta(minutes=1)


def test_anonymity_choices_are_kept(world):
    response = donate(world["campaign"], payload(anonymous_to_organization=True))
    assert response.status_code == 201
    donation = Donation.objects.get()
    assert (donation.anonymous_public, donation.anonymous_to_organization) == (True, True)


def test_the_response_follows_the_accept_language(world):
    response = donate(world["campaign"], payload(), lang="fr")
    donation = Donation.objects.get()
    assert donation.language == "fr"
    assert response.json()["status_url"] == donation_url(donation.reference, "fr")
    assert "/fr/" in response.json()["status_url"]


# --- Idempotency --------------------------------------------------------------------------------------------------


def test_the_same_key_and_body_return_the_same_donation(world):
    first = donate(world["campaign"], payload(), key="4f1c0a6e-retry-me")
    again = donate(world["campaign"], payload(), key="4f1c0a6e-retry-me")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    donation = Donation.objects.get()
    assert donation.idempotency_key == "api:4f1c0a6e-retry-me"
    assert ApiTestProvider.initiated == [donation.reference]  # the payment page opened once, then resumed


def test_the_same_key_with_another_body_is_a_409(world):
    donate(world["campaign"], payload(), key="k-1")
    response = donate(world["campaign"], payload(amount="31"), key="k-1")
    assert response.status_code == 409
    assert response.json() == {
        "code": "idempotency_key_reused",
        "message": "This idempotency key was already used for a different donation.",
        "extra": {},
    }
    assert Donation.objects.count() == 1


def test_a_replay_still_answers_after_the_payment_was_received(world):
    first = donate(world["campaign"], payload(), key="k-2").json()
    donation = Donation.objects.get()
    donation_capture(
        donation_id=donation.pk, provider="apitest", provider_payment_id="pay_1", amount=donation.amount, currency="EUR"
    )
    again = donate(world["campaign"], payload(), key="k-2")
    assert again.status_code == 200
    assert again.json() == {**first, "status": "captured", "payment": {"redirect_url": None, "instructions": {}}}


def test_different_keys_make_different_donations(world):
    donate(world["campaign"], payload(), key="k-a")
    donate(world["campaign"], payload(), key="k-b")
    assert Donation.objects.count() == 2


@pytest.mark.parametrize("key", ["with space", "x" * 101, "émoji"])
def test_a_malformed_key_is_a_400(world, key):
    response = api().post(
        url(world["campaign"]), payload(), format="json", HTTP_ACCEPT_LANGUAGE="en", HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 400
    assert response.json() == invalid(
        {"Idempotency-Key": ["Use 1 to 100 visible ASCII characters (letters, digits, punctuation) without spaces."]}
    )
    assert not Donation.objects.exists()


# --- Bad input ----------------------------------------------------------------------------------------------------


def _allowed(currency: str) -> str:
    return ", ".join(p.identifier for p in available_providers(currency))


@pytest.mark.parametrize(
    ("overrides", "code", "message", "fields"),
    [
        ({"amount": "0"}, "amount_invalid", "Enter an amount greater than zero.", "amount"),
        ({"amount": "-5"}, "amount_invalid", "Enter an amount greater than zero.", "amount"),
        ({"amount": "abc"}, "amount_invalid", "Enter an amount greater than zero.", "amount"),
        ({"amount": "NaN"}, "amount_invalid", "Enter an amount greater than zero.", "amount"),
        ({"amount": "10.001"}, "too_many_decimals", "EUR amounts have at most 2 decimals.", "amount"),
        (
            {"amount": "1.2345", "currency": "TND"},
            "too_many_decimals",
            "TND amounts have at most 3 decimals.",
            "amount",
        ),
        (
            {"currency": "GBP"},
            "unsupported_currency",
            "Donations in GBP are not accepted. Choose one of: TND, MAD, EUR, USD, CAD.",
            {"currency": ["This currency is not accepted."]},
        ),
        (
            {"provider": "apitransfer"},
            "provider_currency_not_supported",
            "This payment method does not take this currency.",
            "provider",
        ),
        (
            {"provider": "paypal"},
            "unknown_provider",
            "This payment method is not available. Choose one of: {allowed}.",
            "provider",
        ),
        (
            {"provider": "apioff"},
            "unknown_provider",
            "This payment method is not available. Choose one of: {allowed}.",
            "provider",
        ),
    ],
)
def test_bad_amounts_currencies_and_payment_methods(world, overrides, code, message, fields):
    message = message.replace("{allowed}", _allowed("EUR"))
    response = donate(world["campaign"], payload(**overrides))
    assert response.status_code == 400
    expected_fields = {fields: [message]} if isinstance(fields, str) else fields
    assert response.json() == {"code": code, "message": message, "extra": {"fields": expected_fields}}
    assert not Donation.objects.exists()


@pytest.mark.parametrize(("currency", "amount"), [("TND", "0.999"), ("MAD", "9.99"), ("EUR", "1000000.01")])
def test_amounts_outside_the_limits(world, currency, amount):
    response = donate(world["campaign"], payload(currency=currency, amount=amount))
    assert response.status_code == 400
    low = format_money(MINIMUM_AMOUNT[currency], currency, "en")
    high = format_money(MAXIMUM_AMOUNT, currency, "en")
    message = f"The amount must be between {low} and {high}."
    expected = {"code": "amount_too_small", "message": message, "extra": {"fields": {"amount": [message]}}}
    assert response.json() == expected
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (payload(email=""), {"email": ["This field may not be blank."]}),
        ({k: v for k, v in payload().items() if k != "email"}, {"email": ["This field is required."]}),
        (payload(email="not-an-address"), {"email": ["Enter a valid email address."]}),
        (payload(country_of_residence="XX"), {"country_of_residence": ['"XX" is not a valid choice.']}),
        (payload(tip="5"), {"tip": ["This field does not exist."]}),
        (payload(name="x" * 201), {"name": ["Ensure this field has no more than 200 characters."]}),
        (payload(anonymous_public="maybe"), {"anonymous_public": ["Must be a valid boolean."]}),
    ],
)
def test_malformed_bodies(world, body, fields):
    response = donate(world["campaign"], body)
    assert response.status_code == 400
    assert response.json() == invalid(fields)
    assert not Donation.objects.exists()


def test_a_json_body_is_required(world):
    response = api().post(url(world["campaign"]), "amount=30", content_type="text/plain", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_errors_are_translated(world, language):
    response = donate(world["campaign"], payload(amount="0"), lang=language)
    message = translated(language, "Enter an amount greater than zero.")
    assert response.json() == {"code": "amount_invalid", "message": message, "extra": {"fields": {"amount": [message]}}}

    response = donate(world["campaign"], payload(currency="GBP"), lang=language)
    assert response.json()["message"] == translated(
        language,
        "Donations in %(currency)s are not accepted. Choose one of: %(allowed)s.",
        currency="GBP",
        allowed="TND, MAD, EUR, USD, CAD",
    )

    response = donate(world["campaign"], payload(provider="apitransfer"), lang=language)
    assert response.json()["message"] == translated(language, "This payment method does not take this currency.")

    response = donate(world["campaign"], payload(provider="paypal"), lang=language)
    assert response.json()["message"] == translated(
        language, "This payment method is not available. Choose one of: %(allowed)s.", allowed=_allowed("EUR")
    )


# --- Which campaigns take donations -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["waiting_funds", "succeeded", "failed", "closed"])
def test_an_ended_campaign_is_not_live(world, status):
    campaign = builders.campaign(org=world["organization"], status=status)
    response = donate(campaign, payload())
    assert response.status_code == 400
    assert response.json() == {
        "code": "campaign_not_live",
        "message": "This campaign is not accepting donations.",
        "extra": {},
    }
    assert not Donation.objects.exists()


def test_a_live_campaign_past_its_deadline_is_not_live(world):
    Campaign.objects.filter(pk=world["campaign"].pk).update(
        starts_at=timezone.now() - timedelta(days=30), ends_at=timezone.now() - timedelta(minutes=1)
    )
    response = donate(world["campaign"], payload(), lang="fr")
    assert response.status_code == 400
    assert response.json()["code"] == "campaign_not_live"
    assert response.json()["message"] == translated("fr", "This campaign is not accepting donations.")


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_a_campaign_not_public_is_a_404(world, status):
    campaign = builders.campaign(org=world["organization"], status=status)
    response = donate(campaign, payload())
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert not Donation.objects.exists()


def test_a_member_of_a_draft_campaign_is_told_it_is_not_live(world):
    campaign = builders.campaign(org=world["organization"], status="draft")
    response = donate(campaign, payload(), user=make_person("member", world["organization"]))
    assert response.status_code == 400
    assert response.json()["code"] == "campaign_not_live"


def test_an_unknown_campaign_is_a_404(world):
    response = api().post("/api/v1/campaigns/999999/donations/", payload(), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- Rate limit ---------------------------------------------------------------------------------------------------


def test_ten_pledges_a_minute_then_429(world):
    for _i in range(10):
        assert donate(world["campaign"], payload(amount="0")).status_code == 400
    response = donate(world["campaign"], payload())
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json() == {
        "code": "rate_limited",
        "message": "Too many attempts. Please wait a minute and try again.",
        "extra": {},
    }
    assert not Donation.objects.exists()
    response = donate(world["campaign"], payload(), lang="fr")
    assert response.json()["message"] == translated("fr", "Too many attempts. Please wait a minute and try again.")


# --- The organisation's list --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("anonymous", 401, NOT_AUTHENTICATED),
        ("user", 403, PERMISSION_DENIED),
        ("member", 403, PERMISSION_DENIED),
        ("verifier", 403, PERMISSION_DENIED),
        ("finance_officer_without_2fa", 403, TWO_FACTOR_REQUIRED),
        ("admin", 200, None),
        ("owner", 200, None),
        ("finance_officer", 200, None),
        ("platform_admin", 200, None),
    ],
)
def test_who_may_list_the_donations(world, role, status, expected):
    builders.captured(world["campaign"], "50", "TND")
    response = api(make_person(role, world["organization"])).get(url(world["campaign"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    if expected is not None:
        assert response.json() == expected
    else:
        assert response.json()["count"] == 1
    if status == 401:
        assert response["WWW-Authenticate"] == 'Session realm="api"'


def test_admins_of_another_organisation_may_not_list(world):
    other = builders.organization("Autre association")
    response = api(make_person("admin", other)).get(url(world["campaign"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.json() == PERMISSION_DENIED


def test_the_list_of_a_hidden_campaign_is_a_404_for_outsiders(world):
    draft = builders.campaign(org=world["organization"], status="draft")
    assert api().get(url(draft)).status_code == 404
    user = make_person("user", world["organization"])
    assert api(user).get(url(draft), HTTP_ACCEPT_LANGUAGE="en").json() == NOT_FOUND
    assert api(make_person("admin", world["organization"])).get(url(draft)).status_code == 200


def test_the_list_hides_donors_who_hid_from_the_organisation(world):
    campaign = world["campaign"]
    visible = builders.captured(campaign, "50", "TND", email="amel@example.org", name="Amel", message="Courage")
    hidden = builders.pledge(
        campaign, "20", "EUR", email="secret@example.org", name="Secret", anonymous_to_organization=True
    )
    builders.captured(builders.campaign(org=world["organization"]), "70", "TND")  # another campaign
    Donation.objects.filter(pk=visible.pk).update(created_at=timezone.now() - timedelta(hours=1))
    visible.refresh_from_db()
    admin = make_person("admin", world["organization"])

    response = api(admin).get(url(campaign))

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "PaginatedDonationOrganizationOutputList")
    assert body["count"] == 2
    assert body["results"] == [
        {
            "reference": hidden.reference,
            "status": "pending",
            "amount": "20.00",
            "currency": "EUR",
            "campaign_amount": "67.000",
            "campaign_currency": "TND",
            "refunded_amount": "0.00",
            "provider": "testpay",
            "name": None,
            "email": None,
            "country_of_residence": "FR",
            "message": "",
            "dedication": "",
            "anonymous_public": True,
            "anonymous_to_organization": True,
            "created_at": iso(hidden.created_at),
            "captured_at": None,
        },
        {
            "reference": visible.reference,
            "status": "captured",
            "amount": "50.000",
            "currency": "TND",
            "campaign_amount": "50.000",
            "campaign_currency": "TND",
            "refunded_amount": "0.000",
            "provider": "testpay",
            "name": "Amel",
            "email": "amel@example.org",
            "country_of_residence": "FR",
            "message": "Courage",
            "dedication": "",
            "anonymous_public": False,
            "anonymous_to_organization": False,
            "created_at": iso(visible.created_at),
            "captured_at": iso(visible.captured_at),
        },
    ]
    assert "secret@example.org" not in response.content.decode()
    assert "Secret" not in response.content.decode()


def test_list_query_count_does_not_grow_with_the_donations(world, django_assert_num_queries):
    admin = make_person("admin", world["organization"])
    builders.captured(world["campaign"], "10", "TND")
    client = api(admin)
    with CaptureQueriesContext(connection) as one:
        client.get(url(world["campaign"]))
    for index in range(8):
        builders.captured(world["campaign"], "10", "TND", email=f"donor{index}@example.org")
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url(world["campaign"])).json()["count"] == 9
