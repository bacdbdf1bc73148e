from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from jusoor.accounts.tests.factories import UserFactory
from jusoor.campaigns.selectors.campaigns import (
    campaign_get,
    campaign_public_list,
    organization_campaigns,
    review_queue,
)
from jusoor.campaigns.selectors.readiness import campaign_readiness
from jusoor.campaigns.tests.factories import MunicipalityFactory
from jusoor.campaigns.tests.helpers import make_actor, png, with_documents
from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import Theme
from jusoor.organizations.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(campaign_factory, medenine, casablanca):
    """Campaigns in Medenine (municipality), Djerba (another municipality of TN-82), Casablanca, and a draft."""
    now = timezone.now()
    djerba = MunicipalityFactory(code="5215", name_fr="Djerba Houmet Souk", name_en="Djerba Houmet Souk")
    campaigns = {
        "medenine": campaign_factory(ends_at=now + timedelta(days=20)),
        "djerba": campaign_factory(territory=djerba, ends_at=now + timedelta(days=10)),
        "casablanca": campaign_factory(territory=casablanca, currency="MAD", ends_at=now + timedelta(days=5)),
        "succeeded": campaign_factory(
            status="succeeded", starts_at=now - timedelta(days=40), ends_at=now - timedelta(days=3)
        ),
        "closed": campaign_factory(
            status="closed", starts_at=now - timedelta(days=90), ends_at=now - timedelta(days=30)
        ),
        "draft": campaign_factory(status="draft"),
    }
    campaigns["medenine"].themes.add(ThemeFactory(slug="education"))
    return campaigns


def names(queryset, spread):
    by_pk = {campaign.pk: name for name, campaign in spread.items()}
    return [by_pk[campaign.pk] for campaign in queryset]


def test_public_list_orders_live_by_deadline_then_ended_latest_first(spread, user):
    assert names(campaign_public_list(viewer=user), spread) == [
        "casablanca",
        "djerba",
        "medenine",
        "succeeded",
        "closed",
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "ma"}, ["casablanca"]),
        ({"territory_code": "TN-82"}, ["djerba", "medenine", "succeeded", "closed"]),  # governorate → municipalities
        ({"territory_code": "5215"}, ["djerba"]),
        ({"territory_code": "MA-06"}, ["casablanca"]),  # region → prefecture
        ({"theme": "education"}, ["medenine"]),
        ({"status": "succeeded"}, ["succeeded"]),
    ],
)
def test_public_list_filters(spread, user, filters, expected):
    assert names(campaign_public_list(viewer=user, **filters), spread) == expected


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"country": "DZ"}, "This country is not covered."),
        ({"territory_code": "TN-99"}, "This territory does not exist."),
        ({"theme": "nope"}, "This theme does not exist."),
        ({"status": "draft"}, "This status cannot be listed."),
    ],
)
def test_public_list_refuses_unknown_filters(spread, user, filters, message):
    with pytest.raises(ApplicationError) as error:
        campaign_public_list(viewer=user, **filters)
    assert str(error.value.message) == message


def test_organisation_campaigns_show_drafts_to_the_team_only(spread, organization):
    member = make_actor("member", organization)
    everyone = organization_campaigns(organization=organization, viewer=member)
    assert set(names(everyone, spread)) == set(spread)
    public = organization_campaigns(organization=organization, viewer=UserFactory())
    assert "draft" not in names(public, spread)
    verifier = make_actor("verifier", organization)
    assert "draft" in names(organization_campaigns(organization=organization, viewer=verifier), spread)


def test_campaign_get_hides_drafts_with_a_404(spread, user, organization):
    with pytest.raises(Http404):
        campaign_get(campaign_id=spread["draft"].pk, viewer=user)
    with pytest.raises(Http404):
        campaign_get(campaign_id=999999, viewer=user)
    assert campaign_get(campaign_id=spread["draft"].pk, viewer=make_actor("member", organization))


def test_review_queue_oldest_request_first(campaign_factory, user):
    now = timezone.now()
    late = campaign_factory(status="submitted", status_changed_at=now)
    early = campaign_factory(status="submitted", status_changed_at=now - timedelta(days=2))
    campaign_factory(status="approved")
    assert list(review_queue(viewer=user)) == [early, late]


def test_readiness_follows_the_draft(draft, organization):
    def statuses():
        campaign = campaign_get(campaign_id=draft.pk, viewer=make_actor("owner", organization))
        return {item.key: item.status for item in campaign_readiness(campaign, organization=organization)}

    assert statuses() == {
        "clear_story": "todo",
        "realistic_budget": "todo",
        "images": "todo",
        "diaspora": "todo",
        "updates": "later",
        "legal_documents_current": "todo",
    }
    draft.story_ar = "ق" * 300
    draft.summary_ar = "ملخص"
    draft.summary_fr = "Résumé"
    draft.cover_image.save("c.png", png(), save=False)
    draft.save()
    draft.images.create(image="campaigns/gallery/x.png")
    draft.budget_lines.create(label="Transport", amount=Decimal("100"))
    with_documents(organization)
    assert statuses() == {
        "clear_story": "done",
        "realistic_budget": "done",
        "images": "done",
        "diaspora": "done",
        "updates": "later",
        "legal_documents_current": "done",
    }


def test_readiness_of_a_new_campaign(organization):
    items = campaign_readiness(None, organization=organization)
    assert [(item.key, item.status) for item in items] == [
        ("clear_story", "todo"),
        ("realistic_budget", "todo"),
        ("images", "todo"),
        ("diaspora", "todo"),
        ("updates", "later"),
        ("legal_documents_current", "todo"),
    ]
    assert [item.required for item in items] == [True, True, True, False, False, True]
    assert Theme.objects.count() == 0
