"""Calls for applications and applications: parse, authorise, call one selector or service, render (STYLE §3).

- the list of open calls and one call are public (an unpublished call is a 404 outside the programme's team);
- a call's applications: its programme's managers see every one; the members of an organisation see their own
  organisation's; reviewers get theirs from the review, never here;
- applying and submitting go through the calls app's services, which check the clock themselves: after the deadline
  a request is a 400 `deadline_passed` and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from jusoor.api.serializers import ErrorSerializer
from jusoor.api.v1.calls.eligibility import call_rules_in_words
from jusoor.api.v1.calls.selectors import (
    application_exists,
    application_with_answers,
    belongs_to_an_organization,
    call_application_get,
    call_applications_for,
    existing_application,
    may_list_all_applications,
)
from jusoor.api.v1.calls.serializers import (
    ApplicationAnswersInputSerializer,
    ApplicationCreateInputSerializer,
    ApplicationDetailOutputSerializer,
    ApplicationFilterSerializer,
    ApplicationOutputSerializer,
    CallDetailOutputSerializer,
    CallFilterSerializer,
    CallListOutputSerializer,
)
from jusoor.api.v1.campaigns.params import AUTH_OPTIONAL, IDEMPOTENCY_KEY, idempotency_key, path_id
from jusoor.api.v1.donations.authentication import AnonymousIs401Mixin
from jusoor.api.v1.matching_pots.idempotency import run_once
from jusoor.calls.error_codes import CallErrorCode
from jusoor.calls.models import Call
from jusoor.calls.rules import is_applicant_admin
from jusoor.calls.selectors.calls import call_get, call_questions, open_call_list
from jusoor.calls.services.applications import application_save_answers, application_start, application_submit
from jusoor.common.exceptions import ApplicationError

CALL_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Call id")
APPLICATION_ID = OpenApiParameter("app_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Application id")

MSG_ALREADY_APPLIED = _("This organisation has already applied to this call (application %(id)s).")

APPLY_EXAMPLE = {
    "organisation": 42,
    "answers": {"12": "Jeunes entrepreneurs de Casablanca", "13": [{"label": "Formation", "amount": "30000"}]},
}


class AlreadyAppliedError(ApplicationError):
    code = CallErrorCode.ALREADY_APPLIED
    status = 409


class ApplicationsPermission(BasePermission):
    """Logged-in callers only (401 otherwise). Listing a call's applications: its programme's managers
    (`calls.list_applications`) and members of an organisation (who are served their own organisation's); anyone
    else (a reviewer, a user without an organisation) is a 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method != "GET":
            return True
        return may_list_all_applications(call=obj, viewer=request.user) or belongs_to_an_organization(
            viewer=request.user
        )


class ApplicationPermission(BasePermission):
    """Logged-in callers only (401 otherwise). Reading an application: whoever `calls.view_application` lets see it
    (checked by the selector: a 404 otherwise). Changing or submitting it: the owners and administrators of the
    applicant organisation (`is_applicant_admin`, the predicate of `calls.change_application`; whether the
    application can still change is the service's answer, a 400)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return request.method == "GET" or bool(is_applicant_admin.test(request.user, obj))


def _detail(application_id: int) -> dict[str, Any]:
    application, answers = application_with_answers(application_id=application_id)
    return ApplicationDetailOutputSerializer(application, context={"answers": answers}).data  # type: ignore[return-value]


class CallListView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = CallListOutputSerializer

    @extend_schema(
        parameters=[CallFilterSerializer],
        responses={200: CallListOutputSerializer(many=True), 400: ErrorSerializer},
        auth=AUTH_OPTIONAL,
        summary="Open calls for applications",
        description="Published calls open now (opens_at ≤ now < closes_at), the nearest deadline first. An unknown "
        "country or theme is a 400 (`invalid`, `unknown_theme`).",
    )
    def get(self, request: Request) -> Response:
        filters = CallFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        calls = open_call_list(
            viewer=request.user,
            country=data.get("country", ""),
            theme=data.get("theme", ""),
            programme_id=data.get("programme"),
        )
        page = self.paginate_queryset(calls)
        return self.get_paginated_response(CallListOutputSerializer(page, many=True).data)


class CallDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = CallDetailOutputSerializer

    @extend_schema(
        parameters=[CALL_ID],
        responses={200: CallDetailOutputSerializer, 404: ErrorSerializer},
        auth=AUTH_OPTIONAL,
        summary="One call for applications",
        description="With who can apply (each rule also in words, in the caller's language) and the application "
        "form: the questions in order, with their kind, labels, choices and word limits. Closed calls stay "
        "readable; an unpublished call is a 404 outside its programme's team.",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        call = call_get(call_id=path_id(id), viewer=request.user)
        context = {"questions": call_questions(call=call), "rules": call_rules_in_words(call)}
        return Response(CallDetailOutputSerializer(call, context=context).data)


class CallApplicationsView(AnonymousIs401Mixin, GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [ApplicationsPermission]
    parser_classes = [JSONParser]
    serializer_class = ApplicationOutputSerializer

    @extend_schema(
        parameters=[CALL_ID, ApplicationFilterSerializer],
        responses={
            200: ApplicationOutputSerializer(many=True),
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="A call's applications",
        description="For the programme's managers (platform administrators and programme managers too): every "
        "application, the latest submitted first, drafts only with `status=draft`. For the members of an "
        "organisation: their own organisations' applications to this call, drafts included (an empty list when "
        "they have not applied). Reviewers read the applications assigned to them in the review, not here: a "
        "caller who is neither a manager nor a member of an organisation gets a 403 `permission_denied`; an "
        "anonymous caller a 401 `not_authenticated`.",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        call = call_get(call_id=path_id(id), viewer=request.user)
        self.check_object_permissions(request, call)
        filters = ApplicationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        applications = call_applications_for(
            call=call, viewer=request.user, status=filters.validated_data.get("status", "")
        )
        page = self.paginate_queryset(applications)
        return self.get_paginated_response(ApplicationOutputSerializer(page, many=True).data)

    @extend_schema(
        parameters=[CALL_ID, IDEMPOTENCY_KEY],
        request=ApplicationCreateInputSerializer,
        responses={
            201: ApplicationDetailOutputSerializer,
            200: ApplicationDetailOutputSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
        summary="Apply: start an application",
        description="For the owners and administrators of the applying organisation (otherwise a 403 "
        "`not_organization_admin`). Creates the organisation's draft with the answers given, which may be "
        "incomplete; submit it with `…/submit/`. Every answer is checked against its question: one invalid "
        "answer refuses the whole request (400 `answer_invalid`, the messages under `q<question id>`) and nothing "
        "is written. Other 400 codes: `invalid`, `deadline_passed`, `call_not_open`. One application per "
        "organisation and call: a second one is a 409 `already_applied`. With an `Idempotency-Key` already used "
        "for the same body, the application it created is returned (200); for another body, a 409 "
        "`idempotency_key_reused`.",
        examples=[OpenApiExample("A draft with two answers", value=APPLY_EXAMPLE, request_only=True)],
    )
    def post(self, request: Request, id: str) -> Response:  # noqa: A002
        call = call_get(call_id=path_id(id), viewer=request.user)
        key = idempotency_key(request)
        serializer = ApplicationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def create() -> int:
            return _apply(call, data["organisation"], data["answers"], request.user)

        if key is None:
            application_id, created = create(), True
        else:
            application_id, created = run_once(
                scope=f"call-application:{request.user.pk}:{call.pk}",
                key=key,
                request=serializer.fingerprint(),
                create=create,
                exists=application_exists,
            )
        return Response(_detail(application_id), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@transaction.atomic
def _apply(call: Call, organization: Any, answers: dict[int, Any], user: Any) -> int:
    """The draft and its answers in one transaction: an invalid answer leaves no draft behind."""
    existing = existing_application(call=call, organization_id=organization.pk)
    application = application_start(call=call, organization=organization, acting_user=user)
    if existing is not None:
        raise AlreadyAppliedError(MSG_ALREADY_APPLIED % {"id": existing.pk})
    if answers:
        application_save_answers(application=application, answers=answers, acting_user=user)
    return application.pk


class ApplicationDetailView(AnonymousIs401Mixin, GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [ApplicationPermission]
    parser_classes = [JSONParser]
    serializer_class = ApplicationDetailOutputSerializer

    @extend_schema(
        parameters=[CALL_ID, APPLICATION_ID],
        responses={200: ApplicationDetailOutputSerializer, 401: ErrorSerializer, 404: ErrorSerializer},
        summary="One application",
        description="With its answers. For the members of the applicant organisation and the programme's managers; "
        "404 for anyone else (reviewers read the applications assigned to them in the review).",
    )
    def get(self, request: Request, id: str, app_id: str) -> Response:  # noqa: A002
        call = call_get(call_id=path_id(id), viewer=request.user)
        application = call_application_get(call=call, application_id=path_id(app_id), viewer=request.user)
        self.check_object_permissions(request, application)
        return Response(_detail(application.pk))

    @extend_schema(
        parameters=[CALL_ID, APPLICATION_ID],
        request=ApplicationAnswersInputSerializer,
        responses={
            200: ApplicationDetailOutputSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="Change a draft's answers",
        description="For the owners and administrators of the applicant organisation, while the application is a "
        'draft and the call open. Only the questions given change; an empty value (null, "", []) removes an '
        "answer. One invalid answer refuses the whole request (400 `answer_invalid`, the messages under "
        "`q<question id>`) and nothing is written. Other 400 codes: `invalid`, `not_editable` (already sent), "
        "`deadline_passed`. 404 when the caller may not see the application; 403 for its other readers.",
    )
    def patch(self, request: Request, id: str, app_id: str) -> Response:  # noqa: A002
        call = call_get(call_id=path_id(id), viewer=request.user)
        application = call_application_get(call=call, application_id=path_id(app_id), viewer=request.user)
        self.check_object_permissions(request, application)
        serializer = ApplicationAnswersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application_save_answers(
            application=application, answers=serializer.validated_data["answers"], acting_user=request.user
        )
        return Response(_detail(application.pk))


class ApplicationSubmitView(AnonymousIs401Mixin, GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [ApplicationPermission]
    parser_classes = [JSONParser]
    serializer_class = ApplicationDetailOutputSerializer

    @extend_schema(
        parameters=[CALL_ID, APPLICATION_ID],
        request=None,
        responses={
            200: ApplicationDetailOutputSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="Submit an application",
        description="For the owners and administrators of the applicant organisation, before the call's deadline "
        "(checked when the request arrives: afterwards a 400 `deadline_passed`, and nothing is written). Every "
        "required question must be answered (400 `answers_missing`, the questions under `q<question id>`). The "
        "call's eligibility rules are then checked: the application comes back `eligible` or `ineligible`, each "
        "rule with its reason in the caller's language. Submitting again changes nothing. 404 when the caller may "
        "not see the application; 403 for its other readers (members, the programme's managers).",
    )
    def post(self, request: Request, id: str, app_id: str) -> Response:  # noqa: A002
        call = call_get(call_id=path_id(id), viewer=request.user)
        application = call_application_get(call=call, application_id=path_id(app_id), viewer=request.user)
        self.check_object_permissions(request, application)
        application_submit(application=application, acting_user=request.user)
        return Response(_detail(application.pk))
