from decimal import Decimal

import pytest

from jusoor.accounts.demo import demo_users_load
from jusoor.campaigns.demo import CAMPAIGNS, demo_campaigns_load
from jusoor.campaigns.models import BudgetLine, Campaign, CampaignUpdate
from jusoor.organizations.demo import demo_organizations_load
from jusoor.organizations.services.reference import reference_load


@pytest.fixture
def demo(territories):
    reference_load()
    demo_users_load(password="demo-pass-123")  # noqa: S106
    demo_organizations_load()
    return demo_campaigns_load()


def test_loads_the_demo_campaigns(demo):
    assert len(demo) == len(CAMPAIGNS) == Campaign.objects.count()
    statuses = sorted(campaign.status for campaign in demo)
    assert statuses == ["approved", "draft", "live", "live", "submitted"]
    for campaign in demo:
        assert campaign.organization.can_receive_funds
        assert campaign.goal == sum(campaign.budget_lines.values_list("amount", flat=True)) > 0


def test_the_medenine_campaign_is_live_in_tnd(demo):
    medenine = Campaign.objects.get(title_fr__contains="Médenine")
    assert (medenine.status, medenine.currency, medenine.goal) == ("live", "TND", Decimal("25000.000"))
    assert medenine.territory.parent.code == "TN-82"
    assert medenine.accepts_donations
    assert 29 <= (medenine.ends_at - medenine.starts_at).days - 5 <= 30
    assert medenine.cover_image
    assert Campaign.objects.filter(currency="MAD", status="live").count() == 1


def test_second_load_changes_nothing(demo):
    before = {c.pk: (c.updated_at, c.ends_at) for c in Campaign.objects.all()}
    lines, updates = BudgetLine.objects.count(), CampaignUpdate.objects.count()
    again = demo_campaigns_load()
    assert [c.pk for c in again] == [c.pk for c in demo]
    assert {c.pk: (c.updated_at, c.ends_at) for c in Campaign.objects.all()} == before
    assert (BudgetLine.objects.count(), CampaignUpdate.objects.count()) == (lines, updates)


def test_a_changed_campaign_is_restored(demo):
    Campaign.objects.filter(title_fr__contains="Médenine").update(status="draft", title_ar="x")
    demo_campaigns_load()
    medenine = Campaign.objects.get(title_fr__contains="Médenine")
    assert (medenine.status, medenine.title_ar) == ("live", "فضاء لعب وتعلّم لأطفال مدنين")


def test_the_command_reports_what_it_loaded(demo):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_demo_campaigns", stdout=out)
    assert out.getvalue().strip() == f"{len(CAMPAIGNS)} demo campaigns loaded."
