"""Roles × pages: who gets the page, who gets 403, who is sent to log in, and who does not even see the campaign
(404). A refused action changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jusoor.campaigns.models import Campaign, CampaignUpdate
from jusoor.campaigns.tests.helpers import make_actor
from jusoor.common.models import AuditEvent

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "user", "member", "admin", "owner", "verifier", "platform_admin", "finance_officer"]
LOGIN, OK, DENIED, HIDDEN, DONE = "login", 200, 403, 404, 302


def expect(**by_role):
    default = by_role.pop("others")
    return {role: by_role.get(role, default) for role in ROLES}


# (name, campaign status, method, path, data, expected per role)
PAGES = [
    (
        "create",
        None,
        "get",
        "/en/campaigns/organisation/{org}/new/",
        None,
        expect(anonymous=LOGIN, admin=OK, owner=OK, others=DENIED),
    ),
    (
        "edit draft",
        "draft",
        "get",
        "/en/campaigns/{pk}/edit/",
        None,
        expect(anonymous=HIDDEN, user=HIDDEN, finance_officer=HIDDEN, admin=OK, owner=OK, others=DENIED),
    ),
    (
        "edit live",
        "live",
        "get",
        "/en/campaigns/{pk}/edit/",
        None,
        expect(anonymous=LOGIN, admin=OK, owner=OK, others=DENIED),
    ),
    (
        "images",
        "live",
        "get",
        "/en/campaigns/{pk}/images/",
        None,
        expect(anonymous=LOGIN, admin=OK, owner=OK, others=DENIED),
    ),
    (
        "dashboard",
        "live",
        "get",
        "/en/campaigns/{pk}/dashboard/",
        None,
        expect(anonymous=LOGIN, admin=OK, owner=OK, platform_admin=OK, finance_officer=OK, others=DENIED),
    ),
    (
        "post update page",
        "live",
        "get",
        "/en/campaigns/{pk}/updates/new/",
        None,
        expect(anonymous=LOGIN, member=OK, admin=OK, owner=OK, others=DENIED),
    ),
    (
        "report",
        "disbursed",
        "get",
        "/en/campaigns/{pk}/report/",
        None,
        expect(anonymous=LOGIN, admin=OK, owner=OK, others=DENIED),
    ),
    (
        "review",
        "submitted",
        "get",
        "/en/campaigns/{pk}/review/",
        None,
        expect(anonymous=HIDDEN, user=HIDDEN, finance_officer=HIDDEN, verifier=OK, platform_admin=OK, others=DENIED),
    ),
    (
        "review queue",
        None,
        "get",
        "/en/campaigns/review/",
        None,
        expect(anonymous=LOGIN, verifier=OK, platform_admin=OK, others=DENIED),
    ),
    (
        "public page of a draft",
        "draft",
        "get",
        "/en/campaigns/{pk}/",
        None,
        expect(anonymous=HIDDEN, user=HIDDEN, finance_officer=HIDDEN, others=OK),
    ),
    ("organisation's campaigns", None, "get", "/en/campaigns/organisation/{org}/", None, expect(others=OK)),
]


def run(client, organization, campaign, method, path, data):
    url = path.format(org=organization.pk, pk=campaign.pk if campaign else 0)
    return getattr(client, method)(url, data or {})


def outcome(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "status", "method", "path", "data", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_matrix(client, organization, campaign_factory, role, name, status, method, path, data, expected):
    campaign = campaign_factory(status=status) if status else None
    actor = make_actor(role, organization)
    if role != "anonymous":
        client.force_login(actor)
    assert outcome(run(client, organization, campaign, method, path, data)) == expected[role]


# (name, status before, path, data, status after, expected per role)
ACTIONS = [
    (
        "submit",
        "draft",
        "/en/campaigns/{pk}/dashboard/",
        {"action": "submit"},
        "submitted",
        expect(anonymous=HIDDEN, user=HIDDEN, finance_officer=HIDDEN, admin=DONE, owner=DONE, others=DENIED),
    ),
    (
        "publish by the team",
        "approved",
        "/en/campaigns/{pk}/dashboard/",
        {"action": "publish"},
        "live",
        # A platform administrator sees the dashboard and is a reviewer: they may publish from there too.
        expect(
            anonymous=HIDDEN,
            user=HIDDEN,
            finance_officer=HIDDEN,
            admin=DONE,
            owner=DONE,
            platform_admin=DONE,
            others=DENIED,
        ),
    ),
    (
        "publish by a reviewer",
        "approved",
        "/en/campaigns/{pk}/review/",
        {"action": "publish"},
        "live",
        expect(
            anonymous=HIDDEN, user=HIDDEN, finance_officer=HIDDEN, verifier=DONE, platform_admin=DONE, others=DENIED
        ),
    ),
    (
        "ask for changes",
        "submitted",
        "/en/campaigns/{pk}/review/",
        {"action": "request_changes", "comment": "Ajoutez des photos."},
        "changes_requested",
        expect(
            anonymous=HIDDEN, user=HIDDEN, finance_officer=HIDDEN, verifier=DONE, platform_admin=DONE, others=DENIED
        ),
    ),
    (
        "close",
        "failed",
        "/en/campaigns/{pk}/review/",
        {"action": "close"},
        "closed",
        expect(anonymous=LOGIN, verifier=DONE, platform_admin=DONE, others=DENIED),
    ),
    (
        "final report",
        "disbursed",
        "/en/campaigns/{pk}/report/",
        {"final_report": "Fait."},
        "reporting",
        expect(anonymous=LOGIN, admin=DONE, owner=DONE, others=DENIED),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "before", "path", "data", "after", "expected"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_action_matrix(client, organization, campaign_factory, role, name, before, path, data, after, expected):
    campaign = campaign_factory(status=before, starts_at=timezone.now() - timedelta(hours=1))
    snapshot = Campaign.objects.values().get(pk=campaign.pk)
    actor = make_actor(role, organization)
    if role != "anonymous":
        client.force_login(actor)
    assert outcome(client.post(path.format(pk=campaign.pk), data)) == expected[role]
    campaign.refresh_from_db()
    if expected[role] == DONE:
        assert campaign.status == after
        assert AuditEvent.objects.filter(target_type="campaigns.campaign", target_id=str(campaign.pk)).count() == 1
    else:
        assert Campaign.objects.values().get(pk=campaign.pk) == snapshot
        assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("role", ["anonymous", "user", "verifier", "platform_admin", "finance_officer"])
def test_only_the_team_posts_updates(client, organization, live, role):
    actor = make_actor(role, organization)
    if role != "anonymous":
        client.force_login(actor)
    response = client.post(f"/en/campaigns/{live.pk}/updates/new/", {"title": "Nouvelles", "body": "Texte"})
    assert outcome(response) == (LOGIN if role == "anonymous" else DENIED)
    assert CampaignUpdate.objects.count() == 0


def test_staff_without_two_factor_are_sent_to_set_it_up(client, organization, live):
    from jusoor.accounts.models import Role
    from jusoor.accounts.tests.factories import RoleGrantFactory

    finance = RoleGrantFactory(role=Role.FINANCE_OFFICER).user
    client.force_login(finance)
    response = client.get(f"/en/campaigns/{live.pk}/dashboard/")
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"
