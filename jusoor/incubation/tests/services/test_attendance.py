from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.incubation.models import Activity, Attendance, Feedback, Registration
from jusoor.incubation.services.attendance import (
    attendance_check_in,
    attendance_walk_in,
    feedback_give,
    registration_create,
)
from jusoor.incubation.tests.factories import ActivityFactory, ProgrammeFactory, RegistrationFactory


@pytest.mark.django_db
def test_register_until_full(activity, facilitator, applicant):
    first = registration_create(
        activity=activity,
        acting_user=facilitator,
        name="Salma",
        email="Salma@Amal.ma",
        organization=applicant,
        sex="women",
        age_band="15-24",
    )
    assert (first.email, first.organization, first.sex, first.age_band) == (
        "salma@amal.ma",
        applicant,
        "women",
        "15-24",
    )
    with pytest.raises(ApplicationError) as raised:
        registration_create(activity=activity, acting_user=facilitator, name="Salma B", email="salma@amal.ma")
    assert raised.value.code == "already_registered"
    registration_create(activity=activity, acting_user=facilitator, name="Youssef")
    registration_create(activity=activity, acting_user=facilitator, name="Karim")
    with pytest.raises(ApplicationError) as raised:
        registration_create(activity=activity, acting_user=facilitator, name="Nadia")
    assert (raised.value.code, str(raised.value.message)) == ("activity_full", "This activity is full.")
    assert Registration.objects.count() == 3
    assert AuditEvent.objects.filter(action="incubation.registration.created").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("name", " "), ("sex", "other"), ("age_band", "99")])
def test_bad_registration_writes_nothing(activity, facilitator, field, value):
    values = {"name": "Salma", field: value}
    with pytest.raises(ApplicationError) as raised:
        registration_create(activity=activity, acting_user=facilitator, **values)
    assert list(raised.value.extra["fields"]) == [field]
    assert Registration.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_registrations_for_the_last_seat_one_wins():
    activity = ActivityFactory(programme=ProgrammeFactory(), capacity=1)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def register(name: str) -> None:
        try:
            barrier.wait()
            registration_create(activity=activity, acting_user=None, name=name)
            outcomes.append("ok")
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(name,)) for name in ("Amine", "Hajar")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["activity_full", "ok"]
    assert Registration.objects.filter(activity=activity).count() == 1


@pytest.mark.django_db
def test_check_in_twice_is_a_no_op(activity, facilitator):
    registration = RegistrationFactory(activity=activity)
    attendance, created = attendance_check_in(registration=registration, acting_user=facilitator, method="qr")
    again, created_again = attendance_check_in(registration=registration, acting_user=facilitator, method="sheet")
    assert (created, created_again, again.pk, again.method) == (True, False, attendance.pk, "qr")
    assert Attendance.objects.count() == 1
    assert AuditEvent.objects.filter(action="incubation.attendance.checked_in").count() == 1


@pytest.mark.django_db
def test_no_check_in_at_a_cancelled_activity(activity, facilitator):
    registration = RegistrationFactory(activity=activity)
    Activity.objects.filter(pk=activity.pk).update(status="cancelled")
    with pytest.raises(ApplicationError):
        attendance_check_in(registration=registration, acting_user=facilitator, method="qr")
    with pytest.raises(ApplicationError):
        attendance_walk_in(activity=activity, acting_user=facilitator, name="Walk")
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_feedback_after_the_activity_only(activity, applicant_admin):
    with pytest.raises(ApplicationError) as raised:
        feedback_give(activity=activity, user=applicant_admin, rating=5)
    assert raised.value.code == "not_held"
    Activity.objects.filter(pk=activity.pk).update(
        status="held", starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() - timedelta(hours=20)
    )
    activity.refresh_from_db()
    with pytest.raises(ApplicationError) as raised:
        feedback_give(activity=activity, user=applicant_admin, rating=6)
    assert raised.value.code == "rating"
    assert Feedback.objects.count() == 0
    feedback = feedback_give(activity=activity, user=applicant_admin, rating=4, comment=" Très utile ")
    assert (feedback.user, feedback.rating, feedback.comment, feedback.anonymous) == (
        applicant_admin,
        4,
        "Très utile",
        False,
    )
    with pytest.raises(ApplicationError) as raised:
        feedback_give(activity=activity, user=applicant_admin, rating=3)
    assert raised.value.code == "feedback_twice"
    anonymous = feedback_give(activity=activity, user=applicant_admin, rating=2, anonymous=True)
    assert (anonymous.user, anonymous.anonymous) == (None, True)
    assert Feedback.objects.count() == 2
