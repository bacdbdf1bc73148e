"""The organisation's dashboard, the accountant's CSV and the public register of foreign funding: exact figures,
anonymity, permissions and query counts."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jusoor.common.models import AuditEvent
from jusoor.donations.models import Donation
from jusoor.donations.reports import (
    export_header,
    foreign_register,
    organization_dashboard,
    organization_export_rows,
)
from jusoor.donations.services.matching import matching_pot_open
from jusoor.donations.services.pledge import donation_pledge
from jusoor.donations.services.refunds import donation_refund
from jusoor.donations.tests.conftest import make_campaign
from jusoor.finance.models import EntryGroup
from jusoor.organizations.models import Organization
from jusoor.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

BOM = "\ufeff"


def _fix(donation: Donation, when: datetime) -> Donation:
    """Pin the capture time and the day of the rate, so the rows are exact."""
    Donation.objects.filter(pk=donation.pk).update(captured_at=timezone.make_aware(when), rate_day=when.date())
    donation.refresh_from_db()
    return donation


@pytest.fixture
def scenario(captured_donation, live_campaign, verified_org, medenine, people):
    """Four donations to a TND campaign of a Tunisian association (one from Tunisia, three from abroad, one of them
    hidden from the organisation, one partly refunded), a pledge by bank transfer still waiting, a sponsor's pot
    matching up to 20 TND per donation, a second (empty) EUR campaign, and another organisation's donation."""
    now = timezone.now()
    matching_pot_open(
        name="Diaspora match",
        sponsor_name="Sponsor",
        currency="TND",
        total=Decimal("1000"),
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=10),
        acting_user=people["finance"],
        cap_per_donation=Decimal("20"),
        campaigns=[live_campaign],
    )
    local = _fix(
        captured_donation(amount="100", country_of_residence="TN", name="Amel Jaziri", email="amel@example.org"),
        datetime(2025, 3, 1, 10),  # noqa: DTZ001
    )
    french = _fix(
        captured_donation(amount="20", currency="EUR", name="Karim Trabelsi", email="karim@example.org"),
        datetime(2025, 4, 2, 11),  # noqa: DTZ001
    )
    hidden = _fix(
        captured_donation(
            amount="50", name="Hidden Person", email="hidden@example.org", anonymous_to_organization=True
        ),
        datetime(2025, 5, 3, 12),  # noqa: DTZ001
    )
    canadian = captured_donation(
        amount="30", currency="CAD", country_of_residence="CA", name="=cmd|' /C calc'!A0", email="ca@example.org"
    )
    donation_refund(donation=canadian, amount=Decimal("10"), reason="asked by the donor")
    canadian = _fix(canadian, datetime(2025, 6, 4, 13))  # noqa: DTZ001
    donation_pledge(
        campaign=live_campaign,
        amount=Decimal("40"),
        currency="TND",
        email="transfer@example.org",
        country_of_residence="DE",
        provider="bank_transfer",
        expires_in=timedelta(days=10),
    )
    empty = make_campaign(organization=verified_org, territory=medenine, currency="EUR", title_en="Empty campaign")
    other = make_campaign(organization=OrganizationFactory(), territory=medenine)
    stranger = captured_donation(amount="999", campaign=other, name="Other organisation's donor")
    return {
        "local": local,
        "french": french,
        "hidden": hidden,
        "canadian": canadian,
        "empty": empty,
        "stranger": stranger,
    }


# --- Dashboard --------------------------------------------------------------------------------------------------
def test_dashboard_figures(scenario, verified_org, live_campaign, people, django_assert_num_queries):
    with django_assert_num_queries(4):
        dashboard = organization_dashboard(organization=verified_org, viewer=people["org_admin"])

    campaigns = {campaign.pk: campaign for campaign in dashboard.campaigns}
    assert list(campaigns) == [scenario["empty"].pk, live_campaign.pk]
    main = campaigns[live_campaign.pk]
    # 100 + 67 (20 EUR at 3.35) + 50 + 67.5 (30 CAD at 2.25) − 22.5 refunded
    assert (main.raised, main.matched, main.held, main.disbursed) == (
        Decimal("262.000"),
        Decimal("80.000"),  # 4 matches of 20, reserved until the campaign succeeds
        Decimal("262.000"),
        Decimal("0"),
    )
    assert (main.donors, main.pending_transfers, main.pending_amount) == (4, 1, Decimal("40.000"))
    assert [(t.currency, t.raised, t.matched, t.pending_amount) for t in dashboard.totals] == [
        ("EUR", Decimal("0"), Decimal("0"), Decimal("0")),
        ("TND", Decimal("262.000"), Decimal("80.000"), Decimal("40.000")),
    ]
    assert (dashboard.donors, dashboard.pending_transfers) == (4, 1)
    assert [(row.code, row.name, row.donors, row.donations) for row in dashboard.countries] == [
        ("FR", "France", 2, 2),
        ("CA", "Canada", 1, 1),
        ("TN", "Tunisia", 1, 1),
    ]
    latest = [(row.reference, row.donor, row.email, row.anonymous) for row in dashboard.latest]
    assert latest == [
        (scenario["canadian"].reference, "=cmd|' /C calc'!A0", "ca@example.org", False),
        (scenario["hidden"].reference, "Anonymous", "", True),
        (scenario["french"].reference, "Karim Trabelsi", "karim@example.org", False),
        (scenario["local"].reference, "Amel Jaziri", "amel@example.org", False),
    ]


def test_dashboard_page_shows_anonymous_donors_without_name_or_email(
    client, scenario, verified_org, people, django_assert_num_queries
):
    client.force_login(people["org_admin"])
    # session, user, roles, organisation, memberships, 4 for the dashboard, the export's years, the user's
    # model permissions (2, asked once by the template's has_perm)
    with django_assert_num_queries(12):
        response = client.get(reverse("donations:dashboard", args=[verified_org.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Karim Trabelsi" in content and "karim@example.org" in content
    assert "Hidden Person" not in content and "hidden@example.org" not in content
    assert "<em>Anonymous</em>" in content
    assert "Other organisation" not in content
    assert "style=" not in content and "<script>" not in content


def test_dashboard_queries_do_not_grow_with_rows(client, scenario, captured_donation, verified_org, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["org_admin"])
    url = reverse("donations:dashboard", args=[verified_org.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _index in range(3):
        captured_donation(amount="5", country_of_residence="IT")
    make_campaign(organization=verified_org, territory=scenario["empty"].territory, title_en="Third")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


# --- Accountant's export ----------------------------------------------------------------------------------------
def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


def test_export_rows_are_exact(client, scenario, verified_org, people, django_assert_num_queries):
    local, french, hidden, canadian = (scenario[key] for key in ("local", "french", "hidden", "canadian"))
    client.force_login(people["org_admin"])

    response = client.get(reverse("donations:export", args=[verified_org.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="donations-{verified_org.pk}-all.csv"'
    title = "A library for Medenine's children"
    assert _csv(response) == [
        export_header(),
        ["2025-03-01", local.reference, local.receipt.label, title, "Amel Jaziri", "amel@example.org", "TN",
         "100.000", "TND", "100.000", "TND", "1", "2025-03-01", "Received", "0.000"],
        ["2025-04-02", french.reference, french.receipt.label, title, "Karim Trabelsi", "karim@example.org", "FR",
         "20.00", "EUR", "67.000", "TND", "3.35", "2025-04-02", "Received", "0.00"],
        ["2025-05-03", hidden.reference, hidden.receipt.label, title, "Anonymous", "", "FR",
         "50.000", "TND", "50.000", "TND", "1", "2025-05-03", "Received", "0.000"],
        # A cell a spreadsheet would run as a formula is neutralised.
        ["2025-06-04", canadian.reference, canadian.receipt.label, title, "'=cmd|' /C calc'!A0", "ca@example.org",
         "CA", "30.00", "CAD", "67.500", "TND", "2.25", "2025-06-04", "Received", "10.00"],
    ]  # fmt: skip
    with django_assert_num_queries(1):
        rows = list(organization_export_rows(organization=verified_org, viewer=people["org_admin"]))
    assert len(rows) == 4


def test_export_in_arabic_keeps_arabic_text_for_excel(client, captured_donation, verified_org, people):
    captured_donation(amount="10", name="سامي بن علي")
    client.force_login(people["org_admin"])

    response = client.get(reverse("donations:export", args=[verified_org.pk]).replace("/en/", "/ar/", 1))

    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8")[1:])))
    assert rows[1][3] == "مكتبة لأطفال مدنين"
    assert rows[1][4] == "سامي بن علي"


def test_export_of_one_year(client, scenario, verified_org, people):
    client.force_login(people["finance"])
    response = client.get(reverse("donations:export", args=[verified_org.pk]), {"year": 2025})
    assert len(_csv(response)) == 5
    assert client.get(reverse("donations:export", args=[verified_org.pk]), {"year": 2024}).status_code == 200
    assert len(_csv(client.get(reverse("donations:export", args=[verified_org.pk]), {"year": 2024}))) == 1
    assert client.get(reverse("donations:export", args=[verified_org.pk]), {"year": "x"}).status_code == 404


# --- Register of foreign funding --------------------------------------------------------------------------------
def test_foreign_register_lists_donations_from_abroad_without_names(client, scenario, verified_org):
    rows = foreign_register(organization=verified_org, year=2025)

    assert [(r.day, r.country_code, r.country, r.amount, r.currency) for r in rows] == [
        (date(2025, 4, 2), "FR", "France", Decimal("20.000"), "EUR"),
        (date(2025, 5, 3), "FR", "France", Decimal("50.000"), "TND"),
        (date(2025, 6, 4), "CA", "Canada", Decimal("20.000"), "CAD"),  # after the refund of 10
    ]
    page = client.get(reverse("donations:foreign_register", args=[verified_org.pk]), {"year": 2025})
    content = page.content.decode()
    assert page.status_code == 200
    for name in ("Karim", "Hidden", "Amel", "calc", "@example.org"):
        assert name not in content
    response = client.get(reverse("donations:foreign_register_csv", args=[verified_org.pk]), {"year": 2025})
    title = "A library for Medenine's children"
    assert _csv(response) == [
        ["Date", "Donor's country", "Country code", "Amount", "Currency", "Campaign"],
        ["2025-04-02", "France", "FR", "20.00", "EUR", title],
        ["2025-05-03", "France", "FR", "50.000", "TND", title],
        ["2025-06-04", "Canada", "CA", "20.00", "CAD", title],
    ]


def test_foreign_register_queries(client, scenario, verified_org, django_assert_num_queries):
    with django_assert_num_queries(3):  # organisation, rows, years
        response = client.get(reverse("donations:foreign_register", args=[verified_org.pk]), {"year": 2025})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("who", "public_status", "hidden_status"),
    [
        ("anonymous", 200, 404),
        ("plain_user", 200, 404),
        ("donor", 200, 404),
        ("org_member", 200, 200),
        ("org_admin", 200, 200),
        ("other_org_admin", 200, 404),
        ("finance", 200, 200),
        ("platform_admin", 200, 200),
    ],
)
def test_foreign_register_permissions(client, people, verified_org, who, public_status, hidden_status):
    if people[who] is not None:
        client.force_login(people[who])
    url = reverse("donations:foreign_register", args=[verified_org.pk])
    assert client.get(url).status_code == public_status
    assert client.get(reverse("donations:foreign_register_csv", args=[verified_org.pk])).status_code == public_status
    Organization.objects.filter(pk=verified_org.pk).update(status=Organization.Status.UNVERIFIED)
    assert client.get(url).status_code == hidden_status
    assert client.get(reverse("donations:foreign_register", args=[999_999])).status_code == 404


# --- Who may see the dashboard and the export -------------------------------------------------------------------
PAGE_STATUS = {
    "anonymous": 302,
    "plain_user": 403,
    "donor": 403,
    "org_member": 403,
    "org_admin": 200,
    "org_owner": 200,
    "other_org_admin": 403,
    "finance": 200,
    "finance_no_2fa": 302,
    "platform_admin": 200,
}


@pytest.mark.parametrize("name", ["donations:dashboard", "donations:export"])
@pytest.mark.parametrize(("who", "status"), PAGE_STATUS.items())
def test_dashboard_and_export_permissions(client, people, captured_donation, verified_org, name, who, status):
    captured_donation(donor=people["donor"], email=people["donor"].email)
    groups, events = EntryGroup.objects.count(), AuditEvent.objects.count()
    if people[who] is not None:
        client.force_login(people[who])

    response = client.get(reverse(name, args=[verified_org.pk]))

    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/")
    if who == "finance_no_2fa":
        assert response["Location"] == "/en/accounts/2fa/totp/activate/"
    assert (EntryGroup.objects.count(), AuditEvent.objects.count()) == (groups, events)


def test_unknown_organisation_is_404(client, people):
    client.force_login(people["finance"])
    assert client.get(reverse("donations:dashboard", args=[999_999])).status_code == 404
    assert client.get(reverse("donations:export", args=[999_999])).status_code == 404


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fr", "ltr")])
def test_pages_render_in_each_language(client, scenario, verified_org, people, language, direction):
    client.force_login(people["org_admin"])
    for name, query in (("donations:dashboard", {}), ("donations:foreign_register", {"year": 2025})):
        url = reverse(name, args=[verified_org.pk]).replace("/en/", f"/{language}/", 1)
        response = client.get(url, query)
        content = response.content.decode()
        assert response.status_code == 200
        assert f'<html lang="{language}" dir="{direction}">' in content
        assert "style=" not in content
