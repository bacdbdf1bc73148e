from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jusoor.calls.models import Application
from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.incubation.models import Activity, Cohort, CohortMembership
from jusoor.incubation.services.activities import (
    ActivityData,
    activity_cancel,
    activity_mark_held,
    activity_plan,
    activity_update,
)
from jusoor.incubation.services.cohorts import cohort_create_from_selected
from jusoor.incubation.tests.factories import ActivityFactory, ApplicationFactory, CallFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_cohort_takes_the_selected_organisations_once(programme, manager, applicant):
    call = applicant.applications.get().call
    rejected = ApplicationFactory(call=call, status=Application.Status.REJECTED)
    other_call_selected = ApplicationFactory(call=CallFactory(programme=programme))

    cohort = cohort_create_from_selected(programme=programme, acting_user=manager, name="Cohorte 2025", call=call)

    assert list(cohort.memberships.values_list("organization_id", "application__call_id")) == [(applicant.pk, call.pk)]
    assert rejected.organization_id not in cohort.organizations.values_list("pk", flat=True)

    # Again without a call: adds the other call's selected organisation, nobody twice.
    again = cohort_create_from_selected(programme=programme, acting_user=manager, name="Cohorte 2025")
    assert again.pk == cohort.pk
    assert sorted(cohort.memberships.values_list("organization_id", flat=True)) == sorted(
        [applicant.pk, other_call_selected.organization_id]
    )
    assert list(
        AuditEvent.objects.filter(target_type="incubation.cohort").order_by("id").values_list("action", flat=True)
    ) == ["incubation.cohort.created", "incubation.cohort.organizations_added"]


def test_cohort_without_selected_applications_writes_nothing(programme, manager):
    with pytest.raises(ApplicationError) as raised:
        cohort_create_from_selected(programme=programme, acting_user=manager, name="Vide")
    assert raised.value.code == "no_selected_applications"
    assert Cohort.objects.count() == 0
    assert CohortMembership.objects.count() == 0


def _data(**overrides):
    starts = timezone.now() + timedelta(days=10)
    values = {
        "kind": "hackathon",
        "title": "Hackathon Rabat",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=8),
    }
    values.update(overrides)
    return ActivityData(**values)


def test_plan_an_activity(programme, manager, facilitator, morocco):
    activity = activity_plan(
        programme=programme,
        acting_user=manager,
        data=_data(territory=morocco["rabat"], capacity=40, facilitators=[facilitator]),
    )
    assert (activity.status, activity.capacity, activity.territory, activity.created_by) == (
        "planned",
        40,
        morocco["rabat"],
        manager,
    )
    assert list(activity.facilitators.all()) == [facilitator]
    assert len(activity.checkin_token) >= 32
    event = AuditEvent.objects.get(action="incubation.activity.planned")
    assert event.changes["title"] == {"old": None, "new": "Hackathon Rabat"}


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"title": "  "}, "name_required", "title"),
        ({"capacity": 0}, "capacity", "capacity"),
        ({"ends_at": timezone.now()}, "dates", "ends_at"),
    ],
)
def test_bad_activity_writes_nothing(programme, manager, overrides, code, field):
    with pytest.raises(ApplicationError) as raised:
        activity_plan(programme=programme, acting_user=manager, data=_data(**overrides))
    assert (raised.value.code, list(raised.value.extra["fields"])) == (code, [field])
    assert Activity.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_capacity_cannot_drop_below_the_registrations(activity, manager):
    RegistrationFactory.create_batch(2, activity=activity)
    with pytest.raises(ApplicationError) as raised:
        activity_update(activity=activity, acting_user=manager, data=_data(capacity=1))
    assert str(raised.value.message) == "2 people are already registered: the capacity cannot be lower."
    activity.refresh_from_db()
    assert (activity.capacity, activity.title) == (3, "Hackathon Rabat")


def test_cancel_needs_a_reason_then_is_quiet_when_repeated(activity, manager):
    with pytest.raises(ApplicationError):
        activity_cancel(activity=activity, acting_user=manager, reason=" ")
    assert Activity.objects.get().status == "planned"
    activity_cancel(activity=activity, acting_user=manager, reason="Intempéries")
    activity_cancel(activity=activity, acting_user=manager, reason="Encore")
    activity.refresh_from_db()
    assert (activity.status, activity.cancel_reason) == ("cancelled", "Intempéries")
    assert AuditEvent.objects.filter(action="incubation.activity.cancelled").count() == 1
    with pytest.raises(ApplicationError) as raised:
        activity_mark_held(activity=activity, acting_user=manager)
    assert raised.value.code == "invalid_transition"


def test_mark_held_only_once_started(programme, manager):
    future = ActivityFactory(programme=programme)
    with pytest.raises(ApplicationError) as raised:
        activity_mark_held(activity=future, acting_user=manager)
    assert raised.value.code == "dates"
    assert Activity.objects.get().status == "planned"
    past = ActivityFactory(programme=programme, starts_at=timezone.now() - timedelta(hours=2))
    assert activity_mark_held(activity=past, acting_user=manager).status == "held"
