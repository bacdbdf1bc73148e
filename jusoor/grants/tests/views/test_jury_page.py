from __future__ import annotations

import pytest
from django.urls import reverse

from jusoor.grants.models import JurorScore

pytestmark = pytest.mark.django_db


def test_juror_scores_from_the_phone_page_with_htmx(client, scene):
    client.force_login(scene.jurors[0])
    page = client.get(reverse("grants:jury", args=[scene.demo_day.pk]))
    body = page.content.decode()
    assert body.count("hx-post=") == 6  # 3 pitches × 2 criteria
    pitch = scene.pitches[1]
    response = client.post(
        reverse("grants:score", args=[pitch.pk]),
        {"criterion": scene.feasibility.pk, "value": "5"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.startswith('<article class="card mb-3 jury-card" id="pitch-')
    assert 'aria-pressed="true">5</button>' in fragment
    assert JurorScore.objects.get().value == 5


def test_score_outside_the_scale_by_a_crafted_request(client, scene):
    client.force_login(scene.jurors[0])
    pitch = scene.pitches[1]
    response = client.post(
        reverse("grants:score", args=[pitch.pk]), {"criterion": scene.impact.pk, "value": "9"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "Give a score from 1 to 5." in response.content.decode()
    # a criterion of another Demo Day, and no criterion at all
    response = client.post(reverse("grants:score", args=[pitch.pk]), {"criterion": "999999", "value": "3"})
    assert response.status_code == 404
    assert JurorScore.objects.count() == 0


def test_scoring_without_javascript_redirects_back_to_the_pitch(client, scene):
    client.force_login(scene.jurors[0])
    pitch = scene.pitches[1]
    response = client.post(reverse("grants:score", args=[pitch.pk]), {"criterion": scene.impact.pk, "value": "3"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/grants/demo-days/{scene.demo_day.pk}/jury/#pitch-{pitch.pk}")


def test_ranking_page_polls_while_live(client, scene):
    client.force_login(scene.manager)
    body = client.get(reverse("grants:ranking", args=[scene.demo_day.pk])).content.decode()
    assert 'hx-trigger="every 5s"' in body


def test_jury_page_in_arabic_is_right_to_left(client, scene):
    client.force_login(scene.jurors[0])
    body = client.get(reverse("grants:jury", args=[scene.demo_day.pk]).replace("/en/", "/ar/")).content.decode()
    assert '<html lang="ar" dir="rtl">' in body


def test_manager_sets_up_and_opens_a_demo_day(client, scene):
    from jusoor.grants.models import DemoDay, JuryCriterion, Pitch

    client.force_login(scene.manager)
    response = client.post(
        reverse("grants:demo_day_create", args=[scene.programme.pk]),
        {"title": "Demo Day Oujda", "starts_at": "2025-11-20T10:00", "place": "Oujda"},
    )
    demo_day = DemoDay.objects.get(title="Demo Day Oujda")
    setup = reverse("grants:demo_day_setup", args=[demo_day.pk])
    assert response["Location"] == setup
    # opening without pitches or criteria is refused, nothing changes
    response = client.post(setup, {"action": "open"})
    assert response.status_code == 400
    assert "Add at least one pitch and one criterion before opening the scoring." in response.content.decode()
    response = client.post(
        setup,
        {"action": "add_criterion", "label_fr": "Impact", "weight": "2", "scale_min": "1", "scale_max": "0"},
    )
    assert response.status_code == 400
    assert "The highest score must be above the lowest one." in response.content.decode()
    assert JuryCriterion.objects.filter(demo_day=demo_day).count() == 0
    client.post(
        setup, {"action": "add_criterion", "label_fr": "Impact", "weight": "2", "scale_min": "1", "scale_max": "5"}
    )
    Pitch.objects.create(demo_day=demo_day, organization=scene.org, order=1)
    assert client.post(setup, {"action": "open"}).status_code == 302
    demo_day.refresh_from_db()
    assert demo_day.status == "live"
