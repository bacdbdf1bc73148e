from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jusoor.campaigns.models import BudgetLine, Campaign
from jusoor.campaigns.services.lifecycle import (
    campaign_approve,
    campaign_close,
    campaign_publish,
    campaign_report_submit,
    campaign_request_changes,
    campaign_submit,
)
from jusoor.campaigns.tests.helpers import with_documents
from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent

pytestmark = pytest.mark.django_db

ALL_CHECKED = {"clear_story": True, "realistic_budget": True, "images": True, "legal_documents_current": True}


def approve(campaign, user, **kwargs):
    return campaign_approve(
        campaign=campaign, acting_user=user, checklist=kwargs.pop("checklist", ALL_CHECKED), **kwargs
    )


def request_changes(campaign, user):
    return campaign_request_changes(campaign=campaign, acting_user=user, comment="Précisez le budget du mobilier.")


def report(campaign, user):
    return campaign_report_submit(campaign=campaign, acting_user=user, final_report="La salle est ouverte.")


SERVICES = {
    "submit": (lambda c, u: campaign_submit(campaign=c, acting_user=u), "submitted"),
    "request_changes": (request_changes, "changes_requested"),
    "approve": (approve, "approved"),
    "publish": (lambda c, u: campaign_publish(campaign=c, acting_user=u), "live"),
    "report": (report, "reporting"),
    "close": (lambda c, u: campaign_close(campaign=c, acting_user=u), "closed"),
}
ALLOWED = {
    ("submit", "draft"),
    ("submit", "changes_requested"),
    ("request_changes", "submitted"),
    ("approve", "submitted"),
    ("publish", "approved"),
    ("report", "disbursed"),
    ("close", "reporting"),
    ("close", "failed"),
}


@pytest.mark.parametrize("status", Campaign.Status.values)
@pytest.mark.parametrize("action", list(SERVICES))
def test_every_transition_from_every_status(campaign_factory, organization, team, action, status):
    """Allowed moves happen, audited; a move to the current status is quiet; any other is refused and changes
    nothing."""
    with_documents(organization)
    campaign = campaign_factory(status=status)
    service, target = SERVICES[action]
    before = Campaign.objects.values().get(pk=campaign.pk)
    if (action, status) in ALLOWED:
        service(campaign, team["owner"])
        campaign.refresh_from_db()
        assert campaign.status == target
        assert campaign.status_changed_at is not None
        event = AuditEvent.objects.get()
        assert event.changes["status"] == {"old": status, "new": target}
        assert event.actor == team["owner"]
    elif status == target:
        service(campaign, team["owner"])
        assert Campaign.objects.values().get(pk=campaign.pk) == before
        assert AuditEvent.objects.count() == 0
    else:
        with pytest.raises(ApplicationError) as error:
            service(campaign, team["owner"])
        assert error.value.code == "invalid_transition"
        old, new = Campaign.Status(status).label, Campaign.Status(target).label
        assert str(error.value.message) == f"This campaign cannot go from “{old}” to “{new}”."
        assert Campaign.objects.values().get(pk=campaign.pk) == before
        assert AuditEvent.objects.count() == 0


def test_each_transition_mails_the_team_in_their_languages(
    draft, organization, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        campaign_submit(campaign=draft, acting_user=team["owner"])
    # Owner reads Arabic, admin French; members get no status mail.
    assert [message.to for message in mail.outbox] == [["owner@assoc.tn"], ["admin@assoc.tn"]]
    arabic, french = mail.outbox
    assert arabic.subject.startswith("[جسور] ")
    assert draft.title_ar in arabic.subject
    assert draft.title_fr in french.subject
    assert draft.title_fr not in arabic.subject


def test_changes_requested_mail_carries_the_comment(campaign_factory, team, django_capture_on_commit_callbacks):
    campaign = campaign_factory(status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        request_changes(campaign, team["owner"])
    assert "Précisez le budget du mobilier." in mail.outbox[0].body
    campaign.refresh_from_db()
    assert campaign.review_comment == "Précisez le budget du mobilier."


def refused(campaign, call, code, message):
    before = Campaign.objects.values().get(pk=campaign.pk)
    with pytest.raises(ApplicationError) as error:
        call()
    assert (error.value.code, str(error.value.message)) == (code, message)
    assert Campaign.objects.values().get(pk=campaign.pk) == before
    assert AuditEvent.objects.count() == 0


def test_submit_needs_a_budget(draft, team):
    BudgetLine.objects.filter(campaign=draft).delete()
    Campaign.objects.filter(pk=draft.pk).update(goal=0)
    refused(
        draft,
        lambda: campaign_submit(campaign=draft, acting_user=team["owner"]),
        "budget_required",
        "Add at least one budget line before sending the campaign for review.",
    )


def test_submit_refuses_a_past_deadline(campaign_factory, team):
    campaign = campaign_factory(
        status="draft", starts_at=timezone.now() - timedelta(days=9), ends_at=timezone.now() - timedelta(days=1)
    )
    refused(
        campaign,
        lambda: campaign_submit(campaign=campaign, acting_user=team["owner"]),
        "deadline_passed",
        "The deadline has passed: choose new dates.",
    )


def test_submit_refuses_an_organisation_no_longer_verified(draft, organization, team):
    organization.status = "suspended"
    organization.save()
    refused(
        draft,
        lambda: campaign_submit(campaign=draft, acting_user=team["owner"]),
        "organization_not_verified",
        "Only a verified organisation allowed to receive funds can run a campaign.",
    )


def test_asking_for_changes_needs_a_comment(campaign_factory, team):
    campaign = campaign_factory(status="submitted")
    refused(
        campaign,
        lambda: campaign_request_changes(campaign=campaign, acting_user=team["owner"], comment="  "),
        "comment_required",
        "Say what must change.",
    )


def test_approval_needs_every_checklist_item(campaign_factory, organization, team):
    with_documents(organization)
    campaign = campaign_factory(status="submitted")
    refused(
        campaign,
        lambda: approve(campaign, team["owner"], checklist={"clear_story": True, "images": False}),
        "checklist_incomplete",
        "Confirm every item of the readiness checklist before approving: A realistic budget, Good images, "
        "Legal documents on file.",
    )


def test_approval_checks_the_legal_documents_itself(campaign_factory, team):
    campaign = campaign_factory(status="submitted")
    refused(
        campaign,
        lambda: approve(campaign, team["owner"]),
        "legal_documents_missing",
        "The organisation's statutes and proof of legal registration must be on file before approval.",
    )


def test_approval_stores_the_checklist(campaign_factory, organization, team):
    with_documents(organization)
    campaign = campaign_factory(status="submitted")
    approve(campaign, team["owner"], comment="Très bon dossier")
    campaign.refresh_from_db()
    assert campaign.review_checklist == ALL_CHECKED
    assert campaign.review_comment == "Très bon dossier"


def test_publish_waits_for_the_start_date(campaign_factory, team):
    start = timezone.now() + timedelta(days=3)
    campaign = campaign_factory(status="approved", starts_at=start, display_timezone="Africa/Casablanca")
    with pytest.raises(ApplicationError) as error:
        campaign_publish(campaign=campaign, acting_user=team["owner"])
    assert error.value.code == "not_started"
    assert str(error.value.message).startswith("This campaign starts on ")
    assert str(error.value.message).endswith("(Casablanca time): publish it from then.")
    campaign.refresh_from_db()
    assert campaign.status == "approved"


def test_publish_starts_the_campaign_now(campaign_factory, team):
    campaign = campaign_factory(status="approved", starts_at=timezone.now() - timedelta(days=4))
    before = timezone.now()
    campaign_publish(campaign=campaign, acting_user=team["owner"])
    campaign.refresh_from_db()
    assert campaign.status == "live"
    assert campaign.starts_at >= before
    assert campaign.accepts_donations
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["campaigns.campaign.published"]


def test_publish_refuses_a_past_deadline(campaign_factory, team):
    campaign = campaign_factory(
        status="approved", starts_at=timezone.now() - timedelta(days=9), ends_at=timezone.now() - timedelta(hours=1)
    )
    refused(
        campaign,
        lambda: campaign_publish(campaign=campaign, acting_user=team["owner"]),
        "deadline_passed",
        "The deadline has passed: choose new dates.",
    )


def test_the_final_report_is_required(campaign_factory, team):
    campaign = campaign_factory(status="disbursed")
    refused(
        campaign,
        lambda: campaign_report_submit(campaign=campaign, acting_user=team["owner"], final_report=" "),
        "report_required",
        "Write the final report: what was done, with how much, for whom.",
    )
    report(campaign, team["owner"])
    campaign.refresh_from_db()
    assert (campaign.status, campaign.final_report) == ("reporting", "La salle est ouverte.")
