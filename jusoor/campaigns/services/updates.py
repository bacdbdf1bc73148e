"""News posted by the team on a public campaign, mailed to its followers and donors; following a campaign."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jusoor.campaigns.error_codes import CampaignErrorCode
from jusoor.campaigns.models import Campaign, CampaignFollower, CampaignUpdate
from jusoor.campaigns.selectors.campaigns import campaign_update_recipients
from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.mail import mail_queue
from jusoor.common.tasks import defer_on_commit


def _ensure_public(campaign: Campaign) -> None:
    if not campaign.is_public:
        raise ApplicationError(_("This is possible once the campaign is published."), code=CampaignErrorCode.NOT_PUBLIC)


@transaction.atomic
def campaign_update_post(
    *, campaign: Campaign, author: Any, title: str, body: str, base_url: str = ""
) -> CampaignUpdate:
    """Publish news on a public campaign; followers and donors are mailed by a background task after commit.
    `base_url` ("https://jusoor.example") makes the link in the mail absolute."""
    title, body = " ".join((title or "").split()), (body or "").strip()
    if not title or len(title) > 200 or not body:
        message = _("Give the update a title (200 characters at most) and a text.")
        raise ApplicationError(message, code=CampaignErrorCode.UPDATE_INVALID, extra={"fields": {"__all__": [message]}})
    _ensure_public(campaign)
    update = CampaignUpdate.objects.create(campaign=campaign, author=author, title=title, body=body)
    audit_log(
        actor=author, action="campaigns.update.posted", target=campaign, changes={"update": {"old": None, "new": title}}
    )
    from jusoor.campaigns.tasks import campaign_update_notify as campaign_update_notify_task  # noqa: PLC0415

    defer_on_commit(campaign_update_notify_task, update_id=update.pk, base_url=base_url)
    return update


@transaction.atomic
def campaign_update_notify(*, update_id: int, base_url: str) -> int:
    """Queue one mail per follower and donor, each in their language (all or none); returns how many."""
    update = CampaignUpdate.objects.select_related("campaign__organization").filter(pk=update_id).first()
    if update is None:
        return 0
    recipients = campaign_update_recipients(campaign=update.campaign)
    for email, language in recipients:
        mail_queue(
            template_prefix="campaigns/email/update_posted",
            to=email,
            language=language,
            context={"campaign": update.campaign, "update": update, "base_url": base_url},
        )
    return len(recipients)


@transaction.atomic
def campaign_follow(*, campaign: Campaign, user: Any) -> CampaignFollower:
    """Follow a public campaign (its updates come by e-mail); following twice changes nothing."""
    _ensure_public(campaign)
    follower, created = CampaignFollower.objects.get_or_create(campaign=campaign, user=user)
    if created:
        audit_log(actor=user, action="campaigns.campaign.followed", target=campaign)
    return follower


@transaction.atomic
def campaign_unfollow(*, campaign: Campaign, user: Any) -> None:
    deleted, _rows = CampaignFollower.objects.filter(campaign=campaign, user_id=user.pk).delete()
    if deleted:
        audit_log(actor=user, action="campaigns.campaign.unfollowed", target=campaign)
