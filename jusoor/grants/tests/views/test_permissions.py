"""Who sees which grants page, and denied actions change nothing. Roles: anonymous, juror, recused juror (member of
the first pitching organisation), manager, the granted organisation's admin, another organisation's admin, coach."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from jusoor.finance.models import EntryGroup
from jusoor.grants.models import Grant, GrantReport, GrantTranche, JurorScore
from jusoor.grants.services.awards import grant_award
from jusoor.grants.services.tranches import grant_tranches_set
from jusoor.grants.tests.factories import PitchFactory
from jusoor.grants.tests.helpers import pdf, sign

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "juror", "recused_juror", "manager", "org_admin", "other_admin", "coach"]


def actor(scene, role):
    return {
        "anonymous": None,
        "juror": scene.jurors[0],
        "recused_juror": scene.jurors[2],
        "manager": scene.manager,
        "org_admin": scene.admin,
        "other_admin": scene.other_admin,
        "coach": scene.coach,
    }[role]


@pytest.fixture
def grant(scene):
    awarded = grant_award(programme=scene.programme, organization=scene.org, amount="60000", acting_user=scene.manager)
    grant_tranches_set(grant=awarded, tranches=[("60000", date(2025, 6, 1))], acting_user=scene.manager)
    return sign(awarded, scene.manager)


PAGES = {
    # page: roles answered 200 (anonymous always goes to the login page; every other role gets 403)
    "programme": {"manager"},
    "award": {"manager"},
    "demo_day_setup": {"manager"},
    "ranking": {"manager"},
    "jury": {"juror", "recused_juror"},
    "detail": {"manager", "org_admin"},
    "schedule": {"manager"},
    "report_submit": {"org_admin"},
}


def url(name, scene, grant):
    if name in {"programme", "award"}:
        return reverse(f"grants:{name}", args=[scene.programme.pk])
    if name in {"demo_day_setup", "ranking", "jury"}:
        return reverse(f"grants:{name}", args=[scene.demo_day.pk])
    return reverse(f"grants:{name}", args=[grant.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_permission_matrix(client, scene, grant, role, page):
    user = actor(scene, role)
    if user:
        client.force_login(user)
    response = client.get(url(page, scene, grant))
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif role in PAGES[page]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_scoring_matrix(client, scene, role):
    user = actor(scene, role)
    if user:
        client.force_login(user)
    pitch = scene.pitches[0]  # the recused juror is a member of its organisation
    response = client.post(
        reverse("grants:score", args=[pitch.pk]),
        {"criterion": scene.impact.pk, "value": "4"},
        HTTP_HX_REQUEST="true",
    )
    expected = {"anonymous": 302, "juror": 200, "recused_juror": 400}.get(role, 403)
    assert response.status_code == expected
    scores = list(JurorScore.objects.values_list("juror_id", "value"))
    assert scores == ([(user.pk, 4)] if role == "juror" else [])
    if role == "recused_juror":
        assert "You are recused from this pitch" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_award_matrix(client, scene, role):
    user = actor(scene, role)
    if user:
        client.force_login(user)
    response = client.post(
        reverse("grants:award", args=[scene.programme.pk]),
        {"organization": scene.pitches[1].organization.pk, "amount": "50000"},
    )
    if role == "manager":
        grant = Grant.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("grants:detail", args=[grant.pk])
        assert grant.amount == Decimal("50000.00")
    else:
        assert response.status_code in {302, 403}
        assert Grant.objects.count() == 0 and EntryGroup.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_release_and_report_matrix(client, scene, grant, role):
    """Only the organisation's admins submit reports; only managers decide and release."""
    user = actor(scene, role)
    if user:
        client.force_login(user)
    tranche = grant.tranches.get()
    response = client.post(
        reverse("grants:report_submit", args=[grant.pk]),
        {
            "tranche": tranche.pk,
            "narrative": "Rapport",
            "spent_amount": "100",
            "financial_statement": pdf(),
            "beneficiaries_direct": "10",
            "beneficiaries_indirect": "0",
        },
    )
    if role == "org_admin":
        assert response.status_code == 302
        assert GrantReport.objects.count() == 1
    else:
        assert response.status_code in {302, 403} and GrantReport.objects.count() == 0
    groups = EntryGroup.objects.count()
    response = client.post(reverse("grants:action", args=[grant.pk]), {"action": "release", "tranche": tranche.pk})
    assert response.status_code == (302 if role in {"manager", "anonymous"} else 403)
    # never released: no approved report
    assert GrantTranche.objects.get().status in {"planned", "requested"}
    assert EntryGroup.objects.count() == groups


def test_htmx_ranking_partial_runs_a_fixed_number_of_queries(client, scene, django_assert_num_queries):
    from jusoor.grants.services.jury import pitch_score

    for juror in scene.jurors[:2]:
        for pitch in scene.pitches:
            pitch_score(pitch=pitch, criterion=scene.impact, value=3, acting_user=juror)
            pitch_score(pitch=pitch, criterion=scene.feasibility, value=4, acting_user=juror)
    client.force_login(scene.manager)
    url = reverse("grants:ranking", args=[scene.demo_day.pk])
    client.get(url, HTTP_HX_REQUEST="true")
    with django_assert_num_queries(12):
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    # (2×3 + 1×4) / 3 = 3.333 for every pitch: all tied at rank 1
    assert body.count("<strong>3.333</strong>") == 3
    assert body.count("Tied with") == 3
    for _ in range(4):  # more pitches and scores: the same number of queries
        pitch = PitchFactory(demo_day=scene.demo_day)
        pitch_score(pitch=pitch, criterion=scene.impact, value=5, acting_user=scene.jurors[0])
    with django_assert_num_queries(12):
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.content.decode().count("(+1 scoring)") == 4


def test_programme_page_lists_grants_without_n_plus_one(client, scene, django_assert_max_num_queries):
    from jusoor.organizations.tests.factories import OrganizationFactory

    for _ in range(5):
        grant_award(
            programme=scene.programme, organization=OrganizationFactory(), amount="20000", acting_user=scene.manager
        )
    client.force_login(scene.manager)
    url = reverse("grants:programme", args=[scene.programme.pk])
    with django_assert_max_num_queries(14) as five:
        client.get(url)
    for _ in range(5):
        grant_award(
            programme=scene.programme, organization=OrganizationFactory(), amount="20000", acting_user=scene.manager
        )
    with django_assert_max_num_queries(len(five)):
        response = client.get(url)
    # ten grants, plus the smallest grant in the envelope box
    assert response.content.decode().count("MAD20,000.00") == 11
