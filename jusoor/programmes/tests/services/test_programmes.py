import datetime
from decimal import Decimal

import pytest

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.programmes.models import Programme, ProgrammeMember
from jusoor.programmes.services.programmes import (
    programme_activate,
    programme_close,
    programme_create,
    programme_update,
)
from jusoor.programmes.tests.conftest import make_actor

pytestmark = pytest.mark.django_db


def data(operator, **overrides):
    values = {
        "operator": operator,
        "title_fr": "TAMURI",
        "title_ar": "تامري",
        "starts_on": datetime.date(2022, 1, 1),
        "ends_on": datetime.date(2025, 12, 31),
        "currency": "MAD",
        "budget_envelope": Decimal("1900000.00"),
        "grant_minimum": Decimal("20000.00"),
        "grant_maximum": Decimal("100000.00"),
    }
    values.update(overrides)
    return values


def test_an_operator_admin_creates_a_draft_and_joins_its_team(programme, regions, funder):
    admin = make_actor("operator_admin", programme)
    created = programme_create(acting_user=admin, data=data(programme.operator, territories=regions, funders=[funder]))
    assert (created.status, created.title, created.created_by) == ("draft", "TAMURI", admin)
    assert sorted(created.territories.values_list("code", flat=True)) == ["MA-02", "MA-06"]
    assert list(created.team.values_list("user", "role")) == [(admin.pk, "manager")]
    event = AuditEvent.objects.get(action="programmes.programme.created")
    assert (event.actor, event.target_id) == (admin, str(created.pk))
    assert event.changes["budget_envelope"] == {"old": None, "new": "1900000.00"}


def test_a_platform_programme_manager_may_choose_any_operator(programme):
    manager_role = make_actor("programme_manager_role", programme)
    created = programme_create(acting_user=manager_role, data=data(programme.operator))
    assert created.operator == programme.operator


@pytest.mark.parametrize("kind", ["user", "manager", "funder_admin"])
def test_someone_who_does_not_run_the_operator_cannot_create(programme, kind):
    actor = make_actor(kind, programme)
    before = (Programme.objects.count(), ProgrammeMember.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ApplicationError) as error:
        programme_create(acting_user=actor, data=data(programme.operator))
    assert error.value.code == "not_operator_admin"
    assert error.value.extra["fields"] == {"operator": ["The operator must be an organisation you administer."]}
    assert (Programme.objects.count(), ProgrammeMember.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("overrides", "code", "field", "message"),
    [
        (
            {"title_fr": " ", "title_ar": ""},
            "title_required",
            "__all__",
            "Give the programme's title in at least one language.",
        ),
        (
            {"ends_on": datetime.date(2021, 12, 31)},
            "period_invalid",
            "ends_on",
            "The programme must end on or after the day it starts.",
        ),
        ({"currency": "USD"}, "currency_invalid", "currency", "Choose one of these currencies: MAD, TND, EUR."),
        ({"budget_envelope": Decimal("-1")}, "amount_invalid", "budget_envelope", "Enter an amount of zero or more."),
        (
            {"grant_minimum": Decimal("20000.005")},
            "too_many_decimals",
            "grant_minimum",
            "Amounts in MAD have at most 2 decimal places.",
        ),
        ({"grant_minimum": Decimal("0")}, "amount_invalid", "grant_minimum", "Enter an amount greater than zero."),
        (
            {"grant_minimum": Decimal("200000")},
            "grant_range_invalid",
            "grant_minimum",
            "The smallest grant cannot be larger than the largest grant.",
        ),
        (
            {"grant_maximum": Decimal("2000000")},
            "grant_range_invalid",
            "grant_maximum",
            "The largest grant cannot exceed the budget envelope.",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(programme, overrides, code, field, message):
    admin = make_actor("operator_admin", programme)
    before = Programme.objects.count()
    with pytest.raises(ApplicationError) as error:
        programme_create(acting_user=admin, data=data(programme.operator, **overrides))
    assert (error.value.code, error.value.extra["fields"]) == (code, {field: [message]})
    assert Programme.objects.count() == before


def test_update_audits_old_and_new_values(programme, manager):
    programme_update(programme=programme, acting_user=manager, data={"budget_envelope": Decimal("2500000.00")})
    programme.refresh_from_db()
    assert programme.budget_envelope == Decimal("2500000.00")
    event = AuditEvent.objects.get(action="programmes.programme.updated")
    assert event.changes == {"budget_envelope": {"old": "2000000.000", "new": "2500000.00"}}


def test_a_manager_cannot_hand_the_programme_to_an_organisation_they_do_not_run(programme, manager, funder):
    with pytest.raises(ApplicationError) as error:
        programme_update(programme=programme, acting_user=manager, data={"operator": funder})
    assert error.value.code == "not_operator_admin"
    programme.refresh_from_db()
    assert programme.operator != funder


def test_lifecycle_draft_active_closed(programme, manager):
    Programme.objects.filter(pk=programme.pk).update(status="draft")
    assert programme_activate(programme=programme, acting_user=manager).status == "active"
    assert programme_activate(programme=programme, acting_user=manager).status == "active"  # quiet repeat
    assert programme_close(programme=programme, acting_user=manager).status == "closed"
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "changes"))
    assert actions == [
        ("programmes.programme.activated", {"status": {"old": "draft", "new": "active"}}),
        ("programmes.programme.closed", {"status": {"old": "active", "new": "closed"}}),
    ]
    with pytest.raises(ApplicationError) as error:
        programme_activate(programme=programme, acting_user=manager)
    assert error.value.code == "invalid_transition"
    assert str(error.value.message) == "This programme cannot go from “Closed” to “Active”."
    with pytest.raises(ApplicationError):
        programme_update(programme=programme, acting_user=manager, data={"title_fr": "Autre"})
    assert Programme.objects.get(pk=programme.pk).title_fr == "TAMURI"
