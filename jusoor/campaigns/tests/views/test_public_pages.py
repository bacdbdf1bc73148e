from datetime import UTC, datetime, timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jusoor.campaigns.models import CampaignFollower
from jusoor.campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_list_shows_public_campaigns_with_progress(client, live, draft):
    response = client.get("/en/campaigns/")
    html = response.content.decode()
    assert response.status_code == 200
    assert live.title_fr not in html  # English page: the Arabic title is the fallback of the primary language
    assert live.title_ar in html
    assert draft.title_ar not in html
    assert '<progress class="campaign-progress" max="100" value="0"' in html
    assert "1 campaign" in html


def test_list_filters_and_htmx_partial(client, live, campaign_factory, casablanca):
    moroccan = campaign_factory(territory=casablanca, currency="MAD")
    response = client.get("/en/campaigns/?territory=MA-06", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert moroccan.title_ar in html and live.title_ar not in html
    response = client.get("/en/campaigns/?territory=TN-82")
    assert live.title_ar in response.content.decode()


def test_list_refuses_an_unknown_territory(client, live):
    response = client.get("/en/campaigns/?territory=XX-1")
    assert response.status_code == 400
    assert "This territory does not exist." in response.content.decode()


@pytest.mark.parametrize("count", [2, 6])
def test_list_query_count_does_not_grow_with_campaigns(client, campaign_factory, django_assert_num_queries, count):
    for _ in range(count):
        campaign_factory()
    # count, page (raised totals from the ledger in the same query), filter territories, themes
    with django_assert_num_queries(4):
        assert client.get("/en/campaigns/").status_code == 200


def test_detail_page(client, live):
    live.title_en = "A library for the children"
    live.story_en = "Our neighbourhood has no place for children."
    live.save()
    response = client.get(f"/en/campaigns/{live.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="h3 mb-1" dir="auto">A library for the children</h1>' in html
    assert 'class="story" dir="auto">Our neighbourhood has no place for children.' in html
    assert f'href="{reverse("donations:donate", args=[live.pk])}"' in html
    assert "Log in to follow this campaign" in html
    assert "Be the first to give." in html
    assert "(Tunis time)" in html


def test_detail_without_the_donation_page(client, live, monkeypatch):
    def missing(*args, **kwargs):
        raise NoReverseMatch("donations:donate")

    monkeypatch.setattr("jusoor.campaigns.views.base.reverse", missing)
    response = client.get(f"/en/campaigns/{live.pk}/")
    assert response.status_code == 200
    assert ">Donate</a>" not in response.content.decode()


def test_no_donate_button_before_the_start(client, campaign_factory):
    upcoming = campaign_factory(starts_at=timezone.now() + timedelta(days=2))
    html = client.get(f"/en/campaigns/{upcoming.pk}/").content.decode()
    assert ">Donate</a>" not in html
    assert "Donations open on the start date." in html


def test_detail_shows_deadline_in_the_campaign_time_zone(client, campaign_factory, casablanca):
    campaign = campaign_factory(
        territory=casablanca,
        currency="MAD",
        status="succeeded",
        starts_at=datetime(2025, 12, 1, 9, 0, tzinfo=UTC),
        ends_at=datetime(2026, 1, 15, 23, 30, tzinfo=UTC),
        display_timezone="Africa/Casablanca",
    )
    html = client.get(f"/en/campaigns/{campaign.pk}/").content.decode()
    # 23:30 UTC is 00:30 the next day in Casablanca (UTC+1 outside Ramadan).
    assert "16 January 2026 at 00:30 (Casablanca time)" in html
    assert "1 December 2025 at 10:00 (Casablanca time)" in html


def test_drafts_are_hidden_from_the_public(client, draft, user):
    assert client.get(f"/en/campaigns/{draft.pk}/").status_code == 404
    client.force_login(user)
    assert client.get(f"/en/campaigns/{draft.pk}/").status_code == 404


def test_detail_query_count(client, live, django_assert_num_queries):
    CampaignFactory(organization=live.organization, territory=live.territory)
    with django_assert_num_queries(13):
        assert client.get(f"/en/campaigns/{live.pk}/").status_code == 200


def test_follow_with_htmx_swaps_the_button(client, live, user):
    client.force_login(user)
    url = f"/en/campaigns/{live.pk}/follow/"
    response = client.post(url, {"action": "follow"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "campaignFollowChanged"
    assert 'value="unfollow"' in response.content.decode()
    assert CampaignFollower.objects.filter(campaign=live, user=user).exists()
    response = client.post(url, {"action": "unfollow"})
    assert response.status_code == 302
    assert not CampaignFollower.objects.exists()


def test_anonymous_follow_goes_to_login_and_changes_nothing(client, live):
    response = client.post(f"/en/campaigns/{live.pk}/follow/", {"action": "follow"})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert not CampaignFollower.objects.exists()


def test_list_shows_what_the_ledger_holds_for_each_campaign(client, live, campaign_factory):
    from decimal import Decimal

    from jusoor.finance.models import Account
    from jusoor.finance.services import account_get_or_create, ledger_post

    other = campaign_factory()
    funds = account_get_or_create(key=live.funds_account_key, currency="TND", kind=Account.Kind.LIABILITY)
    clearing = account_get_or_create(key="psp:testpay:clearing", currency="TND", kind=Account.Kind.ASSET)
    ledger_post(kind="donation.captured", lines=[(clearing, Decimal("2500")), (funds, Decimal("-2500"))])
    html = client.get("/en/campaigns/").content.decode()
    assert '<progress class="campaign-progress" max="100" value="25"' in html
    assert "TND2,500.000 raised of TND10,000.000" in html
    assert html.count('value="0"') >= 1  # the other campaign has nothing yet
    assert other.title_ar in html
