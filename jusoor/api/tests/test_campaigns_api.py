"""The campaigns API: the public list (filters, money from the ledger, one query per page) and one campaign.

Also holds the small scenario helpers the donation, matching-pot and callback API tests share (`world`, `person`,
`api`, `iso`). Responses are checked against openapi/schema.yaml.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.test import APIClient

from jusoor.accounts.models import Role, RoleGrant
from jusoor.accounts.tests.factories import UserFactory
from jusoor.api.tests.test_organizations_api import assert_matches_schema
from jusoor.campaigns.models import BudgetLine, Campaign
from jusoor.donations.models import MatchingPot
from jusoor.donations.services.matching import matching_pot_open
from jusoor.donations.tests import builders
from jusoor.organizations.models import MembershipRole, Organization, Theme
from jusoor.organizations.tests.factories import MembershipFactory
from jusoor.territories.models import Territory

pytestmark = pytest.mark.django_db

URL = "/api/v1/campaigns/"
NOT_FOUND = {"code": "not_found", "message": "Not found.", "extra": {}}


# --- Shared scenario helpers (imported by the other API test modules) -------------------------------------------


def iso(value: Any) -> str:
    """A datetime as the API writes it."""
    return serializers.DateTimeField().to_representation(value)


def _territory(code: str, kind: str, names: tuple[str, str, str], parent: Territory | None = None) -> Territory:
    country = code[:2]
    return Territory.objects.create(
        code=code,
        code_system="iso3166-2" if parent is None else "tn-municipality",
        country=country,
        kind=kind,
        parent=parent,
        name_ar=names[0],
        name_fr=names[1],
        name_en=names[2],
    )


def make_world() -> dict[str, Any]:
    """Médenine with Zarzis inside it, Sousse, Casablanca-Settat; two themes; a verified organisation; the day's
    EUR→TND rate (3.35)."""
    medenine = _territory("TN-82", "governorate", ("مدنين", "Médenine", "Medenine"))
    zarzis = _territory("TN-8261", "municipality", ("جرجيس", "Zarzis", "Zarzis"), parent=medenine)
    sousse = _territory("TN-51", "governorate", ("سوسة", "Sousse", "Sousse"))
    casablanca = _territory("MA-06", "region", ("الدار البيضاء سطات", "Casablanca-Settat", "Casablanca-Settat"))
    health = Theme.objects.create(slug="health", label={"ar": "الصحة", "fr": "Santé", "en": "Health"}, position=1)
    education = Theme.objects.create(
        slug="education", label={"ar": "التعليم", "fr": "Éducation", "en": "Education"}, position=2
    )
    builders.rate("EUR", "TND", "3.35000000")
    return {
        "medenine": medenine,
        "zarzis": zarzis,
        "sousse": sousse,
        "casablanca": casablanca,
        "health": health,
        "education": education,
        "organization": builders.organization(),
    }


@pytest.fixture
def world(db) -> dict[str, Any]:
    return make_world()


def make_person(role: str, organization: Organization) -> Any:
    """A user holding `role` with respect to `organization`; None for anonymous. Staff roles have two-factor
    authentication set up, except `finance_officer_without_2fa`."""
    if role == "anonymous":
        return None
    user = UserFactory()
    if role in {"member", "admin", "owner"}:
        MembershipFactory(organization=organization, user=user, role=MembershipRole(role))
    elif role in {"finance_officer", "finance_officer_without_2fa"}:
        RoleGrant.objects.create(user=user, role=Role.FINANCE_OFFICER)
    elif role == "platform_admin":
        RoleGrant.objects.create(user=user, role=Role.PLATFORM_ADMIN)
    elif role == "verifier":
        RoleGrant.objects.create(user=user, role=Role.VERIFIER)
    if role in {"finance_officer", "platform_admin", "verifier"}:
        TOTP.activate(user, generate_totp_secret())
    return user


def api(user: Any = None, **kwargs: Any) -> APIClient:
    client = APIClient(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def open_pot(*, currency: str = "TND", total: str = "1000", **kwargs: Any) -> MatchingPot:
    now = timezone.now()
    values: dict[str, Any] = {
        "name": "Ramadan : chaque dinar doublé",
        "sponsor_name": "Fondation Ibn Khaldoun",
        "currency": currency,
        "total": Decimal(total),
        "valid_from": now - timedelta(days=1),
        "valid_until": now + timedelta(days=30),
        "acting_user": None,
    }
    values.update(kwargs)
    return matching_pot_open(**values)


def translated(language: str, message: str, **params: Any) -> str:
    """`message` as the catalogue translates it (itself when there is no translation yet)."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % params if params else text


# --- The list -----------------------------------------------------------------------------------------------------


def test_list_item_with_money_from_the_ledger(world):
    campaign = builders.campaign(org=world["organization"], where=world["zarzis"])
    campaign.themes.set([world["health"]])
    open_pot(total="1000")
    builders.captured(campaign, "250", "TND")  # matched 1:1 by the pot
    builders.pledge(campaign, "100", "TND")  # pending: not raised

    response = api().get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "PaginatedCampaignListOutputList")
    assert body == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": campaign.pk,
                "title": {"ar": "مكتبة للأطفال", "fr": "Une bibliothèque pour les enfants", "en": ""},
                "organisation": {
                    "id": world["organization"].pk,
                    "name": {"ar": "جمعية أطفال مدنين", "fr": "Association des enfants de Médenine", "en": ""},
                },
                "territory": {"code": "TN-8261", "name": {"ar": "جرجيس", "fr": "Zarzis", "en": "Zarzis"}},
                "currency": "TND",
                "goal": "10000.000",
                "starts_at": iso(campaign.starts_at),
                "ends_at": iso(campaign.ends_at),
                "status": "live",
                "funding_model": "all_or_nothing",
                "raised": "250.000",
                "matched": "250.000",
                "percent": 5,
            }
        ],
    }


def test_amounts_have_the_places_of_their_currency(world):
    builders.campaign(org=world["organization"], currency="EUR", goal=Decimal("2500"))
    item = api().get(URL).json()["results"][0]
    assert (item["currency"], item["goal"], item["raised"], item["matched"]) == ("EUR", "2500.00", "0.00", "0.00")


def test_only_public_campaigns_are_listed(world):
    public = {
        status: builders.campaign(org=world["organization"], status=status)
        for status in ["live", "waiting_funds", "succeeded", "failed", "disbursed", "reporting", "closed"]
    }
    for status in ["draft", "submitted", "changes_requested", "approved"]:
        builders.campaign(org=world["organization"], status=status)
    member = make_person("member", world["organization"])
    for viewer in [None, member]:  # members see their drafts on their pages, never in the public list
        ids = [item["id"] for item in api(viewer).get(URL).json()["results"]]
        assert sorted(ids) == sorted(c.pk for c in public.values())


def test_live_campaigns_come_first_nearest_deadline_first(world):
    org = world["organization"]
    ended = builders.campaign(org=org, status="succeeded")
    later = builders.campaign(org=org)
    sooner = builders.campaign(org=org)
    Campaign.objects.filter(pk=sooner.pk).update(ends_at=timezone.now() + timedelta(days=3))
    ids = [item["id"] for item in api().get(URL).json()["results"]]
    assert ids == [sooner.pk, later.pk, ended.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["zarzis", "medenine", "sousse", "casablanca", "failed"]),
        ("territory=TN-82", ["zarzis", "medenine"]),  # a governorate includes its municipalities
        ("territory=TN-8261", ["zarzis"]),
        ("territory=TN-51", ["sousse", "failed"]),
        ("country=MA", ["casablanca"]),
        ("country=TN", ["zarzis", "medenine", "sousse", "failed"]),
        ("theme=education", ["medenine", "casablanca"]),
        ("theme=health", ["zarzis", "casablanca"]),
        ("status=failed", ["failed"]),
        ("status=live&country=TN&territory=TN-82&theme=health", ["zarzis"]),
        ("country=&territory=&theme=&status=", ["zarzis", "medenine", "sousse", "casablanca", "failed"]),
    ],
)
def test_filters(world, query, expected):
    org = world["organization"]
    campaigns = {
        "zarzis": builders.campaign(org=org, where=world["zarzis"]),
        "medenine": builders.campaign(org=org, where=world["medenine"]),
        "sousse": builders.campaign(org=org, where=world["sousse"]),
        "casablanca": builders.campaign(org=org, where=world["casablanca"], currency="MAD"),
        "failed": builders.campaign(org=org, where=world["sousse"], status="failed"),
    }
    campaigns["zarzis"].themes.set([world["health"]])
    campaigns["medenine"].themes.set([world["education"]])
    campaigns["casablanca"].themes.set([world["education"], world["health"]])
    Campaign.objects.filter(pk=campaigns["casablanca"].pk).update(ends_at=timezone.now() + timedelta(days=40))
    for offset, name in enumerate(["zarzis", "medenine", "sousse"]):
        Campaign.objects.filter(pk=campaigns[name].pk).update(ends_at=timezone.now() + timedelta(days=10 + offset))

    response = api().get(f"{URL}?{query}")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [campaigns[name].pk for name in expected]


def test_a_status_that_is_not_public_is_a_400_listing_the_allowed_values(world):
    response = api().get(f"{URL}?status=draft", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "The request is not valid.",
        "extra": {
            "fields": {
                "status": [
                    '"draft" is not allowed. Allowed values: live, waiting_funds, succeeded, failed, disbursed, '
                    "reporting, closed."
                ]
            }
        },
    }


def test_an_unknown_country_is_a_400_listing_the_allowed_values(world):
    response = api().get(f"{URL}?country=DZ", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"] == {"country": ['"DZ" is not allowed. Allowed values: TN, MA, FR.']}


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ("territory=XX-99", "unknown_territory", "This territory does not exist."),
        ("theme=astronomy", "unknown_theme", "This theme does not exist."),
    ],
)
def test_unknown_territory_or_theme_is_a_400(world, query, code, message):
    response = api().get(f"{URL}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"code": code, "message": message, "extra": {}}


def test_filter_errors_are_translated(world):
    response = api().get(f"{URL}?territory=XX-99", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["message"] == translated("fr", "This territory does not exist.")
    response = api().get(f"{URL}?status=draft", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.json()["message"] == translated("ar", "The request is not valid.")


def test_the_list_is_paginated(world):
    for _i in range(3):
        builders.campaign(org=world["organization"])
    body = api().get(f"{URL}?page_size=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] == "http://testserver/api/v1/campaigns/?page=2&page_size=2"


def test_one_query_per_page_whatever_the_number_of_campaigns(world, django_assert_num_queries):
    """A count and the page: organisations, territories and the ledger sums are in the page's query."""
    for index in range(6):
        campaign = builders.campaign(org=builders.organization(f"Association {index}"), where=world["zarzis"])
        builders.captured(campaign, "10", "TND", email=f"donor{index}@example.org")
    open_pot()
    client = api()
    with django_assert_num_queries(2):
        assert len(client.get(f"{URL}?page_size=1").json()["results"]) == 1
    with django_assert_num_queries(2):
        results = client.get(f"{URL}?page_size=50").json()["results"]
    assert [item["raised"] for item in results] == ["10.000"] * 6


# --- One campaign -------------------------------------------------------------------------------------------------


def test_detail_with_budget_progress_and_matching_pots(world):
    campaign = builders.campaign(org=world["organization"], where=world["zarzis"])
    Campaign.objects.filter(pk=campaign.pk).update(
        title_en="A library for the children",
        summary_fr="Des livres pour 300 enfants.",
        story_ar="قصة",
        beneficiaries_count=300,
        beneficiaries_description="Enfants de 6 à 12 ans",
        minimum_goal=Decimal("6000"),
        stretch_goal=Decimal("15000.5"),
    )
    campaign.refresh_from_db()
    campaign.themes.set([world["education"]])
    BudgetLine.objects.filter(campaign=campaign).update(amount=Decimal("7000"), position=1)
    BudgetLine.objects.create(campaign=campaign, label="Étagères", amount=Decimal("3000"), position=0)
    pot = open_pot(total="1000", cap_per_donation=Decimal("100"), territories=[world["medenine"]])
    open_pot(currency="EUR", total="500")  # another currency: not eligible
    open_pot(total="500", territories=[world["sousse"]])  # elsewhere: not eligible
    builders.captured(campaign, "250", "TND", email="a@example.org")  # matched 100 (the cap)
    builders.captured(campaign, "30", "EUR", email="b@example.org")  # 100.500 TND, matched 100
    builders.pledge(campaign, "40", "TND", provider="bank_transfer")  # a transfer still awaited

    response = api().get(f"{URL}{campaign.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "CampaignDetailOutput")
    assert body == {
        "id": campaign.pk,
        "title": {"ar": "مكتبة للأطفال", "fr": "Une bibliothèque pour les enfants", "en": "A library for the children"},
        "organisation": {
            "id": world["organization"].pk,
            "name": {"ar": "جمعية أطفال مدنين", "fr": "Association des enfants de Médenine", "en": ""},
        },
        "territory": {"code": "TN-8261", "name": {"ar": "جرجيس", "fr": "Zarzis", "en": "Zarzis"}},
        "currency": "TND",
        "goal": "10000.000",
        "starts_at": iso(campaign.starts_at),
        "ends_at": iso(campaign.ends_at),
        "status": "live",
        "funding_model": "all_or_nothing",
        "primary_language": "ar",
        "summary": {"ar": "", "fr": "Des livres pour 300 enfants.", "en": ""},
        "story": {"ar": "قصة", "fr": "", "en": ""},
        "cover_image": None,
        "themes": [{"slug": "education", "name": {"ar": "التعليم", "fr": "Éducation", "en": "Education"}}],
        "sdg_goals": [],
        "beneficiaries_count": 300,
        "beneficiaries_description": "Enfants de 6 à 12 ans",
        "minimum_goal": "6000.000",
        "stretch_goal": "15000.500",
        "display_timezone": "Africa/Tunis",
        "budget": [{"label": "Étagères", "amount": "3000.000"}, {"label": "Livres", "amount": "7000.000"}],
        "progress": {
            "raised": "350.500",
            "matched": "200.000",
            "total": "550.500",
            "percent": 5,
            "donors": 2,
            "pending_transfers": 1,
        },
        "matching_pots": [
            {
                "id": pot.pk,
                "name": "Ramadan : chaque dinar doublé",
                "sponsor": "Fondation Ibn Khaldoun",
                "currency": "TND",
                "ratio": "1.000",
                "available": "800.000",
                "cap_per_donation": "100.000",
                "valid_until": iso(pot.valid_until),
            }
        ],
    }


@pytest.mark.parametrize(
    ("role", "visible"),
    [("anonymous", False), ("user", False), ("finance_officer", False), ("member", True), ("verifier", True)],
)
@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_a_campaign_not_public_yet_is_a_404_for_outsiders(world, role, visible, status):
    campaign = builders.campaign(org=world["organization"], status=status)
    response = api(make_person(role, world["organization"])).get(f"{URL}{campaign.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    if visible:
        assert response.status_code == 200
        assert response.json()["status"] == status
    else:
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


@pytest.mark.parametrize("raw_id", ["999999", "abc", "-1", "1.5", "99999999999999999999", "١"])
def test_unknown_campaign_is_a_json_404(world, raw_id):
    response = api().get(f"{URL}{raw_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_404_is_translated(world):
    response = api().get(f"{URL}999999/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["message"] == translated("fr", "Not found.")


def test_ended_campaigns_are_public(world):
    campaign = builders.campaign(org=world["organization"], status="closed")
    assert api().get(f"{URL}{campaign.pk}/").json()["status"] == "closed"


def test_detail_query_count_does_not_grow_with_budget_lines_pots_or_donations(world, django_assert_num_queries):
    campaign = builders.campaign(org=world["organization"], where=world["zarzis"])
    open_pot(territories=[world["medenine"]])
    client = api()
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{URL}{campaign.pk}/").status_code == 200
    for index in range(5):
        BudgetLine.objects.create(campaign=campaign, label=f"Ligne {index}", amount=Decimal("10"), position=index + 1)
        open_pot(themes=[], territories=[world["zarzis"]], campaigns=[campaign])
        builders.captured(campaign, "10", "TND", email=f"donor{index}@example.org")
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{URL}{campaign.pk}/").json()
    assert len(body["budget"]) == 6
    assert len(body["matching_pots"]) == 6
