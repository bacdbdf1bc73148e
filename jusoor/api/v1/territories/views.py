from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from jusoor.api.serializers import ErrorSerializer
from jusoor.api.v1.territories.serializers import (
    GeoJSONFeatureSerializer,
    TerritoryDetailOutputSerializer,
    TerritoryFilterSerializer,
    TerritoryOutputSerializer,
)
from jusoor.territories.models import Territory
from jusoor.territories.selectors import territory_boundary_geojson, territory_get, territory_list


class TerritoryListView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = TerritoryOutputSerializer

    @extend_schema(
        parameters=[TerritoryFilterSerializer],
        responses={200: TerritoryOutputSerializer(many=True), 400: ErrorSerializer},
        summary="Territories of Tunisia, Morocco and France",
    )
    def get(self, request: Request) -> Response:
        filters = TerritoryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        territories = territory_list(
            country=data.get("country"), kind=data.get("kind"), parent_code=data.get("parent"), q=data.get("q")
        )
        page = self.paginate_queryset(territories)
        return self.get_paginated_response(TerritoryOutputSerializer(page, many=True).data)


class TerritoryDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = TerritoryDetailOutputSerializer

    @extend_schema(responses={200: TerritoryDetailOutputSerializer, 404: ErrorSerializer}, summary="One territory")
    def get(self, request: Request, code: str) -> Response:
        try:
            territory = territory_get(code=code)
        except Territory.DoesNotExist as exc:
            raise Http404 from exc
        return Response(TerritoryDetailOutputSerializer(territory).data)


class TerritoryBoundaryView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = GeoJSONFeatureSerializer

    @extend_schema(
        responses={200: GeoJSONFeatureSerializer, 404: ErrorSerializer},
        summary="Boundary of a territory as a GeoJSON Feature",
    )
    def get(self, request: Request, code: str) -> Response:
        try:
            feature = territory_boundary_geojson(code=code)
        except (Territory.DoesNotExist, Territory.boundary.RelatedObjectDoesNotExist) as exc:
            raise Http404 from exc
        return Response(feature, content_type="application/geo+json")
