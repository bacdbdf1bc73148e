"""The incubation metrics, with hand-counted expected values."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from jusoor.incubation.models import Attendance
from jusoor.incubation.tests.factories import (
    ActivityFactory,
    CoachingSessionFactory,
    LocalTeamFactory,
    RegistrationFactory,
)
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.programmes.metrics import get_metric

pytestmark = pytest.mark.django_db
CASABLANCA = ZoneInfo("Africa/Casablanca")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=CASABLANCA)


@pytest.fixture
def activities(programme, morocco):
    """Held: Rabat (1 Mar), Agadir (5 Mar), no territory (20 Mar); held after the day (1 Apr); cancelled; planned."""
    held = [
        ActivityFactory(
            programme=programme,
            kind="hackathon",
            territory=morocco["rabat"],
            status="held",
            starts_at=_at(date(2026, 3, 1)),
        ),
        ActivityFactory(
            programme=programme,
            kind="bootcamp",
            territory=morocco["agadir"],
            status="held",
            starts_at=_at(date(2026, 3, 5)),
        ),
        ActivityFactory(
            programme=programme, kind="masterclass", territory=None, status="held", starts_at=_at(date(2026, 3, 20))
        ),
    ]
    ActivityFactory(
        programme=programme,
        kind="masterclass",
        territory=morocco["rabat"],
        status="held",
        starts_at=_at(date(2026, 4, 1)),
    )
    ActivityFactory(
        programme=programme, territory=morocco["rabat"], status="cancelled", starts_at=_at(date(2026, 3, 2))
    )
    ActivityFactory(programme=programme, territory=morocco["rabat"], starts_at=_at(date(2026, 3, 3)))
    ActivityFactory(territory=morocco["rabat"], status="held", starts_at=_at(date(2026, 3, 1)))  # another programme
    return held


def test_events_held(programme, activities, morocco):
    value = get_metric("events_held").compute(programme, date(2026, 3, 31))
    assert value.total == Decimal(3)
    assert value.by_region == {morocco["rabat_region"].pk: Decimal(1), morocco["souss"].pk: Decimal(1)}
    assert value.breakdowns == {"kind": {"bootcamp": Decimal(1), "hackathon": Decimal(1), "masterclass": Decimal(1)}}
    assert get_metric("events_held").compute(programme, date(2026, 3, 4)).total == Decimal(1)


def test_participants_with_sex_and_age_band(programme, activities, morocco):
    rabat, agadir, online = activities
    people = [
        (rabat, "women", "15-24"),
        (rabat, "women", "25-34"),
        (rabat, "men", "15-24"),
        (agadir, "men", ""),
        (online, "", "35-54"),
    ]
    for activity, sex, age_band in people:
        registration = RegistrationFactory(activity=activity, sex=sex, age_band=age_band)
        Attendance.objects.create(
            activity=activity, registration=registration, checked_in_at=activity.starts_at, method="qr"
        )
    RegistrationFactory(activity=rabat, sex="women")  # registered, never came
    Attendance.objects.create(
        activity=agadir, name="Walk-in", sex="women", age_band="55+", checked_in_at=agadir.starts_at, method="sheet"
    )

    value = get_metric("participants").compute(programme, date(2026, 3, 31))
    assert value.total == Decimal(6)
    assert value.by_region == {morocco["rabat_region"].pk: Decimal(3), morocco["souss"].pk: Decimal(2)}
    assert value.breakdowns == {
        "sex": {"women": Decimal(3), "men": Decimal(2), "unknown": Decimal(1)},
        "age_band": {
            "15-24": Decimal(2),
            "25-34": Decimal(1),
            "35-54": Decimal(1),
            "55+": Decimal(1),
            "unknown": Decimal(1),
        },
    }


def test_coaching_metrics_count_confirmed_sessions_only(programme, coach, morocco):
    rabat_org = OrganizationFactory(country="MA", territory=morocco["rabat"])
    second_rabat_org = OrganizationFactory(country="MA", territory=morocco["rabat_prefecture"])
    agadir_org = OrganizationFactory(country="MA", territory=morocco["agadir"])
    team = LocalTeamFactory(programme=programme, territory=morocco["agadir"])
    day = date(2026, 3, 10)
    for organization, minutes, modality in (
        (rabat_org, 90, "in_person"),
        (rabat_org, 45, "online"),
        (second_rabat_org, 60, "phone"),
        (agadir_org, 100, "in_person"),
    ):
        CoachingSessionFactory(
            programme=programme,
            coach=coach,
            organization=organization,
            date=day,
            duration_minutes=minutes,
            modality=modality,
            status="confirmed",
        )
    CoachingSessionFactory(
        programme=programme,
        coach=coach,
        organization=None,
        local_team=team,
        date=day,
        duration_minutes=120,
        modality="in_person",
        status="confirmed",
    )
    CoachingSessionFactory(programme=programme, coach=coach, organization=agadir_org, date=day, status="logged")
    CoachingSessionFactory(programme=programme, coach=coach, organization=agadir_org, date=day, status="disputed")
    CoachingSessionFactory(
        programme=programme, coach=coach, organization=agadir_org, date=day + timedelta(days=30), status="confirmed"
    )

    until = date(2026, 3, 31)
    rabat_region, souss = morocco["rabat_region"].pk, morocco["souss"].pk
    sessions = get_metric("coaching_sessions").compute(programme, until)
    assert sessions.total == Decimal(5)
    assert sessions.by_region == {rabat_region: Decimal(3), souss: Decimal(2)}
    assert sessions.breakdowns == {"modality": {"in_person": Decimal(3), "online": Decimal(1), "phone": Decimal(1)}}

    hours = get_metric("coaching_hours").compute(programme, until)
    # 90 + 45 + 60 + 100 + 120 = 415 minutes = 6.9166… hours; Rabat 195 min = 3.25 h; Souss 220 min = 3.666… h
    assert hours.total == Decimal("6.92")
    assert hours.by_region == {rabat_region: Decimal("3.25"), souss: Decimal("3.67")}

    coached = get_metric("organisations_coached").compute(programme, until)
    assert coached.total == Decimal(3)
    assert coached.by_region == {rabat_region: Decimal(2), souss: Decimal(1)}
