"""Public pages: the list of campaigns with filters, a campaign's page, following a campaign."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from jusoor.campaigns.dates import days_left, format_in_zone
from jusoor.campaigns.forms import UpdateForm
from jusoor.campaigns.models import Campaign
from jusoor.campaigns.selectors.campaigns import (
    campaign_get,
    campaign_is_followed,
    campaign_public_list,
    campaign_updates,
    filter_territories,
)
from jusoor.campaigns.services.updates import campaign_follow, campaign_unfollow
from jusoor.campaigns.views.base import CampaignPermissionMixin, donate_url
from jusoor.common.exceptions import ApplicationError
from jusoor.donations.selectors import campaign_progress, campaigns_with_raised, donor_wall, eligible_pots
from jusoor.organizations.models import Theme
from jusoor.territories.models import Country

FILTERS = ("country", "territory", "theme", "status")
PAGE_SIZE = 12


def percent(amount: Decimal, goal: Decimal) -> int:
    """How much of the goal `amount` is, in whole percent, at most 100."""
    if goal <= 0:
        return 0
    return int(min(Decimal(100), amount * 100 / goal).to_integral_value(rounding=ROUND_FLOOR))


def with_progress(campaigns: list[Campaign]) -> list[Campaign]:
    """Campaigns annotated by `campaigns_with_raised` get `total` (raised + matched, as on the campaign page),
    `percent` and, when live, `days_left`."""
    for campaign in campaigns:
        campaign.total = campaign.raised_total + campaign.matched_total  # type: ignore[attr-defined]
        campaign.percent = percent(campaign.total, campaign.goal)  # type: ignore[attr-defined]
        campaign.days_left = days_left(campaign.ends_at)  # type: ignore[attr-defined]
    return campaigns


@require_GET
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    """The public campaigns: full page, or only the results when htmx asks (filters change)."""
    filters = {name: request.GET.get(name, "").strip()[:64] for name in FILTERS}
    error, status = "", 200
    try:
        campaigns = campaign_public_list(
            viewer=request.user,
            country=filters["country"],
            territory_code=filters["territory"],
            theme=filters["theme"],
            status=filters["status"],
        )
    except ApplicationError as exc:
        error, status = str(exc.message), 400
        campaigns = Campaign.objects.none()
    page = Paginator(campaigns_with_raised(campaigns), PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "filters": filters,
        "error": error,
        "page_obj": page,
        "campaigns": with_progress(list(page.object_list)),
        "query_string": urlencode({k: v for k, v in filters.items() if v}),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "campaigns/_list_results.html", context, status=status)
    context.update(
        {
            "countries": Country.choices,
            "territory_groups": filter_territories(),
            "themes": list(Theme.objects.all()),
            "statuses": [
                (value, label) for value, label in Campaign.Status.choices if value in Campaign.PUBLIC_STATUSES
            ],
        }
    )
    return render(request, "campaigns/list.html", context, status=status)


@require_GET
def campaign_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_get(campaign_id=pk, viewer=request.user)
    user = request.user
    can_post_update = user.has_perm("campaigns.post_update", campaign) and campaign.is_public
    context = {
        "campaign": campaign,
        "progress": campaign_progress(campaign),
        "donors": donor_wall(campaign) if campaign.is_public else [],
        "pots": list(eligible_pots(campaign)) if campaign.accepts_donations else [],
        "updates": campaign_updates(campaign=campaign),
        "following": campaign_is_followed(campaign=campaign, user=user),
        "donate_url": donate_url(campaign) if campaign.accepts_donations else "",
        "starts": format_in_zone(campaign.starts_at, campaign.display_timezone),
        "deadline": format_in_zone(campaign.ends_at, campaign.display_timezone),
        "days_left": days_left(campaign.ends_at),
        "can_follow": user.has_perm("campaigns.follow_campaign", campaign),
        "can_see_dashboard": user.has_perm("campaigns.view_campaign_dashboard", campaign),
        "can_review": user.has_perm("campaigns.review_campaign", campaign),
        "update_form": UpdateForm() if can_post_update else None,
    }
    return render(request, "campaigns/detail.html", context)


class CampaignFollowView(CampaignPermissionMixin, View):
    """Follow or stop following: the button swaps in place with htmx, else the page reloads."""

    permission_required = "campaigns.follow_campaign"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        following = request.POST.get("action") != "unfollow"
        try:
            if following:
                campaign_follow(campaign=self.campaign, user=request.user)
            else:
                campaign_unfollow(campaign=self.campaign, user=request.user)
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect("campaigns:detail", pk=pk)
        if request.htmx:  # type: ignore[attr-defined]
            context = {"campaign": self.campaign, "following": following, "can_follow": True}
            response = render(request, "campaigns/_follow_button.html", context)
            response["HX-Trigger"] = "campaignFollowChanged"
            return response
        if following:
            messages.success(request, _("You follow this campaign: its news will come by e-mail."))
        else:
            messages.success(request, _("You no longer follow this campaign."))
        return redirect("campaigns:detail", pk=pk)
