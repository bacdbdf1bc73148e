"""Programmes: the public list, one programme, and its results dashboard (parse, authorise, call, render).

A programme the caller may not see (a draft, for anyone outside its team and the administrators of its operator and
funders) is the same 404 as a missing one. The dashboard asks `programmes.view_dashboard`, as its page does.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from jusoor.api.permissions import RulesPermission
from jusoor.api.serializers import ErrorSerializer
from jusoor.api.v1.calls.selectors import published_programme_calls
from jusoor.api.v1.campaigns.params import AUTH_OPTIONAL, path_id
from jusoor.api.v1.donations.authentication import AnonymousIs401Mixin
from jusoor.api.v1.programmes.selectors import programme_public_list
from jusoor.api.v1.programmes.serializers import (
    DashboardOutputSerializer,
    IndicatorFilterSerializer,
    ProgrammeDetailOutputSerializer,
    ProgrammeFilterSerializer,
    ProgrammeListOutputSerializer,
)
from jusoor.programmes.selectors.dashboard import programme_dashboard
from jusoor.programmes.selectors.programmes import programme_get

PROGRAMME_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Programme id")


class ProgrammeListView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = ProgrammeListOutputSerializer

    @extend_schema(
        parameters=[ProgrammeFilterSerializer],
        responses={200: ProgrammeListOutputSerializer(many=True), 400: ErrorSerializer},
        auth=AUTH_OPTIONAL,
        summary="Public programmes",
        description="Active programmes (the latest start first), then closed ones; never drafts. An unknown "
        "country, territory or theme is a 400 (`invalid`, `unknown_territory`, `unknown_theme`).",
    )
    def get(self, request: Request) -> Response:
        filters = ProgrammeFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        programmes = programme_public_list(
            viewer=request.user,
            country=data.get("country", ""),
            territory_code=data.get("territory", ""),
            theme=data.get("theme", ""),
        )
        page = self.paginate_queryset(programmes)
        return self.get_paginated_response(ProgrammeListOutputSerializer(page, many=True).data)


class ProgrammeDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = ProgrammeDetailOutputSerializer

    @extend_schema(
        parameters=[PROGRAMME_ID],
        responses={200: ProgrammeDetailOutputSerializer, 404: ErrorSerializer},
        auth=AUTH_OPTIONAL,
        summary="One programme",
        description="With its description, funders, grant range and published calls. 404 when it does not exist "
        "or the caller may not see it (a draft is visible to its team and to the administrators of its operator "
        "and funders only).",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        programme = programme_get(programme_id=path_id(id), viewer=request.user)
        context = {"calls": published_programme_calls(programme=programme)}
        return Response(ProgrammeDetailOutputSerializer(programme, context=context).data)


class ProgrammeIndicatorsView(AnonymousIs401Mixin, GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [RulesPermission]
    object_permission_required = {"GET": "programmes.view_dashboard"}
    serializer_class = DashboardOutputSerializer

    @extend_schema(
        parameters=[PROGRAMME_ID, IndicatorFilterSerializer],
        responses={
            200: DashboardOutputSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="The programme's indicators",
        description="The results framework, target against actual: for each indicator its baseline, the current "
        "target per period with every earlier version, the actual value up to `until` (computed from the "
        "platform's records, or the sum of the approved manual reports), the share of the target reached, the "
        "value per region of the programme and the breakdowns it asks for (women/men, age band). For the "
        "programme's team, platform administrators and programme managers, and the administrators of its operator "
        "and funders: 401 `not_authenticated` for anonymous callers, 403 `permission_denied` for others, 404 when "
        "the caller may not see the programme at all.",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        programme = programme_get(programme_id=path_id(id), viewer=request.user)
        self.check_object_permissions(request, programme)
        filters = IndicatorFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        dashboard = programme_dashboard(
            programme=programme, viewer=request.user, until=filters.validated_data.get("until")
        )
        return Response(DashboardOutputSerializer(dashboard).data)
