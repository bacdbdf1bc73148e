"""The gallery of a campaign: images checked by content, added and removed while the campaign may still change."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from jusoor.campaigns.error_codes import CampaignErrorCode
from jusoor.campaigns.models import Campaign, CampaignImage
from jusoor.campaigns.services.campaigns import LIVE_EDITABLE_STATUSES, check_image
from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.uploads import discard_files_on_error

MAX_IMAGES = 12


def _lock_changeable(campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    if campaign.status not in Campaign.EDITABLE_STATUSES | LIVE_EDITABLE_STATUSES:
        raise ApplicationError(
            _("This campaign cannot be changed while its status is “%(status)s”.")
            % {"status": campaign.get_status_display()},
            code=CampaignErrorCode.NOT_EDITABLE,
        )
    return campaign


@transaction.atomic
def campaign_image_add(
    *, campaign: Campaign, upload: UploadedFile, caption: str = "", acting_user: Any
) -> CampaignImage:
    campaign = _lock_changeable(campaign)
    count = CampaignImage.objects.filter(campaign=campaign).count()
    if count >= MAX_IMAGES:
        raise ApplicationError(
            _("A campaign has at most %(count)d images.") % {"count": MAX_IMAGES},
            code=CampaignErrorCode.TOO_MANY_IMAGES,
        )
    sniffed = check_image(upload)
    image = CampaignImage(campaign=campaign, caption=" ".join(caption.split())[:200], position=count)
    with discard_files_on_error() as files:
        files.save(image.image, f"{campaign.pk}-{secrets.token_hex(6)}.{sniffed.extension}", upload)
        image.save()
    audit_log(
        actor=acting_user,
        action="campaigns.image.added",
        target=campaign,
        changes={"image": {"old": None, "new": image.image.name}},
    )
    return image


@transaction.atomic
def campaign_image_remove(*, campaign: Campaign, image_id: int, acting_user: Any) -> None:
    campaign = _lock_changeable(campaign)
    image = CampaignImage.objects.filter(campaign=campaign, pk=image_id).first()
    if image is None:
        raise ApplicationError(_("This image does not exist."), code=CampaignErrorCode.IMAGE_NOT_FOUND)
    name, storage = image.image.name or "", image.image.storage
    image.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    audit_log(
        actor=acting_user,
        action="campaigns.image.removed",
        target=campaign,
        changes={"image": {"old": name, "new": None}},
    )
