"""The matching pots API: the public list and detail (what is left from the ledger), and opening a pot (finance
officers and platform administrators; idempotent). Every refusal checks that nothing was written."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

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
    open_pot,
    translated,
)
from jusoor.common.models import AuditEvent
from jusoor.donations.models import MatchingPot
from jusoor.donations.tests import builders
from jusoor.finance.models import EntryGroup

pytestmark = pytest.mark.django_db

URL = "/api/v1/matching-pots/"
NOT_FOUND = {"code": "not_found", "message": "Not found.", "extra": {}}


@pytest.fixture
def world(db) -> dict[str, Any]:
    world = make_world()
    world["campaign"] = builders.campaign(org=world["organization"], where=world["zarzis"])
    return world


def snapshot() -> tuple[int, int, int]:
    return MatchingPot.objects.count(), EntryGroup.objects.count(), AuditEvent.objects.count()


def create_payload(world: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Ramadan : chaque dinar doublé",
        "sponsor_name": "Fondation Ibn Khaldoun",
        "sponsor_organisation": world["organization"].pk,
        "currency": "TND",
        "total": "5000.000",
        "ratio": "1.5",
        "cap_per_donation": "100",
        "cap_per_donor": "250.500",
        "valid_from": "2030-03-01T00:00:00+01:00",
        "valid_until": "2030-03-31T00:00:00+01:00",
        "territories": ["TN-82"],
        "themes": ["education", "health"],
        "campaigns": [world["campaign"].pk],
    }
    values.update(overrides)
    return values


def post(user: Any, body: dict[str, Any], *, key: str | None = None, lang: str = "en"):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return api(user).post(URL, body, format="json", **headers)


# --- Reading ------------------------------------------------------------------------------------------------------


def test_list_item_with_what_is_left_from_the_ledger(world):
    pot = open_pot(
        total="1000",
        ratio=Decimal("2"),
        cap_per_donation=Decimal("150"),
        sponsor_organization=world["organization"],
        territories=[world["medenine"]],
        themes=[world["health"]],
        campaigns=[world["campaign"]],
    )
    world["campaign"].themes.set([world["health"]])
    builders.captured(world["campaign"], "50", "TND")  # matched 2 × 50 = 100

    response = api().get(URL)

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "PaginatedMatchingPotOutputList")
    assert body == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": pot.pk,
                "name": "Ramadan : chaque dinar doublé",
                "sponsor": {"name": "Fondation Ibn Khaldoun", "organisation": world["organization"].pk},
                "currency": "TND",
                "total": "1000.000",
                "available": "900.000",
                "ratio": "2.000",
                "cap_per_donation": "150.000",
                "cap_per_donor": None,
                "valid_from": iso(pot.valid_from),
                "valid_until": iso(pot.valid_until),
                "is_active": True,
                "eligible": {"territories": ["TN-82"], "themes": ["health"], "campaigns": [world["campaign"].pk]},
            }
        ],
    }


def test_the_list_shows_running_and_upcoming_pots_soonest_end_first(world):
    now = timezone.now()
    running = open_pot(valid_until=now + timedelta(days=10))
    upcoming = open_pot(valid_from=now + timedelta(days=5), valid_until=now + timedelta(days=20))
    ended = open_pot(valid_from=now - timedelta(days=10), valid_until=now - timedelta(seconds=1))
    withdrawn = open_pot()
    MatchingPot.objects.filter(pk=withdrawn.pk).update(is_active=False)

    ids = [item["id"] for item in api().get(URL).json()["results"]]

    assert ids == [running.pk, upcoming.pk]
    for pot in (ended, withdrawn):  # still readable one by one
        assert api().get(f"{URL}{pot.pk}/").status_code == 200


def test_detail(world):
    pot = open_pot(currency="EUR", total="500")
    response = api().get(f"{URL}{pot.pk}/")
    assert response.status_code == 200
    assert_matches_schema(response.json(), "MatchingPotOutput")
    assert response.json()["available"] == "500.00"
    assert response.json()["eligible"] == {"territories": [], "themes": [], "campaigns": []}


@pytest.mark.parametrize("raw_id", ["999999", "abc", "0x1"])
def test_unknown_pot_is_a_json_404(world, raw_id):
    response = api().get(f"{URL}{raw_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_list_query_count_does_not_grow_with_the_pots(world, django_assert_num_queries):
    """A count, the page (with what is left, from the ledger) and one query per eligibility list."""
    open_pot(territories=[world["medenine"]])
    client = api()
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    assert len(one.captured_queries) == 5
    for _index in range(6):
        open_pot(territories=[world["zarzis"]], themes=[world["health"]], campaigns=[world["campaign"]])
    with django_assert_num_queries(5):
        assert len(client.get(URL).json()["results"]) == 7


# --- Opening a pot ------------------------------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("anonymous", 401, NOT_AUTHENTICATED),
        ("user", 403, PERMISSION_DENIED),
        ("member", 403, PERMISSION_DENIED),
        ("admin", 403, PERMISSION_DENIED),
        ("owner", 403, PERMISSION_DENIED),
        ("verifier", 403, PERMISSION_DENIED),
        ("finance_officer_without_2fa", 403, TWO_FACTOR_REQUIRED),
        ("finance_officer", 201, None),
        ("platform_admin", 201, None),
    ],
)
def test_who_may_open_a_pot(world, role, status, expected):
    user = make_person(role, world["organization"])
    before = snapshot()

    response = post(user, create_payload(world))

    assert response.status_code == status
    if expected is not None:
        assert response.json() == expected
        assert snapshot() == before
        return
    pot = MatchingPot.objects.get()
    assert pot.created_by == user
    assert pot.opening_group_id is not None
    assert response.json()["id"] == pot.pk


def test_opening_a_pot_books_the_commitment(world):
    finance = make_person("finance_officer", world["organization"])

    response = post(finance, create_payload(world))

    assert response.status_code == 201
    pot = MatchingPot.objects.get()
    body = response.json()
    assert_matches_schema(body, "MatchingPotOutput")
    assert body == {
        "id": pot.pk,
        "name": "Ramadan : chaque dinar doublé",
        "sponsor": {"name": "Fondation Ibn Khaldoun", "organisation": world["organization"].pk},
        "currency": "TND",
        "total": "5000.000",
        "available": "5000.000",
        "ratio": "1.500",
        "cap_per_donation": "100.000",
        "cap_per_donor": "250.500",
        "valid_from": iso(pot.valid_from),
        "valid_until": iso(pot.valid_until),
        "is_active": True,
        "eligible": {"territories": ["TN-82"], "themes": ["education", "health"], "campaigns": [world["campaign"].pk]},
    }
    assert iso(pot.valid_from) == "2030-03-01T00:00:00+01:00"
    assert EntryGroup.objects.get(pk=pot.opening_group_id).kind == "match.pot_opened"
    assert AuditEvent.objects.filter(action="donations.matching_pot.opened").count() == 1


def test_only_the_required_fields(world):
    finance = make_person("finance_officer", world["organization"])
    body = {
        "name": "Pot",
        "sponsor_name": "Mécène",
        "currency": "EUR",
        "total": "100",
        "valid_from": "2030-03-01T00:00:00Z",
        "valid_until": "2030-04-01T00:00:00Z",
    }
    response = post(finance, body)
    assert response.status_code == 201
    assert response.json()["ratio"] == "1.000"
    assert response.json()["sponsor"] == {"name": "Mécène", "organisation": None}
    assert response.json()["cap_per_donation"] is None


@pytest.mark.parametrize(
    ("overrides", "code", "message", "fields"),
    [
        ({"total": "0"}, "amount_invalid", "Enter an amount greater than zero.", {"total": "same"}),
        ({"total": "-100"}, "amount_invalid", "Enter an amount greater than zero.", {"total": "same"}),
        ({"total": "10.0001"}, "too_many_decimals", "TND amounts have at most 3 decimals.", {"total": "same"}),
        (
            {"currency": "GBP"},
            "unsupported_currency",
            "Donations in GBP are not accepted. Choose one of: TND, MAD, EUR, USD, CAD.",
            {"currency": ["This currency is not accepted."]},
        ),
        ({"ratio": "0"}, "matching_pot_invalid", "Ratio and caps must be greater than zero.", None),
        ({"cap_per_donor": "-1"}, "matching_pot_invalid", "Ratio and caps must be greater than zero.", None),
        (
            {"valid_until": "2030-02-01T00:00:00+01:00"},
            "matching_pot_invalid",
            "The pot must end after it starts.",
            None,
        ),
        (
            {"currency": "EUR", "total": "100", "cap_per_donation": "10.005"},
            "invalid",
            "The request is not valid.",
            {"cap_per_donation": ["EUR amounts have at most 2 decimals."]},
        ),
        (
            {"territories": ["TN-82", "XX-1", "XX-2"]},
            "invalid",
            "The request is not valid.",
            {"territories": ["Unknown territory codes: XX-1, XX-2."]},
        ),
        (
            {"themes": ["astronomy"]},
            "invalid",
            "The request is not valid.",
            {"themes": ["Unknown themes: astronomy."]},
        ),
        (
            {"campaigns": [999999]},
            "invalid",
            "The request is not valid.",
            {"campaigns": ["Unknown campaigns: 999999."]},
        ),
        (
            {"sponsor_organisation": 999999},
            "invalid",
            "The request is not valid.",
            {"sponsor_organisation": ["This organisation does not exist."]},
        ),
        (
            {"valid_from": "tomorrow"},
            "invalid",
            "The request is not valid.",
            {
                "valid_from": [
                    "Datetime has wrong format. Use one of these formats instead: "
                    "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                ]
            },
        ),
        ({"is_active": False}, "invalid", "The request is not valid.", {"is_active": ["This field does not exist."]}),
    ],
)
def test_bad_input_writes_nothing(world, overrides, code, message, fields):
    finance = make_person("finance_officer", world["organization"])
    before = snapshot()

    response = post(finance, create_payload(world, **overrides))

    assert response.status_code == 400
    expected: dict[str, Any] = {"code": code, "message": message, "extra": {}}
    if fields is not None:
        expected["extra"]["fields"] = {name: [message] if value == "same" else value for name, value in fields.items()}
    assert response.json() == expected
    assert snapshot() == before


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_errors_are_translated(world, language):
    finance = make_person("finance_officer", world["organization"])
    response = post(finance, create_payload(world, ratio="0"), lang=language)
    assert response.json()["message"] == translated(language, "Ratio and caps must be greater than zero.")
    response = post(finance, create_payload(world, campaigns=[999999]), lang=language)
    assert response.json()["extra"]["fields"]["campaigns"] == [
        translated(language, "Unknown campaigns: %(codes)s.", codes="999999")
    ]


# --- Idempotency --------------------------------------------------------------------------------------------------


def test_the_same_key_and_body_open_one_pot(world):
    finance = make_person("finance_officer", world["organization"])
    first = post(finance, create_payload(world), key="pot-2030-ramadan")
    after_first = snapshot()
    again = post(finance, create_payload(world), key="pot-2030-ramadan")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert snapshot() == after_first
    assert MatchingPot.objects.count() == 1


def test_the_same_key_with_another_body_is_a_409(world):
    finance = make_person("finance_officer", world["organization"])
    post(finance, create_payload(world), key="pot-1")
    before = snapshot()
    response = post(finance, create_payload(world, total="6000"), key="pot-1")
    assert response.status_code == 409
    assert response.json() == {
        "code": "idempotency_key_reused",
        "message": "This idempotency key was already used for a different request.",
        "extra": {},
    }
    assert snapshot() == before


def test_keys_belong_to_their_user(world):
    first = make_person("finance_officer", world["organization"])
    second = make_person("platform_admin", world["organization"])
    assert post(first, create_payload(world), key="same-key").status_code == 201
    assert post(second, create_payload(world, total="10"), key="same-key").status_code == 201
    assert MatchingPot.objects.count() == 2


def test_a_failed_request_does_not_use_up_the_key(world):
    finance = make_person("finance_officer", world["organization"])
    assert post(finance, create_payload(world, ratio="0"), key="pot-3").status_code == 400
    assert post(finance, create_payload(world), key="pot-3").status_code == 201


def test_a_denied_request_with_a_key_writes_nothing(world):
    user = make_person("user", world["organization"])
    before = snapshot()
    assert post(user, create_payload(world), key="pot-4").status_code == 403
    assert snapshot() == before
