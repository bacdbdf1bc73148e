"""Pages of the reviewers (verification officers and platform administrators): the queue and one campaign's review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.campaigns.dates import format_in_zone
from jusoor.campaigns.forms import ReviewForm, apply_error
from jusoor.campaigns.models import Campaign
from jusoor.campaigns.selectors.campaigns import review_queue
from jusoor.campaigns.selectors.readiness import CHECKLIST_KEYS, campaign_readiness
from jusoor.campaigns.services.lifecycle import (
    campaign_approve,
    campaign_close,
    campaign_publish,
    campaign_request_changes,
)
from jusoor.campaigns.views.base import CampaignPermissionMixin
from jusoor.common.exceptions import ApplicationError

Status = Campaign.Status


class ReviewQueueView(ProtectedPageMixin, View):
    permission_required = "campaigns.review_campaign"

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "submitted": list(review_queue(viewer=request.user, status=Status.SUBMITTED)),
            "approved": list(review_queue(viewer=request.user, status=Status.APPROVED)),
            "reporting": list(review_queue(viewer=request.user, status=Status.REPORTING)),
        }
        return render(request, "campaigns/review_queue.html", context)


class CampaignReviewView(CampaignPermissionMixin, ProtectedPageMixin, View):
    permission_required = "campaigns.review_campaign"
    template_name = "campaigns/review.html"
    SUCCESS = {
        "approve": _("The campaign has been approved and the organisation notified."),
        "request_changes": _("The campaign has been sent back to the organisation with your comment."),
        "publish": _("The campaign is online."),
        "close": _("The campaign has been closed."),
    }
    PERMISSIONS = {
        "approve": "campaigns.review_campaign",
        "request_changes": "campaigns.review_campaign",
        "publish": "campaigns.publish_campaign",
        "close": "campaigns.close_campaign",
    }

    def _render(self, request: HttpRequest, form: ReviewForm, status: int = 200) -> HttpResponse:
        campaign = self.campaign
        readiness = campaign_readiness(campaign, organization=campaign.organization)
        context = {
            "campaign": campaign,
            "form": form,
            "readiness": readiness,
            "checks": [(form[f"check_{item.key}"], item) for item in readiness if item.key in CHECKLIST_KEYS],
            "starts": format_in_zone(campaign.starts_at, campaign.display_timezone),
            "deadline": format_in_zone(campaign.ends_at, campaign.display_timezone),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        checked = self.campaign.review_checklist or {}
        initial: dict[str, Any] = {f"check_{key}": bool(checked.get(key)) for key in CHECKLIST_KEYS}
        initial["comment"] = self.campaign.review_comment
        return self._render(request, ReviewForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        form = ReviewForm(request.POST)
        if action not in self.PERMISSIONS or not form.is_valid():
            return self._render(request, form, status=400)
        if not request.user.has_perm(self.PERMISSIONS[action], self.campaign):
            raise PermissionDenied
        user, campaign = request.user, self.campaign
        try:
            if action == "approve":
                campaign_approve(
                    campaign=campaign,
                    acting_user=user,
                    checklist=form.checklist(),
                    comment=form.cleaned_data["comment"],
                )
            elif action == "request_changes":
                campaign_request_changes(campaign=campaign, acting_user=user, comment=form.cleaned_data["comment"])
            elif action == "publish":
                campaign_publish(campaign=campaign, acting_user=user)
            else:
                campaign_close(campaign=campaign, acting_user=user)
        except ApplicationError as error:
            apply_error(form, error)
            return self._render(request, form, status=400)
        messages.success(request, str(self.SUCCESS[action]))
        return redirect("campaigns:review_queue")
