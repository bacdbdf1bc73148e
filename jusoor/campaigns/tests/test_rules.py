"""Permission matrix: every actor × every campaign permission; visibility by status."""

import pytest

from jusoor.campaigns.models import Campaign
from jusoor.campaigns.tests.helpers import make_actor

ACTORS = ["anonymous", "user", "member", "admin", "owner", "verifier", "moderator", "platform_admin", "finance_officer"]
OWN, A, M, V, X, F, U = "owner", "admin", "member", "verifier", "platform_admin", "finance_officer", "user"
MOD = "moderator"
TEAM_ADMINS = {OWN, A}
PERMISSIONS = {
    "campaigns.change_campaign": TEAM_ADMINS,
    "campaigns.submit_campaign": TEAM_ADMINS,
    "campaigns.review_campaign": {V, MOD, X},
    "campaigns.publish_campaign": TEAM_ADMINS | {V, MOD, X},
    "campaigns.post_update": TEAM_ADMINS | {M},
    "campaigns.follow_campaign": {U, M, A, OWN, V, MOD, X, F},
    "campaigns.view_campaign_dashboard": TEAM_ADMINS | {X, F},
    "campaigns.report_campaign": TEAM_ADMINS,
    "campaigns.close_campaign": {V, MOD, X},
    "campaigns.view_campaign": set(ACTORS),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ACTORS)
@pytest.mark.parametrize("permission", list(PERMISSIONS))
def test_permission_matrix_on_a_live_campaign(live, organization, kind, permission):
    actor = make_actor(kind, organization)
    assert actor.has_perm(permission, live) is (kind in PERMISSIONS[permission])


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ACTORS)
def test_adding_a_campaign_is_for_the_organisation_admins(organization, kind):
    actor = make_actor(kind, organization)
    assert actor.has_perm("campaigns.add_campaign", organization) is (kind in TEAM_ADMINS)


@pytest.mark.django_db
@pytest.mark.parametrize("status", Campaign.Status.values)
@pytest.mark.parametrize("kind", ACTORS)
def test_who_sees_a_campaign_by_status(campaign_factory, organization, status, kind):
    campaign = campaign_factory(status=status)
    actor = make_actor(kind, organization)
    expected = status in Campaign.PUBLIC_STATUSES or kind in {M, A, OWN, V, MOD, X}
    assert actor.has_perm("campaigns.view_campaign", campaign) is expected
    # Following needs an account and a public campaign.
    assert actor.has_perm("campaigns.follow_campaign", campaign) is (
        status in Campaign.PUBLIC_STATUSES and kind != "anonymous"
    )


@pytest.mark.django_db
def test_another_organisations_admin_has_no_rights(live, campaign_factory):
    from jusoor.organizations.tests.factories import OrganizationFactory

    other = OrganizationFactory()
    stranger = make_actor("owner", other)
    assert not stranger.has_perm("campaigns.change_campaign", live)
    assert not stranger.has_perm("campaigns.post_update", live)
    assert not stranger.has_perm("campaigns.view_campaign_dashboard", live)
