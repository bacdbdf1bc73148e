from __future__ import annotations

import pytest
from django.urls import reverse

from jusoor.incubation.links import registration_checkin_path
from jusoor.incubation.models import Attendance
from jusoor.incubation.tests.factories import ActivityFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_phone_page_lists_registrations_and_checks_in_with_one_tap(client, activity, facilitator):
    salma = RegistrationFactory(activity=activity, name="Salma")
    RegistrationFactory(activity=activity, name="Youssef")
    client.force_login(facilitator)
    url = reverse("incubation:checkin", args=[activity.checkin_token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Salma" in page.content.decode() and "<svg" in page.content.decode()

    response = client.post(url, {"registration": salma.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="registration-{salma.pk}"' in response.content.decode()
    client.post(url, {"registration": salma.pk}, HTTP_HX_REQUEST="true")
    attendance = Attendance.objects.get()
    assert (attendance.registration, attendance.method, attendance.checked_in_by) == (salma, "qr", facilitator)


def test_wrong_token_is_not_found(client, activity, facilitator):
    client.force_login(facilitator)
    assert client.get(reverse("incubation:checkin", args=["not-the-token"])).status_code == 404


def test_registration_of_another_activity_cannot_be_checked_in(client, activity, facilitator, programme):
    stranger = RegistrationFactory(activity=ActivityFactory(programme=programme))
    client.force_login(facilitator)
    response = client.post(reverse("incubation:checkin", args=[activity.checkin_token]), {"registration": stranger.pk})
    assert response.status_code == 404
    assert Attendance.objects.count() == 0


def test_signed_qr_link_checks_in_once(client, activity, facilitator):
    registration = RegistrationFactory(activity=activity, name="Hajar")
    path = registration_checkin_path(registration, activity)
    client.force_login(facilitator)
    assert "Hajar" in client.get(path).content.decode()
    assert Attendance.objects.count() == 0  # a GET only shows who it is
    assert client.post(path).status_code == 302
    assert client.post(path).status_code == 302
    assert Attendance.objects.filter(registration=registration).count() == 1


def test_tampered_qr_link_is_not_found(client, activity, facilitator):
    first = RegistrationFactory(activity=activity)
    second = RegistrationFactory(activity=activity)
    signature = registration_checkin_path(first, activity).rstrip("/").rsplit("/", 1)[1]
    tampered = reverse("incubation:checkin_registration", args=[activity.checkin_token, second.pk, signature])
    other_token = reverse("incubation:checkin_registration", args=["x" * 32, first.pk, signature])
    client.force_login(facilitator)
    assert client.post(tampered).status_code == 404
    assert client.post(other_token).status_code == 404
    assert Attendance.objects.count() == 0


def test_qr_link_needs_a_signed_in_facilitator(client, activity, applicant_admin):
    registration = RegistrationFactory(activity=activity)
    path = registration_checkin_path(registration, activity)
    response = client.post(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(applicant_admin)
    assert client.post(path).status_code == 403
    assert Attendance.objects.count() == 0
