"""Matching pots: the public list and detail, and opening a pot (finance officers and platform administrators)."""

from __future__ import annotations

from typing import Any

import rules
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from jusoor.accounts.rules import is_finance_officer, is_platform_admin
from jusoor.api.serializers import ErrorSerializer
from jusoor.api.v1.campaigns.params import AUTH_OPTIONAL, IDEMPOTENCY_KEY, idempotency_key, path_id
from jusoor.api.v1.donations.authentication import AnonymousIs401Mixin, require_two_factor
from jusoor.api.v1.matching_pots.idempotency import run_once
from jusoor.api.v1.matching_pots.selectors import matching_pot_get, matching_pot_public_list
from jusoor.api.v1.matching_pots.serializers import MatchingPotCreateInputSerializer, MatchingPotOutputSerializer
from jusoor.common.exceptions import ApplicationError
from jusoor.donations.services.matching import matching_pot_open

OPEN_PERMISSION = "donations.add_matchingpot"
# Until the donations app defines OPEN_PERMISSION: the finance staff.
may_open_pot = is_finance_officer | is_platform_admin

POT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Matching pot id")

POT_EXAMPLE = {
    "name": "Ramadan: every dinar doubled",
    "sponsor_name": "Fondation Ibn Khaldoun",
    "sponsor_organisation": None,
    "currency": "TND",
    "total": "5000.000",
    "ratio": "1.000",
    "cap_per_donation": "100.000",
    "cap_per_donor": None,
    "valid_from": "2025-03-01T00:00:00+01:00",
    "valid_until": "2025-03-31T00:00:00+01:00",
    "territories": ["TN-82"],
    "themes": ["education"],
    "campaigns": [],
}


class MatchingPotPermission(BasePermission):
    """Reading is public; opening a pot asks `donations.add_matchingpot` if the donations app defines it, else
    whether the caller is a finance officer or a platform administrator (the django-rules predicates)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method != "POST":
            return True
        if rules.perm_exists(OPEN_PERMISSION):
            return bool(request.user.has_perm(OPEN_PERMISSION))
        return bool(may_open_pot.test(request.user))


def _pot_exists(pot_id: int) -> bool:
    try:
        matching_pot_get(pot_id=pot_id)
    except Http404:
        return False
    return True


def _open(serializer: MatchingPotCreateInputSerializer, user: Any) -> int:
    try:
        pot = matching_pot_open(acting_user=user, **serializer.service_data())
    except ApplicationError as error:
        # The service checks the total as a donation amount: its field is `total` here.
        fields = error.extra.get("fields")
        if fields and "amount" in fields:
            error.extra["fields"] = {("total" if name == "amount" else name): v for name, v in fields.items()}
        raise
    return pot.pk


class MatchingPotListView(AnonymousIs401Mixin, GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [MatchingPotPermission]
    parser_classes = [JSONParser]
    serializer_class = MatchingPotOutputSerializer

    @extend_schema(
        responses={200: MatchingPotOutputSerializer(many=True)},
        auth=AUTH_OPTIONAL,
        summary="Matching pots",
        description="Active pots that have not ended (running, or about to start), the soonest to end first. "
        "`available` is what is left to match, from the ledger.",
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(matching_pot_public_list())
        return self.get_paginated_response(MatchingPotOutputSerializer(page, many=True).data)

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request=MatchingPotCreateInputSerializer,
        responses={
            201: MatchingPotOutputSerializer,
            200: MatchingPotOutputSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            409: ErrorSerializer,
        },
        summary="Open a matching pot",
        description="Finance officers and platform administrators, with two-factor authentication set up "
        "(otherwise a 403 `two_factor_required`). Books the sponsor's commitment in the ledger. 400 codes: "
        "`invalid`, `amount_invalid`, `too_many_decimals`, `amount_too_small`, `unsupported_currency` (on "
        "`total`), `matching_pot_invalid` (ratio or caps not above zero, or ending before it starts). With an "
        "`Idempotency-Key` already used for the same body, the pot it opened is returned (200); for another body, "
        "a 409 `idempotency_key_reused`.",
        examples=[OpenApiExample("A pot doubling donations in Medenine", value=POT_EXAMPLE, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        require_two_factor(request.user)
        key = idempotency_key(request)
        serializer = MatchingPotCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if key is None:
            pot_id, created = _open(serializer, request.user), True
        else:
            pot_id, created = run_once(
                scope=f"matching-pot:{request.user.pk}",
                key=key,
                request=serializer.fingerprint(),
                create=lambda: _open(serializer, request.user),
                exists=_pot_exists,
            )
        return Response(
            MatchingPotOutputSerializer(matching_pot_get(pot_id=pot_id)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class MatchingPotDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = MatchingPotOutputSerializer

    @extend_schema(
        parameters=[POT_ID],
        responses={200: MatchingPotOutputSerializer, 404: ErrorSerializer},
        auth=AUTH_OPTIONAL,
        summary="One matching pot",
        description="Any pot, ended or withdrawn ones too.",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(MatchingPotOutputSerializer(matching_pot_get(pot_id=path_id(id))).data)
