from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from rules.contrib.views import PermissionRequiredMixin

from jusoor.campaigns.models import Campaign
from jusoor.campaigns.selectors.campaigns import campaign_get


class CampaignPermissionMixin(PermissionRequiredMixin):
    """Loads the campaign of the URL (404 when missing or hidden from the viewer), then checks
    `permission_required` on it: the login page for anonymous users, 403 for others without the permission."""

    request: HttpRequest
    kwargs: dict[str, Any]
    campaign: Campaign

    def get_permission_object(self) -> Campaign:
        if not hasattr(self, "campaign"):
            self.campaign = campaign_get(campaign_id=self.kwargs["pk"], viewer=self.request.user)
        return self.campaign


def donate_url(campaign: Campaign) -> str:
    """The donation page of the campaign, when the donations app provides one ("" until then)."""
    try:
        return reverse("donations:donate", args=[campaign.pk])
    except NoReverseMatch:
        return ""


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]
