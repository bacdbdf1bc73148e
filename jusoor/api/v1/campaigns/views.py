"""Campaigns: parse, authorise, call one selector, render (STYLE §3).

Reads go through the campaigns app's selectors: a campaign the caller may not see (a draft, for anyone outside
its organisation and the reviewers) is the same 404 as a missing one.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from jusoor.api.serializers import ErrorSerializer
from jusoor.api.v1.campaigns.params import AUTH_OPTIONAL, CAMPAIGN_ID, path_id
from jusoor.api.v1.campaigns.serializers import (
    CampaignDetailOutputSerializer,
    CampaignFilterSerializer,
    CampaignListOutputSerializer,
)
from jusoor.api.v1.matching_pots.selectors import pots_with_available
from jusoor.campaigns.selectors.campaigns import campaign_get, campaign_public_list
from jusoor.donations.selectors import campaign_progress, campaigns_with_raised, eligible_pots


class CampaignListView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = CampaignListOutputSerializer

    @extend_schema(
        parameters=[CampaignFilterSerializer],
        responses={200: CampaignListOutputSerializer(many=True), 400: ErrorSerializer},
        auth=AUTH_OPTIONAL,
        summary="Public campaigns",
        description="Campaigns that are live or ended (never drafts or campaigns under review), live ones first "
        "(the nearest deadline first), then ended ones (latest first). `raised` comes from the ledger. A status "
        "that is not public is a 400 listing the allowed values; an unknown territory or theme is a 400 "
        "`unknown_territory` / `unknown_theme`.",
    )
    def get(self, request: Request) -> Response:
        filters = CampaignFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        campaigns = campaign_public_list(
            viewer=request.user,
            country=data.get("country", ""),
            territory_code=data.get("territory", ""),
            theme=data.get("theme", ""),
            status=data.get("status", ""),
        )
        page = self.paginate_queryset(campaigns_with_raised(campaigns))
        return self.get_paginated_response(CampaignListOutputSerializer(page, many=True).data)


class CampaignDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = CampaignDetailOutputSerializer

    @extend_schema(
        parameters=[CAMPAIGN_ID],
        responses={200: CampaignDetailOutputSerializer, 404: ErrorSerializer},
        auth=AUTH_OPTIONAL,
        summary="One campaign",
        description="With its budget, its progress (from the ledger) and the matching pots that would match a "
        "donation made now. 404 when it does not exist or the caller may not see it (a campaign that is not "
        "public yet is visible to its organisation's members and the reviewers only).",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        campaign = campaign_get(campaign_id=path_id(id), viewer=request.user)
        context = {
            "progress": campaign_progress(campaign),
            "matching_pots": list(pots_with_available(eligible_pots(campaign))),
        }
        return Response(CampaignDetailOutputSerializer(campaign, context=context).data)
