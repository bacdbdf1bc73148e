"""The donate page and the donor's status page (HTML): pledge, hand-off to the provider, replays, bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from jusoor.campaigns.models import Campaign
from jusoor.donations.links import donation_path
from jusoor.donations.models import Donation
from jusoor.donations.tests import builders
from jusoor.payments.models import TestPaySession

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    builders.rate("EUR", "TND", "3.35000000")
    return builders.campaign()


def form(**overrides):
    data = {
        "amount": "50",
        "currency": "EUR",
        "provider": "testpay",
        "email": "leila@example.fr",
        "name": "Leïla",
        "country_of_residence": "FR",
        "message": "",
        "dedication": "",
        "idempotency_key": "form-token-1",
    }
    data.update(overrides)
    return data


def donate_url(campaign, lang="fr"):
    with translation.override(lang):
        return reverse("donations:donate", args=[campaign.pk])


def test_the_donate_page_shows_the_form_in_the_visitors_language(client, live):
    response = client.get(donate_url(live))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Continuer vers le paiement" in content
    assert 'name="idempotency_key"' in content


def test_a_pledge_sends_the_donor_to_the_processors_hosted_page(client, live):
    response = client.post(donate_url(live), form())
    donation = Donation.objects.get()
    session = TestPaySession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == donation.payment_url
    assert session.merchant_reference == donation.reference
    assert (session.amount, session.currency) == (Decimal("50.000"), "EUR")
    assert (donation.status, donation.language, donation.country_of_residence) == ("pending", "fr", "FR")
    assert (donation.campaign_amount, donation.rate) == (Decimal("167.500"), Decimal("3.35000000"))


def test_submitting_the_same_form_twice_pledges_once_and_resumes_the_payment(client, live):
    first = client.post(donate_url(live), form())
    second = client.post(donate_url(live), form())
    assert first["Location"] == second["Location"]
    assert Donation.objects.count() == 1
    assert TestPaySession.objects.count() == 1


def test_the_idempotency_key_header_wins_over_the_form_token(client, live):
    client.post(donate_url(live), form(idempotency_key="a"), HTTP_IDEMPOTENCY_KEY="header-key")
    client.post(donate_url(live), form(idempotency_key="b"), HTTP_IDEMPOTENCY_KEY="header-key")
    assert list(Donation.objects.values_list("idempotency_key", flat=True)) == ["header-key"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "0"}, "Saisissez un montant supérieur à zéro."),
        ({"amount": "-3"}, "Saisissez un montant supérieur à zéro."),
        ({"amount": "10.001"}, "Les montants en EUR ont au plus 2 décimales."),
        ({"currency": "GBP"}, "Sélectionnez un choix valide. GBP n’en fait pas partie."),
        ({"provider": "paypal"}, "Sélectionnez un choix valide. paypal n’en fait pas partie."),
        ({"email": "not-an-email"}, "Saisissez une adresse e-mail valide."),
    ],
)
def test_bad_input_is_explained_in_french_and_nothing_is_written(client, live, data, message):
    response = client.post(donate_url(live), form(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Donation.objects.count() == 0
    assert TestPaySession.objects.count() == 0


def test_a_campaign_that_is_not_live_refuses_the_pledge(client, live):
    Campaign.objects.filter(pk=live.pk).update(status=Campaign.Status.SUCCEEDED)
    response = client.post(donate_url(live), form())
    assert response.status_code == 400
    assert "Cette campagne n&#x27;accepte pas de dons." in response.content.decode()
    assert Donation.objects.count() == 0


def test_a_draft_campaign_has_no_donate_page(client):
    draft = builders.campaign(status=Campaign.Status.DRAFT)
    assert client.get(donate_url(draft)).status_code == 404
    assert client.post(donate_url(draft), form()).status_code == 404
    assert Donation.objects.count() == 0


def test_pledges_are_rate_limited_per_address(client, live):
    statuses = [client.post(donate_url(live), form(idempotency_key=f"k{n}")).status_code for n in range(11)]
    assert statuses == [302] * 10 + [429]
    assert Donation.objects.count() == 10


def test_the_status_page_needs_the_signed_token(client, live):
    donation = builders.pledge(live, "20", language="fr")
    good = donation_path(donation.reference, "fr")
    assert client.get(good).status_code == 200
    assert client.get(good.replace(good.rstrip("/").rsplit("/", 1)[1], "forged")).status_code == 404


def test_the_return_page_confirms_a_paid_session_once_even_after_the_callback(
    client, live, django_capture_on_commit_callbacks
):
    client.post(donate_url(live), form())
    donation = Donation.objects.get()
    session = TestPaySession.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(donation.payment_url, {"card_number": "4242 4242 4242 4242"})
    donation.refresh_from_db()
    assert donation.status == "captured"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(donation_path(donation.reference, "fr") + "?return=1")
    assert response.status_code == 200
    assert "Merci ! Votre don a bien été reçu." in response.content.decode()
    assert session.merchant_reference == donation.reference
    assert Donation.objects.filter(status="captured").count() == 1
    assert donation.capture_group_id is not None
