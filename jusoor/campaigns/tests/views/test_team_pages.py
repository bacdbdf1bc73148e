from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jusoor.campaigns.models import BudgetLine, Campaign, CampaignImage
from jusoor.campaigns.tests.helpers import make_actor, png, with_documents
from jusoor.common.models import AuditEvent
from jusoor.organizations.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    start = timezone.localdate() + timedelta(days=1)
    data = {
        "title_ar": "فضاء لعب لأطفال مدنين",
        "title_fr": "Un espace de jeu",
        "title_en": "",
        "summary_fr": "Un lieu sûr pour 120 enfants.",
        "primary_language": "ar",
        "funding_model": "all_or_nothing",
        "territory": "5211",
        "currency": "TND",
        "goal": "",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=30)).isoformat(),
        "display_timezone": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-label": "Mobilier",
        "lines-0-amount": "7250.500",
        "lines-1-label": "Livres",
        "lines-1-amount": "2750",
        "lines-2-label": "",
        "lines-2-amount": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def owner(client, organization, medenine):
    user = make_actor("owner", organization)
    client.force_login(user)
    return user


def test_create_a_campaign_from_the_form(client, organization, owner):
    theme = ThemeFactory()
    response = client.post(f"/en/campaigns/organisation/{organization.pk}/new/", form_data(themes=[theme.pk]))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/campaigns/{campaign.pk}/dashboard/"
    assert (campaign.status, campaign.goal, campaign.display_timezone) == (
        "draft",
        Decimal("10000.500"),
        "Africa/Tunis",
    )
    assert list(campaign.budget_lines.values_list("label", flat=True)) == ["Mobilier", "Livres"]
    assert list(campaign.themes.all()) == [theme]
    # The deadline closes at 23:59 in Tunis (UTC+1): 22:59 UTC.
    assert (campaign.ends_at.hour, campaign.ends_at.minute) == (22, 59)
    assert campaign.created_by == owner


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"goal": "12000"}, "The goal (TND12,000.000) must equal the total of the budget lines (TND10,000.500)."),
        ({"lines-1-amount": "0"}, "Each budget line needs an amount greater than zero."),
        ({"lines-1-amount": "-10"}, "Each budget line needs an amount greater than zero."),
        ({"lines-1-amount": "10.1234"}, "Amounts in TND have at most 3 decimal places."),
        ({"currency": "EUR", "lines-1-amount": "10.123"}, "Amounts in EUR have at most 2 decimal places."),
        ({"ends_on": timezone.localdate().isoformat()}, "The deadline must come after the start."),
        ({"title_ar": "", "title_fr": ""}, "Give the campaign&#x27;s title in at least one language."),
        ({"lines-1-label": ""}, "Say what this amount pays for."),
        ({"territory": "TN-99"}, "Unknown territory code: TN-99."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client, organization, owner, overrides, message):
    response = client.post(f"/en/campaigns/organisation/{organization.pk}/new/", form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Campaign.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_the_form_shows_the_readiness_guide(client, organization, owner):
    html = client.get(f"/en/campaigns/organisation/{organization.pk}/new/").content.decode()
    assert "Readiness guide" in html
    for title in ("A clear story", "A realistic budget", "Good images", "Reaching the diaspora", "Posting updates"):
        assert title in html
    assert 'hx-get="/en/campaigns/budget-line/"' in html


def test_add_a_budget_line_with_htmx(client, owner):
    response = client.get("/en/campaigns/budget-line/?lines-TOTAL_FORMS=3", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="lines-3-label"' in html and 'name="lines-3-amount"' in html
    assert 'name="lines-TOTAL_FORMS" value="4" id="id_lines-TOTAL_FORMS" hx-swap-oob="true"' in html
    assert client.get("/en/campaigns/budget-line/?lines-TOTAL_FORMS=50").status_code == 204


def test_edit_a_draft_replaces_the_budget(client, draft, owner):
    html = client.get(f"/en/campaigns/{draft.pk}/edit/").content.decode()
    assert 'name="lines-0-label"' in html and 'value="Livres"' in html
    data = form_data(
        **{"lines-0-label": "Transport", "lines-0-amount": "500", "lines-1-label": "", "lines-1-amount": ""}
    )
    response = client.post(f"/en/campaigns/{draft.pk}/edit/", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.goal == Decimal("500.000")
    assert list(BudgetLine.objects.filter(campaign=draft).values_list("label", "amount")) == [
        ("Transport", Decimal("500.000"))
    ]


def test_a_live_campaign_form_only_offers_the_story(client, live, owner):
    html = client.get(f"/en/campaigns/{live.pk}/edit/").content.decode()
    assert 'name="story_fr"' in html
    assert 'name="currency"' not in html and 'name="lines-0-amount"' not in html
    response = client.post(f"/en/campaigns/{live.pk}/edit/", {"story_fr": "Les travaux avancent.", "goal": "1"})
    assert response.status_code == 302
    live.refresh_from_db()
    assert (live.story_fr, live.goal) == ("Les travaux avancent.", Decimal("10000.000"))


def test_a_submitted_campaign_cannot_be_edited(client, campaign_factory, owner):
    campaign = campaign_factory(status="submitted")
    response = client.post(f"/en/campaigns/{campaign.pk}/edit/", {"story_fr": "Autre"})
    assert response.status_code == 400
    assert "This campaign cannot be changed while its status is “Submitted for review”." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.story_fr == ""


def test_images_are_added_and_removed(client, live, owner):
    url = f"/en/campaigns/{live.pk}/images/"
    response = client.post(url, {"action": "add", "image": png("children.jpg"), "caption": "La salle"})
    assert response.status_code == 302
    image = CampaignImage.objects.get()
    assert image.caption == "La salle" and image.image.name.endswith(".png")
    exe = SimpleUploadedFile("x.png", b"MZ" + b"\x00" * 40, content_type="image/png")
    response = client.post(url, {"action": "add", "image": exe})
    assert response.status_code == 400
    assert "This file is not an accepted image." in response.content.decode()
    assert client.post(url, {"action": "remove", "image_id": image.pk}).status_code == 302
    assert CampaignImage.objects.count() == 0


def test_submit_without_budget_shows_the_reason(client, draft, owner):
    BudgetLine.objects.filter(campaign=draft).delete()
    Campaign.objects.filter(pk=draft.pk).update(goal=0)
    response = client.post(f"/en/campaigns/{draft.pk}/dashboard/", {"action": "submit"})
    assert response.status_code == 400
    assert "Add at least one budget line before sending the campaign for review." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_review_approves_with_the_checklist(client, organization, campaign_factory):
    with_documents(organization)
    campaign = campaign_factory(status="submitted")
    client.force_login(make_actor("verifier", organization))
    html = client.get(f"/en/campaigns/{campaign.pk}/review/").content.decode()
    assert "Readiness checklist" in html and 'name="check_clear_story"' in html
    partial = {"action": "approve", "check_clear_story": "on", "check_images": "on"}
    response = client.post(f"/en/campaigns/{campaign.pk}/review/", partial)
    assert response.status_code == 400
    assert (
        "Confirm every item of the readiness checklist before approving: A realistic budget, Legal documents on file."
        in response.content.decode()
    )
    checks = {f"check_{key}": "on" for key in ("clear_story", "realistic_budget", "images", "legal_documents_current")}
    response = client.post(f"/en/campaigns/{campaign.pk}/review/", {"action": "approve", **checks})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "approved"
    assert campaign.review_checklist == {
        "clear_story": True,
        "realistic_budget": True,
        "images": True,
        "legal_documents_current": True,
    }


def test_asking_for_changes_needs_a_comment(client, organization, campaign_factory):
    campaign = campaign_factory(status="submitted")
    client.force_login(make_actor("verifier", organization))
    response = client.post(f"/en/campaigns/{campaign.pk}/review/", {"action": "request_changes", "comment": ""})
    assert response.status_code == 400
    assert "Say what must change." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "submitted"


def test_review_queue_lists_submitted_campaigns(client, organization, campaign_factory):
    campaign = campaign_factory(status="submitted")
    client.force_login(make_actor("verifier", organization))
    html = client.get("/en/campaigns/review/").content.decode()
    assert f'href="/en/campaigns/{campaign.pk}/review/"' in html


def test_dashboard_shows_money_and_next_step(client, draft, owner):
    html = client.get(f"/en/campaigns/{draft.pk}/dashboard/").content.decode()
    assert 'value="submit"' in html
    assert "TND0.000" in html


def test_post_an_update_from_the_page(client, live, organization, django_capture_on_commit_callbacks):
    member = make_actor("member", organization)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/campaigns/{live.pk}/updates/new/", {"title": "Merci", "body": "La salle est prête."}
        )
    assert response.status_code == 302
    html = client.get(f"/en/campaigns/{live.pk}/").content.decode()
    assert "La salle est prête." in html


def test_organisation_campaigns_page(client, organization, draft, live):
    html = client.get(f"/en/campaigns/organisation/{organization.pk}/").content.decode()
    assert live.title_ar in html and draft.title_ar not in html


def test_a_bad_cover_image_is_shown_on_its_field(client, live, owner):
    fake = SimpleUploadedFile("cover.jpg", b"\xff\xd8\xff" + b"junk" * 10, content_type="image/jpeg")
    response = client.post(f"/en/campaigns/{live.pk}/edit/", {"story_fr": "Nouveau", "cover_upload": fake})
    assert response.status_code == 400
    assert response.context["form"].errors == {"cover_upload": ["This image is damaged or not an image."]}
    live.refresh_from_db()
    assert (live.story_fr, live.cover_image.name) == ("", "")
