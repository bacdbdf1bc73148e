"""Organisations, themes and SDGs: parse, authorise, call one service or selector, render (STYLE §3).

The permissions are the django-rules ones the pages ask (`jusoor/organizations/rules.py`), through
`RulesPermission`. An organisation the caller may not see is a 404, whatever the method.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from jusoor.accounts.selectors import user_has_2fa, user_requires_2fa
from jusoor.api.permissions import RulesPermission
from jusoor.api.serializers import ErrorSerializer
from jusoor.api.v1.organizations.serializers import (
    OrganizationCreateInputSerializer,
    OrganizationDetailOutputSerializer,
    OrganizationFilterSerializer,
    OrganizationKindOutputSerializer,
    OrganizationListOutputSerializer,
    OrganizationUpdateInputSerializer,
    SDGGoalOutputSerializer,
    ThemeOutputSerializer,
    VerificationInputSerializer,
)
from jusoor.organizations.models import Organization, OrganizationKind, SDGGoal, Theme
from jusoor.organizations.selectors.directory import organization_directory
from jusoor.organizations.selectors.organizations import organization_get
from jusoor.organizations.services.organizations import organization_create, organization_update
from jusoor.organizations.services.verification import (
    organization_refuse,
    organization_submit,
    organization_suspend,
    organization_verify,
)

PK_MAX = 2**63 - 1
ID_PARAMETER = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Organisation id")
ERRORS_READ = {404: ErrorSerializer}
ERRORS_WRITE = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
# GETs are open to anonymous callers too (RulesPermission lists no permission for them).
AUTH_OPTIONAL: Any = [{"cookieAuth": []}, {}]  # security requirement objects (the stubs say list[str])
VERIFICATION_SERVICES = {"verify": organization_verify, "refuse": organization_refuse, "suspend": organization_suspend}


def _flatten_errors(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """Nested field errors as one level, "name.fr" or "social_links.2", the shape ErrorSerializer documents."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            # A nested object's own errors ("name": "Expected a dictionary") stay under its name.
            nested_own = key == "non_field_errors" and prefix
            name = prefix if nested_own else (f"{prefix}.{key}" if prefix else str(key))
            for field, messages in _flatten_errors(value, name).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(errors, list) and any(isinstance(error, dict | list) for error in errors):
        flat = {}
        for index, value in enumerate(errors):
            flat.update(_flatten_errors(value, f"{prefix}.{index}"))
        return flat
    messages = errors if isinstance(errors, list) else [errors]
    return {prefix or "non_field_errors": [str(message) for message in messages]} if messages else {}


def _validated(serializer: serializers.Serializer) -> serializers.Serializer:  # type: ignore[type-arg]
    if not serializer.is_valid():
        raise serializers.ValidationError(_flatten_errors(serializer.errors))
    return serializer


def _organization_id(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or int(raw) > PK_MAX:
        raise Http404
    return int(raw)


def _detail(request: Request, organization: Organization, *, show_private: bool | None = None) -> dict[str, Any]:
    if show_private is None:
        show_private = request.user.has_perm("organizations.view_private_contact", organization)
    return OrganizationDetailOutputSerializer(  # type: ignore[return-value]
        organization, context={"request": request, "show_private": show_private}
    ).data


def _require_two_factor(user: Any) -> None:
    """As on the verification pages (ProtectedPageMixin): staff roles must have set up two-factor authentication."""
    if user_requires_2fa(user) and not user_has_2fa(user):
        raise exceptions.PermissionDenied(
            _("Your role requires two-factor authentication. Set it up to continue."), code="two_factor_required"
        )


class OrganizationObjectView(GenericAPIView):  # type: ignore[type-arg]
    """Loads the organisation of the URL through its selector (404 when missing or hidden from the caller),
    then checks the method's object permission (403)."""

    permission_classes = [RulesPermission]
    parser_classes = [JSONParser]
    serializer_class = OrganizationDetailOutputSerializer

    def get_organization(self, raw_id: str) -> Organization:
        organization = organization_get(organization_id=_organization_id(raw_id), viewer=self.request.user)
        self.check_object_permissions(self.request, organization)
        return organization


class OrganizationListView(GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [RulesPermission]
    permission_required = {"POST": "organizations.add_organization"}
    parser_classes = [JSONParser]
    serializer_class = OrganizationListOutputSerializer

    @extend_schema(
        parameters=[OrganizationFilterSerializer],
        responses={200: OrganizationListOutputSerializer(many=True), 400: ErrorSerializer},
        auth=AUTH_OPTIONAL,
        summary="The directory of organisations",
        description="Public organisations (verification pending or verified); verification officers see every "
        "status. Search (`q`) in Arabic, French or English; filters as on the directory page. Unknown filter "
        "values are a 400 (`unknown_territory`, `unknown_kind`, `unknown_theme`…). Contact details are never listed.",
    )
    def get(self, request: Request) -> Response:
        filters = _validated(OrganizationFilterSerializer(data=request.query_params)).validated_data
        organizations = organization_directory(
            viewer=request.user,
            q=filters.get("q", ""),
            country=filters.get("country", ""),
            territory_code=filters.get("territory", ""),
            kind=filters.get("kind", ""),
            theme=filters.get("theme", ""),
            sdg=filters.get("sdg"),
            verified_only=filters["verified"],
            sort=filters["sort"],
        ).prefetch_related("sdg_goals")
        page = self.paginate_queryset(organizations)
        data = OrganizationListOutputSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        request=OrganizationCreateInputSerializer,
        responses={201: OrganizationDetailOutputSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
        summary="Register an organisation",
        description="Any logged-in user; the caller becomes its owner. The organisation starts `unverified`. "
        "A registration number already registered in the same registry is a 400 `duplicate_registration`.",
    )
    def post(self, request: Request) -> Response:
        serializer = _validated(OrganizationCreateInputSerializer(data=request.data))
        organization = organization_create(acting_user=request.user, data=serializer.service_data())  # type: ignore[attr-defined]
        # The caller is its owner, so sees its contact details.
        return Response(_detail(request, organization, show_private=True), status=status.HTTP_201_CREATED)


class OrganizationDetailView(OrganizationObjectView):
    object_permission_required = {"PATCH": "organizations.change_organization"}

    @extend_schema(
        parameters=[ID_PARAMETER],
        responses={200: OrganizationDetailOutputSerializer, **ERRORS_READ},
        auth=AUTH_OPTIONAL,
        summary="One organisation",
        description="404 when it does not exist or the caller may not see it (unverified and suspended "
        "organisations are visible to their members and staff only).",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        return Response(_detail(request, self.get_organization(id)))

    @extend_schema(
        parameters=[ID_PARAMETER],
        request=OrganizationUpdateInputSerializer,
        responses={200: OrganizationDetailOutputSerializer, **ERRORS_WRITE},
        summary="Change an organisation",
        description="Owners and administrators of the organisation, platform administrators. Only the fields sent "
        "change; lists are replaced as a whole.",
    )
    def patch(self, request: Request, id: str) -> Response:  # noqa: A002
        organization = self.get_organization(id)
        serializer = _validated(
            OrganizationUpdateInputSerializer(data=request.data, partial=True, context={"organization": organization})
        )
        organization = organization_update(
            organization=organization,
            acting_user=request.user,
            data=serializer.service_data(),  # type: ignore[attr-defined]
        )
        return Response(_detail(request, organization))


class OrganizationVerificationView(OrganizationObjectView):
    object_permission_required = {"POST": "organizations.verify_organization"}

    @extend_schema(
        parameters=[ID_PARAMETER],
        request=VerificationInputSerializer,
        responses={200: OrganizationDetailOutputSerializer, **ERRORS_WRITE},
        summary="Verify, refuse or suspend an organisation",
        description="Verification officers and platform administrators (who, as on the pages, must have set up "
        "two-factor authentication: otherwise a 403 `two_factor_required`). The organisation's administrators are "
        "told the decision and its reason by e-mail. A transition the status does not allow is a 400 "
        "`invalid_transition`; repeating the current decision changes nothing.",
    )
    def post(self, request: Request, id: str) -> Response:  # noqa: A002
        organization = self.get_organization(id)
        _require_two_factor(request.user)
        decision = _validated(VerificationInputSerializer(data=request.data)).validated_data
        service = VERIFICATION_SERVICES[decision["action"]]
        organization = service(organization=organization, acting_user=request.user, reason=decision["reason"])
        return Response(_detail(request, organization))


class OrganizationSubmitView(OrganizationObjectView):
    object_permission_required = {"POST": "organizations.submit_organization"}

    @extend_schema(
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: OrganizationDetailOutputSerializer, **ERRORS_WRITE},
        summary="Ask for verification",
        description="Owners and administrators of the organisation, once the statutes and the proof of "
        "registration are uploaded (otherwise a 400 `documents_missing`). The status becomes `pending`.",
    )
    def post(self, request: Request, id: str) -> Response:  # noqa: A002
        organization = organization_submit(organization=self.get_organization(id), acting_user=request.user)
        return Response(_detail(request, organization))


class OrganizationKindListView(GenericAPIView):  # type: ignore[type-arg]
    pagination_class = None
    serializer_class = OrganizationKindOutputSerializer

    @extend_schema(
        responses={200: OrganizationKindOutputSerializer(many=True)},
        summary="Kinds of organisation (not paginated)",
        description="Association, cooperative, municipality…, in their display order. Give the `slug` as `kind`.",
    )
    def get(self, request: Request) -> Response:
        return Response(OrganizationKindOutputSerializer(OrganizationKind.objects.all(), many=True).data)


class ThemeListView(GenericAPIView):  # type: ignore[type-arg]
    pagination_class = None
    serializer_class = ThemeOutputSerializer

    @extend_schema(
        responses={200: ThemeOutputSerializer(many=True)},
        summary="Themes (not paginated)",
        description="Every theme, in its display order, with its name in Arabic, French and English. "
        "A short reference list, returned whole.",
    )
    def get(self, request: Request) -> Response:
        return Response(ThemeOutputSerializer(Theme.objects.all(), many=True).data)


class SDGListView(GenericAPIView):  # type: ignore[type-arg]
    pagination_class = None
    serializer_class = SDGGoalOutputSerializer

    @extend_schema(
        responses={200: SDGGoalOutputSerializer(many=True)},
        summary="The UN Sustainable Development Goals and their targets (not paginated)",
        description="The 17 goals in order, each with its targets, titles in Arabic, French and English. "
        "A fixed reference list, returned whole (two queries).",
    )
    def get(self, request: Request) -> Response:
        goals = SDGGoal.objects.prefetch_related("targets")
        return Response(SDGGoalOutputSerializer(goals, many=True).data)
