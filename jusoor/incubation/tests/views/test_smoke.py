"""Every page renders in Arabic (right to left) for someone allowed to see it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from jusoor.incubation.links import feedback_path, registration_checkin_path
from jusoor.incubation.models import LocalTeamMember
from jusoor.incubation.tests.factories import CoachingSessionFactory, LocalTeamFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_pages_render_in_arabic(
    client, programme, manager, coach, cohort, activity, assignment, applicant, applicant_admin, morocco
):
    registration = RegistrationFactory(activity=activity, organization=applicant, name="سلمى")
    session = CoachingSessionFactory(programme=programme, coach=coach, organization=applicant, topics="خطة العمل")
    team = LocalTeamFactory(programme=programme, territory=morocco["rabat"])
    LocalTeamMember.objects.create(team=team, user=coach, name="Coach", role="coach")
    with translation.override("ar"):
        pages = {
            manager: [
                reverse("incubation:activity_list", args=[programme.pk]),
                reverse("incubation:activity_create", args=[programme.pk]),
                reverse("incubation:activity_detail", args=[activity.pk]),
                reverse("incubation:activity_update", args=[activity.pk]),
                reverse("incubation:qr_codes", args=[activity.pk]),
                reverse("incubation:checkin", args=[activity.checkin_token]),
                registration_checkin_path(registration, activity),
                reverse("incubation:cohort_list", args=[programme.pk]),
                reverse("incubation:cohort_detail", args=[cohort.pk]),
                reverse("incubation:coaching", args=[programme.pk]),
                reverse("incubation:session_detail", args=[session.pk]),
                reverse("incubation:timeline", args=[applicant.pk]),
                reverse("incubation:local_team_list", args=[programme.pk]),
                reverse("incubation:local_team_detail", args=[team.pk]),
                feedback_path(activity),
            ],
            coach: [
                reverse("incubation:session_log", args=[assignment.pk]),
                reverse("incubation:local_team_detail", args=[team.pk]),
            ],
            applicant_admin: [
                reverse("incubation:sessions_to_confirm"),
                reverse("incubation:session_detail", args=[session.pk]),
            ],
        }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert 'dir="rtl"' in response.content.decode(), url
    client.force_login(applicant_admin)
    assert "خطة العمل" in client.get(reverse("incubation:sessions_to_confirm")).content.decode()
