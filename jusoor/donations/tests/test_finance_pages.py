"""The finance staff's donation pages: the matching pots (list with what is left from the ledger, opening a pot
once however often the form is sent) and refunding a donation (partial or full, never more than what is left,
once per form, rate-limited). Each page and POST has its permission matrix; every refusal checks that nothing
was written."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jusoor.common.models import AuditEvent
from jusoor.donations.forms_finance import refund_token
from jusoor.donations.models import Donation, Match, MatchingPot, Refund
from jusoor.donations.services.matching import matching_pot_open, pot_available_amount
from jusoor.finance.models import Account, EntryGroup
from jusoor.finance.selectors import account_balance
from jusoor.organizations.models import Theme

pytestmark = pytest.mark.django_db

D = Decimal
TUNIS = ZoneInfo("Africa/Tunis")
POT_LIST = "/en/staff/matching-pots/"
POT_CREATE = "/en/staff/matching-pots/new/"
MSG_TOKEN = "This form has expired. Check the page and send it again."


def snapshot() -> dict[str, Any]:
    return {
        "pots": MatchingPot.objects.count(),
        "refunds": Refund.objects.count(),
        "groups": EntryGroup.objects.count(),
        "events": AuditEvent.objects.count(),
        "refunded": list(Donation.objects.order_by("pk").values_list("refunded_amount", "status")),
    }


def balance(key: str, currency: str) -> Decimal:
    return account_balance(account=Account.objects.get(key=key, currency=currency))


def flash(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def login(client: Any, user: Any) -> None:
    if user is not None:
        client.force_login(user)


def assert_redirects_for(response: Any, who: str) -> None:
    if who == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/")
    if who == "finance_no_2fa":
        assert response["Location"] == "/en/accounts/2fa/totp/activate/"


# Who may see and use the pots pages (finance staff) and the refund page (finance officers only).
POTS_ACCESS = {
    "anonymous": 302,
    "plain_user": 403,
    "donor": 403,
    "org_admin": 403,
    "org_owner": 403,
    "finance_no_2fa": 302,
    "finance": 200,
    "platform_admin": 200,
}
REFUND_ACCESS = {**POTS_ACCESS, "platform_admin": 403}


# --- Matching pots ------------------------------------------------------------------------------------------
@pytest.fixture
def education(db) -> Theme:
    theme, _created = Theme.objects.get_or_create(
        slug="education", defaults={"label": {"ar": "التعليم", "fr": "Éducation", "en": "Education"}}
    )
    return theme


def pot_form(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Ramadan : chaque dinar doublé",
        "sponsor_name": "Fondation Ibn Khaldoun",
        "sponsor_organization": "",
        "currency": "TND",
        "total": "5000.500",
        "ratio": "1.5",
        "cap_per_donation": "100",
        "cap_per_donor": "250.5",
        "valid_from": "2030-03-01",
        "valid_until": "2030-03-31",
        "territories": "",
        "campaigns": [],
        "themes": [],
        "token": "k" * 32,
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize("url", [POT_LIST, POT_CREATE])
@pytest.mark.parametrize(("who", "status"), POTS_ACCESS.items())
def test_pot_pages_access(client, people, url, who, status):
    login(client, people[who])

    response = client.get(url)

    assert response.status_code == status
    assert_redirects_for(response, who)


@pytest.mark.parametrize(("who", "status"), [(w, s) for w, s in POTS_ACCESS.items() if s != 200])
def test_opening_a_pot_is_refused_without_the_permission(client, people, who, status):
    before = snapshot()
    login(client, people[who])

    response = client.post(POT_CREATE, pot_form())

    assert response.status_code == status
    assert_redirects_for(response, who)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["finance", "platform_admin"])
def test_opening_a_pot(client, people, verified_org, live_campaign, medenine, education, who):
    user = people[who]
    login(client, user)
    form = client.get(POT_CREATE).context["form"]
    token = form.initial["token"]
    assert len(token) == 32
    data = pot_form(
        token=token,
        sponsor_organization=verified_org.pk,
        territories=" tn-82, TN-82 ",
        themes=[education.pk],
        campaigns=[live_campaign.pk],
    )

    response = client.post(POT_CREATE, data)

    assert response.status_code == 302 and response["Location"] == POT_LIST
    assert flash(response) == ["The pot “Ramadan : chaque dinar doublé” is open: TND5,000.500 to match."]
    pot = MatchingPot.objects.get()
    assert (
        pot.name,
        pot.sponsor_name,
        pot.sponsor_organization,
        pot.currency,
        pot.total,
        pot.ratio,
        pot.cap_per_donation,
        pot.cap_per_donor,
        pot.valid_from,
        pot.valid_until,
        pot.created_by,
    ) == (
        "Ramadan : chaque dinar doublé",
        "Fondation Ibn Khaldoun",
        verified_org,
        "TND",
        D("5000.500"),
        D("1.500"),
        D("100.000"),
        D("250.500"),
        datetime(2030, 3, 1, 0, 0, tzinfo=TUNIS),
        datetime(2030, 3, 31, 23, 59, tzinfo=TUNIS),
        user,
    )
    assert [t.code for t in pot.territories.all()] == ["TN-82"]
    assert list(pot.themes.all()) == [education]
    assert list(pot.campaigns.all()) == [live_campaign]
    # The sponsor's commitment is in the ledger: sponsor → available.
    assert pot_available_amount(pot) == D("5000.500")
    assert balance(f"pot:{pot.pk}:sponsor", "TND") == D("5000.500")
    assert balance(f"pot:{pot.pk}:available", "TND") == D("-5000.500")
    group = EntryGroup.objects.get()
    assert (group.kind, group.pk, group.idempotency_key) == (
        "match.pot_opened",
        pot.opening_group_id,
        f"pot-open:web:{user.pk}:{token}",
    )
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.changes) == (
        user,
        "donations.matching_pot.opened",
        {"total": "5000.500"},
    )


def test_a_form_sent_twice_opens_one_pot(client, people):
    login(client, people["finance"])
    data = pot_form()

    first = client.post(POT_CREATE, data)
    second = client.post(POT_CREATE, data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert (MatchingPot.objects.count(), EntryGroup.objects.count(), AuditEvent.objects.count()) == (1, 1, 1)
    # Another officer's form never meets this one's token.
    login(client, people["platform_admin"])
    client.post(POT_CREATE, data)
    assert MatchingPot.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"total": "0"}, {"total": ["Enter an amount greater than zero."]}),
        ({"total": "-5"}, {"total": ["Enter an amount greater than zero."]}),
        ({"total": "abc"}, {"total": ["Enter an amount greater than zero."]}),
        ({"total": "10.1234"}, {"total": ["TND amounts have at most 3 decimals."]}),
        ({"total": "10.123", "currency": "EUR"}, {"total": ["EUR amounts have at most 2 decimals."]}),
        ({"total": "0.5"}, {"total": ["The amount must be between TND1.000 and TND1,000,000.000."]}),
        (
            {"currency": "DZD"},
            {
                "currency": ["This currency is not accepted."],
                "__all__": ["Donations in DZD are not accepted. Choose one of: TND, MAD, EUR, USD, CAD."],
            },
        ),
        ({"ratio": "0"}, {"__all__": ["Ratio and caps must be greater than zero."]}),
        ({"ratio": "-1"}, {"__all__": ["Ratio and caps must be greater than zero."]}),
        ({"cap_per_donation": "0"}, {"__all__": ["Ratio and caps must be greater than zero."]}),
        ({"ratio": "1.2345"}, {"ratio": ["Ensure that there are no more than 3 decimal places."]}),
        ({"cap_per_donor": "1.005", "currency": "EUR", "total": "100"}, {"cap_per_donor": [
            "EUR amounts have at most 2 decimals."]}),
        ({"valid_until": "2030-02-28"}, {"__all__": ["The pot must end after it starts."]}),
        ({"territories": "TN-82, XX-99, zz"}, {"territories": ["Unknown territory codes: XX-99, zz."]}),
        ({"token": ""}, {"token": [MSG_TOKEN]}),
        ({"token": "short"}, {"token": [MSG_TOKEN]}),
        ({"name": ""}, {"name": ["This field is required."]}),
    ],
)  # fmt: skip
def test_bad_pots_are_refused_with_the_services_messages(client, people, medenine, overrides, errors):
    login(client, people["finance"])
    before = snapshot()

    response = client.post(POT_CREATE, pot_form(**overrides))

    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert snapshot() == before


def _open(name: str, campaign: Any, user: Any, **overrides: Any) -> MatchingPot:
    now = timezone.now()
    values: dict[str, Any] = {
        "name": name,
        "sponsor_name": "Sponsor",
        "currency": "TND",
        "total": D("1000"),
        "valid_from": now - timedelta(days=1),
        "valid_until": now + timedelta(days=10),
        "acting_user": user,
        "cap_per_donation": D("20"),
        "campaigns": [campaign],
    }
    values.update(overrides)
    return matching_pot_open(**values)


def test_the_pot_list_shows_what_is_left_from_the_ledger(
    client, people, live_campaign, captured_donation, medenine, education
):
    running = _open("Diaspora match", live_campaign, people["finance"], territories=[medenine])
    ended = _open(
        "Last year",
        live_campaign,
        people["finance"],
        total=D("50"),
        ratio=D("0.5"),
        valid_from=timezone.now() - timedelta(days=30),
        valid_until=timezone.now() - timedelta(days=20),
        campaigns=[],
        themes=[education],
    )
    captured_donation(amount="100")  # matched 20 (the cap)
    captured_donation(amount="10")  # matched 10
    login(client, people["platform_admin"])

    response = client.get(POT_LIST)

    rows = response.context["rows"]
    assert [(row.pot.pk, row.available, row.reserved, row.paid, row.ratio, row.status) for row in rows] == [
        (ended.pk, D("50.000"), D("0"), D("0.000"), "0.5", "Ended"),
        (running.pk, D("970.000"), D("30.000"), D("0.000"), "1", "Running"),
    ]
    assert ([t.code for t in rows[1].territories], rows[1].themes, rows[1].campaigns) == (
        ["TN-82"],
        [],
        [live_campaign],
    )
    assert (rows[0].territories, rows[0].themes, rows[0].campaigns) == ([], [education], [])
    content = response.content.decode()
    assert "TND970.000" in content and "TND30.000" in content
    assert "Themes: Education" in content
    assert "style=" not in content and "<script>" not in content


def test_the_pot_list_runs_a_fixed_number_of_queries(
    client, people, live_campaign, medenine, education, django_assert_num_queries
):
    _open("First", live_campaign, people["finance"], territories=[medenine], themes=[education])
    login(client, people["finance"])
    client.get(POT_LIST)
    # session, user, roles, the TOTP check, the count, the pots (with the ledger sums), their territories, themes
    # and campaigns, the user's model permissions (2, asked by the menu)
    with django_assert_num_queries(11):
        response = client.get(POT_LIST)
    assert response.status_code == 200
    for index in range(4):
        _open(f"Pot {index}", live_campaign, people["finance"], territories=[medenine], themes=[education])
    with CaptureQueriesContext(connection) as after:
        client.get(POT_LIST)
    assert len(after) == 11


# --- Refunds ------------------------------------------------------------------------------------------------
def refund_url(donation: Donation) -> str:
    return reverse("donations:refund", args=[donation.pk])


def refund_form(donation: Donation, **overrides: Any) -> dict[str, Any]:
    values = {
        "amount": "30",
        "reason": "Asked by the donor",
        "token": refund_token(donation_id=donation.pk, refunds_seen=donation.refunds.count()),
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(("who", "status"), REFUND_ACCESS.items())
def test_refund_page_access(client, people, captured_donation, who, status):
    donation = captured_donation()
    login(client, people[who])

    response = client.get(refund_url(donation))

    assert response.status_code == status
    assert_redirects_for(response, who)


@pytest.mark.parametrize(("who", "status"), [(w, s) for w, s in REFUND_ACCESS.items() if s != 200])
def test_refunding_is_refused_without_the_permission(client, people, captured_donation, who, status):
    donation = captured_donation()
    before = snapshot()
    login(client, people[who])

    response = client.post(refund_url(donation), refund_form(donation))

    assert response.status_code == status
    assert_redirects_for(response, who)
    assert snapshot() == before
    assert balance(f"campaign:{donation.campaign_id}:funds", "TND") == D("-100.000")


def test_a_partial_then_the_full_refund(client, people, captured_donation, live_campaign):
    officer = people["finance"]
    _open("Diaspora match", live_campaign, officer)
    donation = captured_donation(amount="100")
    pot = MatchingPot.objects.get()
    assert pot_available_amount(pot) == D("980.000")
    funds, clearing = f"campaign:{live_campaign.pk}:funds", "psp:testpay:clearing"
    login(client, officer)

    response = client.post(refund_url(donation), refund_form(donation, amount="30,5"))

    assert response.status_code == 302 and response["Location"] == refund_url(donation)
    assert flash(response) == ["The refund has been booked and sent to the payment provider."]
    donation.refresh_from_db()
    assert (donation.status, donation.refunded_amount, donation.refundable_amount) == (
        Donation.Status.CAPTURED,
        D("30.500"),
        D("69.500"),
    )
    refund = Refund.objects.get()
    assert (refund.amount, refund.campaign_amount, refund.reason, refund.created_by) == (
        D("30.500"),
        D("30.500"),
        "Asked by the donor",
        officer,
    )
    assert refund.provider_refund_id.startswith("testpay_re_")
    assert (balance(funds, "TND"), balance(clearing, "TND")) == (D("-69.500"), D("69.500"))
    assert Match.objects.get().status == Match.Status.RESERVED
    event = AuditEvent.objects.filter(action="donations.donation.refunded").get()
    assert (event.actor, event.changes) == (
        officer,
        {"amount": "30.5", "refunded": "30.500", "reason": "Asked by the donor"},
    )

    page = client.get(refund_url(donation))
    assert [r.amount for r in page.context["summary"].refunds] == [D("30.500")]
    response = client.post(refund_url(donation), refund_form(donation, amount="69.5", reason="The rest"))

    assert response.status_code == 302
    donation.refresh_from_db()
    assert (donation.status, donation.refunded_amount, donation.refundable_amount) == (
        Donation.Status.REFUNDED,
        D("100.000"),
        D("0"),
    )
    assert (balance(funds, "TND"), balance(clearing, "TND")) == (D("0.000"), D("0.000"))
    # The full refund gave the sponsor's match back to the pot.
    assert Match.objects.get().status == Match.Status.RELEASED
    assert pot_available_amount(pot) == D("1000.000")
    page = client.get(refund_url(donation))
    assert page.context["can_refund"] is False
    assert "Nothing can be refunded" in page.content.decode()


def test_refunding_a_donation_in_another_currency(client, people, captured_donation, live_campaign):
    donation = captured_donation(amount="20", currency="EUR")  # 67.000 TND at 3.35
    login(client, people["finance"])

    client.post(refund_url(donation), refund_form(donation, amount="5"))

    refund = Refund.objects.get()
    assert (refund.amount, refund.campaign_amount) == (D("5.00"), D("16.750"))
    assert balance(f"campaign:{live_campaign.pk}:funds", "TND") == D("-50.250")
    assert balance("psp:testpay:clearing", "EUR") == D("15.00")
    assert (balance("platform:fx:position", "EUR"), balance("platform:fx:position", "TND")) == (
        D("-15.00"),
        D("50.250"),
    )


@pytest.mark.parametrize(
    ("amount", "errors"),
    [
        ("70.001", {"amount": ["This is more than what is left to refund."],
                    "__all__": ["At most TND70.000 can still be refunded."]}),
        ("0", {"amount": ["Enter an amount greater than zero."]}),
        ("-5", {"amount": ["Enter an amount greater than zero."]}),
        ("abc", {"amount": ["Enter an amount greater than zero."]}),
        ("NaN", {"amount": ["Enter an amount greater than zero."]}),
        ("1.0005", {"amount": ["TND amounts have at most 3 decimals."]}),
    ],
)  # fmt: skip
def test_bad_refunds_are_refused_and_nothing_is_written(client, people, captured_donation, amount, errors):
    donation = captured_donation(amount="100")
    login(client, people["finance"])
    client.post(refund_url(donation), refund_form(donation, amount="30"))
    before = snapshot()

    response = client.post(refund_url(donation), refund_form(donation, amount=amount))

    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert snapshot() == before


def test_a_pending_donation_cannot_be_refunded(client, people, live_campaign):
    from jusoor.donations.tests import builders

    donation = builders.pledge(live_campaign, "50")
    login(client, people["finance"])
    before = snapshot()

    page = client.get(refund_url(donation))
    response = client.post(refund_url(donation), refund_form(donation))

    assert page.context["can_refund"] is False
    assert response.status_code == 400
    assert response.context["form"].errors == {"__all__": ["Only a received donation can be refunded."]}
    assert snapshot() == before


def test_a_refund_form_sent_twice_refunds_once(client, people, captured_donation):
    donation = captured_donation(amount="100")
    login(client, people["finance"])
    data = refund_form(donation)

    first = client.post(refund_url(donation), data, follow=True)
    second = client.post(refund_url(donation), data)

    assert first.status_code == 200 and second.status_code == 302
    assert flash(second) == [
        "Nothing was refunded: the refunds of this donation changed since the page was shown (was the form sent "
        "twice?). Check what is left before refunding again."
    ]
    assert Refund.objects.count() == 1
    donation.refresh_from_db()
    assert donation.refunded_amount == D("30.000")


def test_a_token_for_another_donation_or_forged_is_refused(client, people, captured_donation):
    donation, other = captured_donation(), captured_donation()
    login(client, people["finance"])
    before = snapshot()

    for token in (refund_token(donation_id=other.pk, refunds_seen=0), "forged", ""):
        response = client.post(refund_url(donation), refund_form(donation, token=token))
        assert response.status_code == 400
        assert response.context["form"].errors == {"token": [MSG_TOKEN]}
    assert snapshot() == before


def test_refunds_are_rate_limited(client, people, captured_donation):
    donation = captured_donation()
    login(client, people["finance"])
    for _attempt in range(20):
        assert client.post(refund_url(donation), {"amount": "1", "reason": ""}).status_code == 400
    before = snapshot()

    response = client.post(refund_url(donation), refund_form(donation))

    assert response.status_code == 429
    assert response.context["form"].errors == {"__all__": ["Too many attempts. Please wait a minute and try again."]}
    assert snapshot() == before


def test_a_bank_transfer_refund_is_booked_for_finance_to_send(client, people, live_campaign):
    from jusoor.donations.services.capture import donation_capture
    from jusoor.donations.tests import builders

    donation = builders.pledge(live_campaign, "40", provider="bank_transfer", expires_in=timedelta(days=10))
    donation, _created = donation_capture(
        donation_id=donation.pk,
        provider="bank_transfer",
        provider_payment_id="BANK-1",
        amount=donation.amount,
        currency=donation.currency,
    )
    login(client, people["finance"])

    page = client.get(refund_url(donation))
    response = client.post(refund_url(donation), refund_form(donation, amount="40"))

    assert page.context["refunds_online"] is False
    assert flash(response) == ["The refund has been booked. Send the money back to the donor by bank transfer."]
    assert Refund.objects.get().provider_refund_id == ""
    assert balance("psp:bank_transfer:clearing", "TND") == D("0.000")


def test_the_refund_page_by_reference_and_unknown_donations(client, people, captured_donation):
    donation = captured_donation()
    login(client, people["finance"])

    response = client.get(reverse("donations:refund_by_reference", args=[donation.reference]))

    assert response.status_code == 200 and response.context["donation"] == donation
    assert f'action="{refund_url(donation)}"' in response.content.decode()
    assert client.get(reverse("donations:refund", args=[999_999])).status_code == 404
    assert client.get(reverse("donations:refund_by_reference", args=["JSR-NOPE0-NOPE0"])).status_code == 404


def test_the_refund_page_runs_a_fixed_number_of_queries(client, people, captured_donation, django_assert_num_queries):
    donation = captured_donation()
    login(client, people["finance"])
    client.post(refund_url(donation), refund_form(donation, amount="1"), follow=True)
    # session, user, roles, the TOTP check, the donation, its refunds, its match, the user's model permissions (2)
    with django_assert_num_queries(9):
        response = client.get(refund_url(donation))
    assert response.status_code == 200
    for _index in range(3):
        client.post(refund_url(donation), refund_form(donation, amount="1"), follow=True)
    with CaptureQueriesContext(connection) as after:
        client.get(refund_url(donation))
    assert len(after) == 9


@pytest.mark.parametrize(("who", "shown"), [("finance", True), ("platform_admin", False), ("org_admin", False)])
def test_the_dashboard_links_each_donation_to_its_refund_page(
    client, people, captured_donation, verified_org, who, shown
):
    donation = captured_donation()
    login(client, people[who])

    content = client.get(reverse("donations:dashboard", args=[verified_org.pk])).content.decode()

    link = reverse("donations:refund_by_reference", args=[donation.reference])
    assert (link in content) is shown


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fr", "ltr")])
def test_the_pages_render_in_each_language(client, people, captured_donation, live_campaign, language, direction):
    donation = captured_donation(amount="20", currency="EUR")
    _open("Diaspora match", live_campaign, people["finance"])
    login(client, people["finance"])
    for url in (POT_LIST, POT_CREATE, refund_url(donation)):
        response = client.get(url.replace("/en/", f"/{language}/", 1))
        content = response.content.decode()
        assert response.status_code == 200
        assert f'<html lang="{language}" dir="{direction}">' in content
        assert "style=" not in content and "<script>" not in content
        if url == POT_CREATE:  # a date input takes ISO dates whatever the language
            assert f'name="valid_from" value="{timezone.localdate().isoformat()}"' in content


def test_the_api_asks_the_same_rule_to_open_a_pot():
    import rules

    assert rules.perm_exists("donations.add_matchingpot")
