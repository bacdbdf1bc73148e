"""Reads about applications: one application for a viewer, a manager's list for a call (filters, sorting, counts per
status, a constant number of queries whatever the page size), and the applications of a user's organisations."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jusoor.calls.models import Answer, Application, Call, Question
from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.territories.folding import fold_search_text
from jusoor.territories.models import Territory

SORTS = {
    "submitted": (F("submitted_at").desc(nulls_last=True), "-pk"),
    "oldest": (F("submitted_at").asc(nulls_last=True), "pk"),
    "name": ("organization__name_fr", "organization__name_ar", "pk"),
    "amount": (F("requested_amount").desc(nulls_last=True), "-pk"),
    "status": ("status", "-pk"),
}


def application_get(*, application_id: int, viewer: Any, permission: str = "calls.view_application") -> Application:
    """The application with what its page shows, if `viewer` has `permission` on it; otherwise the same 404."""
    application = (
        Application.objects.select_related(
            "call__programme", "organization__kind", "organization__territory__parent__parent"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None or not viewer.has_perm(permission, application):
        raise Http404
    return application


def application_answers(*, application: Application) -> list[tuple[Question, Answer | None]]:
    """Each question of the call's form with the application's answer (None when unanswered), in order."""
    answers = {answer.question_id: answer for answer in Answer.objects.filter(application=application)}
    questions = Question.objects.filter(call_id=application.call_id).order_by("position", "id")
    return [(question, answers.get(question.pk)) for question in questions]


def _in_territory(code: str) -> Q:
    territory = Territory.objects.filter(code=code.replace("\x00", "")).values_list("pk", flat=True).first()
    if territory is None:
        raise ApplicationError(_("This territory does not exist."), code="unknown_territory")
    return (
        Q(organization__territory_id=territory)
        | Q(organization__territory__parent_id=territory)
        | Q(organization__territory__parent__parent_id=territory)
    )


def application_list(
    *, call: Call, viewer: Any, status: str = "", territory_code: str = "", search: str = "", sort: str = "submitted"
) -> QuerySet[Application]:
    """A call's applications for its managers. Drafts are listed only when asked for by status. A territory keeps the
    organisations based in it or below it; the search matches the organisation's names (folded). Unknown values raise
    ApplicationError."""
    applications = Application.objects.filter(call=call)
    if status:
        if status not in Application.Status.values:
            raise ApplicationError(_("This status cannot be listed."), code="unknown_status")
        applications = applications.filter(status=status)
    else:
        applications = applications.exclude(status=Application.Status.DRAFT)
    if territory_code:
        applications = applications.filter(_in_territory(territory_code))
    search = fold_search_text(search.replace("\x00", "")).strip()
    if search:
        applications = applications.filter(organization__search_text__contains=search)
    if sort not in SORTS:
        raise ApplicationError(_("This order is not offered."), code="unknown_sort")
    return applications.select_related("organization__territory").order_by(*SORTS[sort])


def application_status_counts(*, call: Call) -> dict[str, int]:
    """{status: count} for every status (zeros included), in one query."""
    counts = dict.fromkeys(Application.Status.values, 0)
    rows = Application.objects.filter(call=call).values("status").annotate(n=Count("pk")).order_by()
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def user_applications(*, viewer: Any) -> QuerySet[Application]:
    """The applications of the organisations the viewer belongs to, the latest first."""
    if not getattr(viewer, "is_authenticated", False):
        return Application.objects.none()
    return (
        Application.objects.filter(organization__memberships__user=viewer)
        .select_related("call__programme", "organization")
        .order_by("-created_at", "-pk")
    )


def organizations_that_can_apply(*, viewer: Any) -> QuerySet[Organization]:
    """The organisations the viewer administers (owner or admin): the ones they may apply for."""
    if not getattr(viewer, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user_id=viewer.pk, memberships__role__in=[MembershipRole.OWNER, MembershipRole.ADMIN]
    ).order_by("name_fr", "name_ar")
