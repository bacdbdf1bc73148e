"""The reads the call endpoints need beyond the calls app's selectors (`jusoor.calls.selectors`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from jusoor.calls.models import Answer, Application, Call
from jusoor.calls.selectors.applications import application_get, application_list
from jusoor.organizations.selectors.memberships import user_organization_roles
from jusoor.programmes.models import Programme


def published_programme_calls(*, programme: Programme) -> list[Call]:
    """The programme's published calls, the latest opening first (what anyone may see of them)."""
    return list(Call.objects.filter(programme=programme, published=True).order_by("-opens_at", "-pk"))


def may_list_all_applications(*, call: Call, viewer: Any) -> bool:
    return bool(viewer.has_perm("calls.list_applications", call))


def belongs_to_an_organization(*, viewer: Any) -> bool:
    return bool(user_organization_roles(viewer))


def call_applications_for(*, call: Call, viewer: Any, status: str = "") -> QuerySet[Application]:
    """The call's applications the viewer is served: every one for the programme's managers (drafts only when asked
    for by status, as in their list), otherwise those of the viewer's own organisations (drafts included). A
    reviewer gets nothing here through the review: the reviews app serves the applications assigned to them."""
    if may_list_all_applications(call=call, viewer=viewer):
        applications = application_list(call=call, viewer=viewer, status=status)
    else:
        organization_ids = list(user_organization_roles(viewer))
        applications = Application.objects.filter(call=call, organization_id__in=organization_ids).order_by(
            "-created_at", "-pk"
        )
        if status:
            applications = applications.filter(status=status)
    return applications.select_related("organization", "call__programme")


def call_application_get(*, call: Call, application_id: int, viewer: Any) -> Application:
    """One application of the call the viewer may see (`calls.view_application`); the same 404 otherwise."""
    application = application_get(application_id=application_id, viewer=viewer)
    if application.call_id != call.pk:
        raise Http404
    return application


def application_exists(application_id: int) -> bool:
    return Application.objects.filter(pk=application_id).exists()


def existing_application(*, call: Call, organization_id: int) -> Application | None:
    return Application.objects.filter(call=call, organization_id=organization_id).first()


def application_with_answers(*, application_id: int) -> tuple[Application, list[Answer]]:
    """The application as its creator or submitter gets it back, with its answers in the form's order."""
    application = Application.objects.select_related("organization", "call__programme").get(pk=application_id)
    answers = list(Answer.objects.filter(application_id=application_id).order_by("question__position", "question_id"))
    return application, answers
