"""The campaign's life before and after the money: draft → submitted → approved (or changes requested) → live, then
disbursed → reporting → closed (and failed → closed). `Campaign.TRANSITIONS` lists every allowed move.

One service per transition. Each locks the row, re-reads the state, returns quietly when the campaign is already in
the target state, checks what the move needs, writes with update_fields, records one audit row and mails the
organisation's owners and administrators, each in their language, after commit.

The deadline outcome (live → succeeded / failed / waiting for funds) and the disbursement of tranches belong to the
donations app.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.campaigns.dates import format_in_zone
from jusoor.campaigns.error_codes import CampaignErrorCode
from jusoor.campaigns.models import BudgetLine, Campaign
from jusoor.campaigns.selectors.readiness import CHECKLIST_KEYS, TITLES, legal_documents_on_file
from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.mail import mail_queue
from jusoor.organizations.models import Membership, MembershipRole

Status = Campaign.Status


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).select_related("organization__kind").get(pk=campaign.pk)


def _error(message: str, code: str, field: str = "__all__") -> ApplicationError:
    return ApplicationError(message, code=code, extra={"fields": {field: [message]}})


def _ensure_can(campaign: Campaign, target: str) -> None:
    if not campaign.can_transition_to(target):
        raise ApplicationError(
            _("This campaign cannot go from “%(old)s” to “%(new)s”.")
            % {"old": campaign.get_status_display(), "new": Status(target).label},
            code=CampaignErrorCode.INVALID_TRANSITION,
        )


def _ensure_organization_can_receive_funds(campaign: Campaign) -> None:
    if not campaign.organization.can_receive_funds:
        raise _error(
            _("Only a verified organisation allowed to receive funds can run a campaign."),
            CampaignErrorCode.ORGANIZATION_NOT_VERIFIED,
        )


def _notify(campaign: Campaign) -> None:
    recipients = {
        membership.user.email.lower(): membership.user
        for membership in Membership.objects.filter(
            organization_id=campaign.organization_id,
            role__in=[MembershipRole.OWNER, MembershipRole.ADMIN],
            user__is_active=True,
        )
        .select_related("user")
        .order_by("id")
    }
    context = {
        "campaign": campaign,
        "comment": campaign.review_comment if campaign.status == Status.CHANGES_REQUESTED else "",
    }
    for user in recipients.values():
        mail_queue(
            template_prefix="campaigns/email/status_changed",
            to=user.email,
            language=user.preferred_language,
            context=context,
        )


def _write(
    campaign: Campaign, *, acting_user: Any, target: str, action: str, values: dict[str, Any] | None = None
) -> Campaign:
    """Move the locked `campaign` to `target`, with other field `values`; audit the old and new values; notify."""
    values = values or {}
    changes = {"status": {"old": campaign.status, "new": target}}
    changes.update({field: {"old": getattr(campaign, field), "new": value} for field, value in values.items()})
    campaign.status = target
    campaign.status_changed_at = timezone.now()
    for field, value in values.items():
        setattr(campaign, field, value)
    campaign.save(update_fields=["status", "status_changed_at", *values, "updated_at"])
    audit_log(actor=acting_user, action=action, target=campaign, changes=changes)
    _notify(campaign)
    return campaign


@transaction.atomic
def campaign_submit(*, campaign: Campaign, acting_user: Any) -> Campaign:
    """Send a draft (or a campaign sent back for changes) to the reviewers: it needs a title and a budget."""
    campaign = _lock(campaign)
    if campaign.status == Status.SUBMITTED:
        return campaign
    _ensure_can(campaign, Status.SUBMITTED)
    _ensure_organization_can_receive_funds(campaign)
    if not (campaign.title_ar or campaign.title_fr or campaign.title_en):
        raise _error(_("Give the campaign's title in at least one language."), CampaignErrorCode.TITLE_REQUIRED)
    if not BudgetLine.objects.filter(campaign=campaign).exists() or campaign.goal <= 0:
        raise _error(
            _("Add at least one budget line before sending the campaign for review."),
            CampaignErrorCode.BUDGET_REQUIRED,
            "budget_lines",
        )
    if campaign.ends_at <= timezone.now():
        raise _error(_("The deadline has passed: choose new dates."), CampaignErrorCode.DEADLINE_PASSED, "ends_at")
    return _write(campaign, acting_user=acting_user, target=Status.SUBMITTED, action="campaigns.campaign.submitted")


@transaction.atomic
def campaign_request_changes(*, campaign: Campaign, acting_user: Any, comment: str) -> Campaign:
    """Send a submitted campaign back to its organisation, saying what must change."""
    campaign = _lock(campaign)
    if campaign.status == Status.CHANGES_REQUESTED:
        return campaign
    _ensure_can(campaign, Status.CHANGES_REQUESTED)
    comment = (comment or "").strip()
    if not comment:
        raise _error(_("Say what must change."), CampaignErrorCode.COMMENT_REQUIRED, "comment")
    return _write(
        campaign,
        acting_user=acting_user,
        target=Status.CHANGES_REQUESTED,
        action="campaigns.campaign.changes_requested",
        values={"review_comment": comment},
    )


@transaction.atomic
def campaign_approve(
    *, campaign: Campaign, acting_user: Any, checklist: dict[str, bool], comment: str = ""
) -> Campaign:
    """Approve a submitted campaign once the reviewer has confirmed every item of the readiness checklist."""
    campaign = _lock(campaign)
    if campaign.status == Status.APPROVED:
        return campaign
    _ensure_can(campaign, Status.APPROVED)
    _ensure_organization_can_receive_funds(campaign)
    missing = [key for key in CHECKLIST_KEYS if checklist.get(key) is not True]
    if missing:
        raise _error(
            _("Confirm every item of the readiness checklist before approving: %(items)s.")
            % {"items": ", ".join(str(TITLES[key]) for key in missing)},
            CampaignErrorCode.CHECKLIST_INCOMPLETE,
            "checklist",
        )
    if not legal_documents_on_file(campaign.organization):
        raise _error(
            _("The organisation's statutes and proof of legal registration must be on file before approval."),
            CampaignErrorCode.LEGAL_DOCUMENTS_MISSING,
            "checklist",
        )
    return _write(
        campaign,
        acting_user=acting_user,
        target=Status.APPROVED,
        action="campaigns.campaign.approved",
        values={"review_checklist": dict.fromkeys(CHECKLIST_KEYS, True), "review_comment": (comment or "").strip()},
    )


@transaction.atomic
def campaign_publish(*, campaign: Campaign, acting_user: Any) -> Campaign:
    """Put an approved campaign online, from its start date on; a start already past becomes now, so donations
    are counted from publication."""
    campaign = _lock(campaign)
    if campaign.status == Status.LIVE:
        return campaign
    _ensure_can(campaign, Status.LIVE)
    _ensure_organization_can_receive_funds(campaign)
    now = timezone.now()
    if now < campaign.starts_at:
        raise _error(
            _("This campaign starts on %(start)s: publish it from then.")
            % {"start": format_in_zone(campaign.starts_at, campaign.display_timezone)},
            CampaignErrorCode.NOT_STARTED,
        )
    if campaign.ends_at <= now:
        raise _error(_("The deadline has passed: choose new dates."), CampaignErrorCode.DEADLINE_PASSED, "ends_at")
    return _write(
        campaign,
        acting_user=acting_user,
        target=Status.LIVE,
        action="campaigns.campaign.published",
        values={"starts_at": now},
    )


@transaction.atomic
def campaign_report_submit(*, campaign: Campaign, acting_user: Any, final_report: str) -> Campaign:
    """Once the money is disbursed, the organisation reports on what it did with it."""
    campaign = _lock(campaign)
    if campaign.status == Status.REPORTING:
        return campaign
    _ensure_can(campaign, Status.REPORTING)
    final_report = (final_report or "").strip()
    if not final_report:
        raise _error(
            _("Write the final report: what was done, with how much, for whom."),
            CampaignErrorCode.REPORT_REQUIRED,
            "final_report",
        )
    return _write(
        campaign,
        acting_user=acting_user,
        target=Status.REPORTING,
        action="campaigns.campaign.report_submitted",
        values={"final_report": final_report},
    )


@transaction.atomic
def campaign_close(*, campaign: Campaign, acting_user: Any) -> Campaign:
    """Close a campaign whose report was read, or a failed one."""
    campaign = _lock(campaign)
    if campaign.status == Status.CLOSED:
        return campaign
    _ensure_can(campaign, Status.CLOSED)
    return _write(campaign, acting_user=acting_user, target=Status.CLOSED, action="campaigns.campaign.closed")
