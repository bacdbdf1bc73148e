"""Pages of the programme's managers: create and edit a call, build its form, list and decide applications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.calls.forms import CallForm, QuestionForm, ReasonForm
from jusoor.calls.models import Application, Question
from jusoor.calls.selectors.applications import application_list, application_status_counts
from jusoor.calls.selectors.calls import call_questions, programme_for_calls, question_get
from jusoor.calls.services.applications import (
    application_override_eligibility,
    application_reject,
    application_select,
    application_shortlist,
    application_start_review,
    application_start_review_bulk,
    application_waitlist,
)
from jusoor.calls.services.calls import (
    call_create,
    call_publish,
    call_update,
    question_add,
    question_move,
    question_remove,
    question_update,
)
from jusoor.calls.views.base import ApplicationPermissionMixin, CallPermissionMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.programmes.models import Programme

Status = Application.Status
PAGE_SIZE = 50


def _override(eligible: bool) -> Callable[..., Application]:
    def run(*, application: Application, acting_user: Any, reason: str) -> Application:
        return application_override_eligibility(
            application=application, acting_user=acting_user, reason=reason, eligible=eligible
        )

    return run


# action → (target status, button label, service)
ACTIONS: dict[str, tuple[str, str | Promise, Callable[..., Application]]] = {
    "eligible": (Status.ELIGIBLE, gettext_lazy("Declare eligible"), _override(True)),
    "ineligible": (Status.INELIGIBLE, gettext_lazy("Declare not eligible"), _override(False)),
    "review": (Status.UNDER_REVIEW, gettext_lazy("Start the review"), application_start_review),
    "shortlist": (Status.SHORTLISTED, gettext_lazy("Shortlist"), application_shortlist),
    "select": (Status.SELECTED, gettext_lazy("Select"), application_select),
    "waitlist": (Status.WAITLISTED, gettext_lazy("Put on the waiting list"), application_waitlist),
    "reject": (Status.REJECTED, gettext_lazy("Reject"), application_reject),
}


class ProgrammePermissionMixin(PermissionRequiredMixin):
    request: HttpRequest
    kwargs: dict[str, Any]
    programme: Programme

    def get_permission_object(self) -> Programme:
        if not hasattr(self, "programme"):
            self.programme = programme_for_calls(programme_id=self.kwargs["pk"])
        return self.programme


class CallCreateView(ProgrammePermissionMixin, ProtectedPageMixin, View):
    permission_required = "calls.add_call"

    def _render(self, request: HttpRequest, form: CallForm, status: int = 200) -> HttpResponse:
        return render(request, "calls/call_form.html", {"programme": self.programme, "form": form}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        language = (request.LANGUAGE_CODE or "fr")[:2]
        return self._render(request, CallForm(initial={"primary_language": language, "require_verified": True}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = CallForm(request.POST)
        if form.is_valid():
            try:
                call = call_create(programme=self.programme, acting_user=request.user, data=form.service_data())
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The call has been saved. Now build its application form."))
                return redirect("calls:questions", pk=call.pk)
        return self._render(request, form, status=400)


class CallUpdateView(CallPermissionMixin, ProtectedPageMixin, View):
    permission_required = "calls.change_call"

    def _render(self, request: HttpRequest, form: CallForm, status: int = 200) -> HttpResponse:
        context = {"programme": self.call.programme, "call": self.call, "form": form}
        return render(request, "calls/call_form.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, CallForm(call=self.call))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = CallForm(request.POST)
        if form.is_valid():
            try:
                call_update(call=self.call, acting_user=request.user, data=form.service_data())
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The call has been saved."))
                return redirect("calls:detail", pk=pk)
        return self._render(request, form, status=400)


class CallPublishView(CallPermissionMixin, ProtectedPageMixin, View):
    permission_required = "calls.change_call"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            call_publish(call=self.call, acting_user=request.user)
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect("calls:questions", pk=pk)
        messages.success(request, _("The call has been published."))
        return redirect("calls:detail", pk=pk)


class QuestionsView(CallPermissionMixin, ProtectedPageMixin, View):
    """The form builder: the questions in order (move up/down, remove) and a form to add one. With htmx the list
    is swapped in place."""

    permission_required = "calls.change_call"

    def _render(self, request: HttpRequest, form: QuestionForm, status: int = 200) -> HttpResponse:
        context = {"call": self.call, "questions": call_questions(call=self.call), "form": form}
        template = "calls/_questions.html" if request.htmx else "calls/questions.html"  # type: ignore[attr-defined]
        return render(request, template, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, QuestionForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                question_add(call=self.call, acting_user=request.user, data=form.service_data())
            except ApplicationError as error:
                add_service_error(form, error, aliases={"label": "label_fr", "help_text": "help_fr"})
            else:
                if request.htmx:  # type: ignore[attr-defined]
                    return self._render(request, QuestionForm())
                messages.success(request, _("The question has been added."))
                return redirect("calls:questions", pk=pk)
        return self._render(request, form, status=400)


class QuestionPermissionMixin(PermissionRequiredMixin):
    request: HttpRequest
    kwargs: dict[str, Any]
    question: Question

    def get_permission_object(self) -> Any:
        if not self.request.user.is_authenticated:
            return None
        if not hasattr(self, "question"):
            self.question = question_get(question_id=self.kwargs["pk"], viewer=self.request.user)
        return self.question.call


class QuestionUpdateView(QuestionPermissionMixin, ProtectedPageMixin, View):
    permission_required = "calls.change_call"

    def _render(self, request: HttpRequest, form: QuestionForm, status: int = 200) -> HttpResponse:
        context = {"call": self.question.call, "question": self.question, "form": form}
        return render(request, "calls/question_form.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, QuestionForm(question=self.question))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                question_update(question=self.question, acting_user=request.user, data=form.service_data())
            except ApplicationError as error:
                add_service_error(form, error, aliases={"label": "label_fr", "help_text": "help_fr"})
            else:
                messages.success(request, _("The question has been saved."))
                return redirect("calls:questions", pk=self.question.call_id)
        return self._render(request, form, status=400)


class QuestionActionView(QuestionPermissionMixin, ProtectedPageMixin, View):
    """Move a question up or down, or remove it (POST `action` = up / down / remove)."""

    permission_required = "calls.change_call"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        call = self.question.call
        try:
            if action == "remove":
                question_remove(question=self.question, acting_user=request.user)
            elif action in ("up", "down"):
                question_move(question=self.question, acting_user=request.user, offset=-1 if action == "up" else 1)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        if request.htmx:  # type: ignore[attr-defined]
            context = {"call": call, "questions": call_questions(call=call), "form": QuestionForm()}
            return render(request, "calls/_questions.html", context)
        return redirect("calls:questions", pk=call.pk)


class ApplicationListView(CallPermissionMixin, ProtectedPageMixin, View):
    """The call's applications for its managers: counts per status, filters, sorting, pages of 50."""

    permission_required = "calls.list_applications"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        filters = {name: request.GET.get(name, "").strip()[:100] for name in ("status", "territory", "q", "sort")}
        error, status = "", 200
        try:
            applications = application_list(
                call=self.call,
                viewer=request.user,
                status=filters["status"],
                territory_code=filters["territory"],
                search=filters["q"],
                sort=filters["sort"] or "submitted",
            )
        except ApplicationError as exc:
            error, status = str(exc.message), 400
            applications = Application.objects.none()
        page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "call": self.call,
            "filters": filters,
            "error": error,
            "page_obj": page,
            "applications": list(page.object_list),
            "counts": [(value, label, n) for (value, label), n in zip(Status.choices, self._counts(), strict=True)],
            "statuses": Status.choices,
            "query_string": urlencode({k: v for k, v in filters.items() if v}),
        }
        template = "calls/_application_rows.html" if request.htmx else "calls/applications.html"  # type: ignore[attr-defined]
        return render(request, template, context, status=status)

    def _counts(self) -> list[int]:
        counts = application_status_counts(call=self.call)
        return [counts[value] for value in Status.values]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Start the review of every eligible application of the call."""
        if request.POST.get("action") == "review_all":
            moved = application_start_review_bulk(call=self.call, acting_user=request.user)
            messages.success(request, _("Applications put under review: %(count)d.") % {"count": moved})
        return redirect("calls:applications", pk=pk)


class ApplicationDecideView(ApplicationPermissionMixin, ProtectedPageMixin, View):
    permission_required = "calls.decide_application"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        form = ReasonForm(request.POST)
        if action not in ACTIONS or not form.is_valid():
            messages.error(request, _("Choose one of the actions offered."))
            return redirect("calls:application_detail", pk=pk)
        _target, label, service = ACTIONS[action]
        try:
            service(application=self.application, acting_user=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("Done: %(action)s.") % {"action": label},
            )
        return redirect("calls:application_detail", pk=pk)
