from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from jusoor.accounts.tests.factories import UserFactory
from jusoor.campaigns.models import CampaignFollower, CampaignUpdate
from jusoor.campaigns.services.updates import campaign_follow, campaign_unfollow, campaign_update_post
from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.donations.models import Donation

pytestmark = pytest.mark.django_db


def donation(campaign, email, language, status="captured"):
    return Donation.objects.create(
        campaign=campaign,
        reference=f"D{Donation.objects.count() + 1:06d}",
        email=email,
        language=language,
        country_of_residence="FR",
        amount=Decimal("50"),
        currency="TND",
        campaign_amount=Decimal("50"),
        campaign_currency="TND",
        rate=Decimal("1"),
        rate_day=date(2026, 1, 1),
        status=status,
        provider="testpay",
    )


def test_an_update_reaches_followers_and_donors_once_each_in_their_language(
    live, team, django_capture_on_commit_callbacks
):
    follower_ar = UserFactory(email="leila@example.org", preferred_language="ar")
    follower_fr = UserFactory(email="marc@example.org", preferred_language="fr")
    campaign_follow(campaign=live, user=follower_ar)
    campaign_follow(campaign=live, user=follower_fr)
    donation(live, "Leila@example.org", "fr")  # also a follower: her own setting (Arabic) wins
    donation(live, "sami@example.org", "en")
    donation(live, "sami@example.org", "en")
    donation(live, "nadia@example.org", "ar", status="pending")  # nothing received: not a donor yet
    with django_capture_on_commit_callbacks(execute=True):
        update = campaign_update_post(
            campaign=live,
            author=team["member"],
            title="Merci ! Les travaux commencent",
            body="La salle est repeinte.",
            base_url="https://jusoor.example",
        )
    assert CampaignUpdate.objects.get() == update
    assert [(m.to, m.subject.split(" ")[0]) for m in mail.outbox] == [
        (["leila@example.org"], "[جسور]"),
        (["marc@example.org"], "[Jusoor]"),
        (["sami@example.org"], "[Jusoor]"),
    ]
    arabic, french, english = mail.outbox
    assert live.title_ar in arabic.subject and "Merci ! Les travaux commencent" in arabic.subject
    assert live.title_fr in french.subject
    assert f"https://jusoor.example/ar/campaigns/{live.pk}/" in arabic.body
    assert f"https://jusoor.example/fr/campaigns/{live.pk}/" in french.body
    assert f"https://jusoor.example/en/campaigns/{live.pk}/" in english.body
    assert "La salle est repeinte." in english.body
    assert AuditEvent.objects.filter(action="campaigns.update.posted").count() == 1


def test_updates_need_a_public_campaign_and_a_text(draft, live, team):
    with pytest.raises(ApplicationError) as error:
        campaign_update_post(campaign=draft, author=team["owner"], title="Titre", body="Texte")
    assert (error.value.code, str(error.value.message)) == (
        "not_public",
        "This is possible once the campaign is published.",
    )
    with pytest.raises(ApplicationError) as error:
        campaign_update_post(campaign=live, author=team["owner"], title="Titre", body="  ")
    assert str(error.value.message) == "Give the update a title (200 characters at most) and a text."
    assert CampaignUpdate.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_follow_and_unfollow_are_idempotent(live, draft, user):
    campaign_follow(campaign=live, user=user)
    campaign_follow(campaign=live, user=user)
    assert CampaignFollower.objects.filter(campaign=live, user=user).count() == 1
    campaign_unfollow(campaign=live, user=user)
    campaign_unfollow(campaign=live, user=user)
    assert CampaignFollower.objects.count() == 0
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "campaigns.campaign.followed",
        "campaigns.campaign.unfollowed",
    ]
    with pytest.raises(ApplicationError):
        campaign_follow(campaign=draft, user=user)
