from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jusoor.campaigns.models import BudgetLine, Campaign
from jusoor.campaigns.services.campaigns import campaign_create, campaign_update
from jusoor.campaigns.tests.helpers import campaign_data, png
from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_create_computes_the_goal_and_the_time_zone_and_is_audited(organization, team, medenine, casablanca):
    campaign = campaign_create(organization=organization, acting_user=team["owner"], data=campaign_data(medenine))
    assert (campaign.status, campaign.goal, campaign.currency) == ("draft", Decimal("10000.500"), "TND")
    assert campaign.display_timezone == "Africa/Tunis"
    assert campaign.created_by == team["owner"]
    assert list(campaign.budget_lines.values_list("position", "label", "amount")) == [
        (0, "Mobilier", Decimal("7250.500")),
        (1, "Livres", Decimal("2750.000")),
    ]
    event = AuditEvent.objects.get()
    assert event.action == "campaigns.campaign.created"
    assert event.changes["goal"] == {"old": None, "new": "10000.500"}
    assert event.changes["budget_lines"]["new"] == [["Mobilier", "7250.500"], ["Livres", "2750.000"]]

    moroccan = campaign_create(
        organization=organization,
        acting_user=team["owner"],
        data=campaign_data(
            casablanca, currency="MAD", budget_lines=[{"label": "Salle", "amount": Decimal("22000.50")}]
        ),
    )
    assert (moroccan.display_timezone, moroccan.goal) == ("Africa/Casablanca", Decimal("22000.50"))


def test_a_goal_equal_to_the_budget_is_accepted(organization, team, medenine):
    campaign = campaign_create(
        organization=organization, acting_user=team["owner"], data=campaign_data(medenine, goal=Decimal("10000.5"))
    )
    assert campaign.goal == Decimal("10000.500")


def refused(data, organization, user):
    with pytest.raises(ApplicationError) as error:
        campaign_create(organization=organization, acting_user=user, data=data)
    assert Campaign.objects.count() == 0
    assert BudgetLine.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    return error.value


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        (
            {"goal": Decimal("12000")},
            "goal_mismatch",
            "The goal (TND12,000.000) must equal the total of the budget lines (TND10,000.500).",
        ),
        (
            {"budget_lines": [{"label": "Livres", "amount": Decimal("0")}]},
            "amount_invalid",
            "Each budget line needs an amount greater than zero.",
        ),
        (
            {"budget_lines": [{"label": "Livres", "amount": Decimal("-5")}]},
            "amount_invalid",
            "Each budget line needs an amount greater than zero.",
        ),
        (
            {"budget_lines": [{"label": "Livres", "amount": Decimal("10.0005")}]},
            "too_many_decimals",
            "Amounts in TND have at most 3 decimal places.",
        ),
        (
            {"currency": "EUR", "budget_lines": [{"label": "Livres", "amount": Decimal("10.005")}]},
            "too_many_decimals",
            "Amounts in EUR have at most 2 decimal places.",
        ),
        (
            {"budget_lines": [{"label": "  ", "amount": Decimal("10")}]},
            "label_invalid",
            "Each budget line needs a label of at most 200 characters.",
        ),
        (
            {"currency": "USD"},
            "currency_invalid",
            "Campaigns raise money in Tunisian dinars (TND), Moroccan dirhams (MAD) or euros (EUR).",
        ),
        (
            {"title_ar": "", "title_fr": " "},
            "title_required",
            "Give the campaign's title in at least one language.",
        ),
        (
            {"minimum_goal": Decimal("10000.500")},
            "minimum_goal_invalid",
            "The minimum goal must be greater than zero and less than the goal.",
        ),
        (
            {"stretch_goal": Decimal("9000")},
            "stretch_goal_invalid",
            "The stretch goal must be greater than the goal.",
        ),
        ({"territory": None}, "territory_required", "Say where the money will be spent."),
        ({"display_timezone": "Asia/Tokyo"}, "timezone_invalid", "This time zone is not offered."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(organization, team, medenine, overrides, code, message):
    error = refused(campaign_data(medenine, **overrides), organization, team["owner"])
    assert (error.code, str(error.message)) == (code, message)


def test_end_before_start_is_refused(organization, team, medenine):
    now = timezone.now()
    data = campaign_data(medenine, starts_at=now + timedelta(days=5), ends_at=now + timedelta(days=4))
    error = refused(data, organization, team["owner"])
    assert (error.code, str(error.message)) == ("dates_invalid", "The deadline must come after the start.")
    assert error.extra == {"fields": {"ends_at": ["The deadline must come after the start."]}}


@pytest.mark.parametrize(
    ("status", "kind_can_receive"),
    [("pending", True), ("unverified", True), ("suspended", True), ("verified", False)],
)
def test_only_organisations_allowed_to_receive_funds_create(organization, team, medenine, status, kind_can_receive):
    Organization.objects.filter(pk=organization.pk).update(status=status)
    organization.kind.can_receive_funds = kind_can_receive
    organization.kind.save()
    organization.refresh_from_db()
    error = refused(campaign_data(medenine), organization, team["owner"])
    assert error.code == "organization_not_verified"
    assert str(error.message) == "Only a verified organisation allowed to receive funds can run a campaign."


def test_the_cover_image_is_checked_by_its_content(organization, team, medenine):
    fake = SimpleUploadedFile("cover.png", b"\x89PNG\r\n\x1a\n" + b"junk" * 20, content_type="image/png")
    error = refused(campaign_data(medenine, cover_image=fake), organization, team["owner"])
    assert error.code == "upload_type"
    campaign = campaign_create(
        organization=organization, acting_user=team["owner"], data=campaign_data(medenine, cover_image=png("../x.jpg"))
    )
    assert campaign.cover_image.name.startswith(f"campaigns/covers/{campaign.pk}-")
    assert campaign.cover_image.name.endswith(".png")


def test_a_draft_changes_everything_in_one_audited_update(organization, team, medenine, casablanca):
    campaign = campaign_create(organization=organization, acting_user=team["owner"], data=campaign_data(medenine))
    campaign_update(
        campaign=campaign,
        acting_user=team["admin"],
        data={
            "title_fr": "Un nouveau titre",
            "budget_lines": [{"label": "Tout", "amount": Decimal("5000")}],
            "territory": casablanca,
            "currency": "MAD",
            "display_timezone": "",
        },
    )
    campaign.refresh_from_db()
    assert (campaign.title_fr, campaign.goal, campaign.currency) == ("Un nouveau titre", Decimal("5000"), "MAD")
    assert campaign.display_timezone == "Africa/Casablanca"
    event = AuditEvent.objects.get(action="campaigns.campaign.updated")
    assert event.actor == team["admin"]
    assert sorted(event.changes) == ["budget_lines", "currency", "display_timezone", "goal", "territory", "title_fr"]
    assert event.changes["goal"] == {"old": "10000.500", "new": "5000"}


def test_an_update_that_changes_nothing_writes_nothing(organization, team, medenine):
    data = campaign_data(medenine)
    campaign = campaign_create(organization=organization, acting_user=team["owner"], data=dict(data))
    campaign_update(campaign=campaign, acting_user=team["owner"], data=data)
    assert list(AuditEvent.objects.filter(action="campaigns.campaign.updated").values_list("changes", flat=True)) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"goal": Decimal("20000")}, "The goal, the currency and the budget cannot change once the campaign is live."),
        ({"currency": "EUR"}, "The goal, the currency and the budget cannot change once the campaign is live."),
        (
            {"budget_lines": [{"label": "Livres", "amount": Decimal("9000")}]},
            "The goal, the currency and the budget cannot change once the campaign is live.",
        ),
        ({"title_fr": "Autre"}, "Once the campaign is live, only its summary, story and images can change."),
        (
            {"ends_at": timezone.now() + timedelta(days=90)},
            "Once the campaign is live, only its summary, story and images can change.",
        ),
    ],
)
def test_a_live_campaign_keeps_its_money_and_terms(live, team, data, message):
    before = Campaign.objects.values().get(pk=live.pk)
    with pytest.raises(ApplicationError) as error:
        campaign_update(campaign=live, acting_user=team["owner"], data=data)
    assert (error.value.code, str(error.value.message)) == ("locked_after_live", message)
    assert Campaign.objects.values().get(pk=live.pk) == before
    assert list(live.budget_lines.values_list("label", "amount")) == [("Livres", Decimal("10000.000"))]
    assert AuditEvent.objects.count() == 0


def test_a_live_campaign_can_improve_its_story_and_cover(live, team):
    campaign_update(
        campaign=live,
        acting_user=team["owner"],
        data={
            "story_fr": "Les travaux avancent.",
            "summary_ar": "ملخص",
            "goal": Decimal("10000"),
            "cover_image": png(),
        },
    )
    live.refresh_from_db()
    assert (live.story_fr, live.summary_ar, live.goal) == ("Les travaux avancent.", "ملخص", Decimal("10000.000"))
    assert live.cover_image.name.endswith(".png")
    event = AuditEvent.objects.get()
    assert sorted(event.changes) == ["cover_image", "story_fr", "summary_ar"]


@pytest.mark.parametrize("status", ["submitted", "approved", "closed"])
def test_a_campaign_under_review_or_closed_cannot_change(campaign_factory, team, status):
    campaign = campaign_factory(status=status)
    with pytest.raises(ApplicationError) as error:
        campaign_update(campaign=campaign, acting_user=team["owner"], data={"story_fr": "Autre"})
    assert error.value.code == "not_editable"
    label = Campaign.Status(status).label
    assert str(error.value.message) == f"This campaign cannot be changed while its status is “{label}”."
    campaign.refresh_from_db()
    assert campaign.story_fr == ""
