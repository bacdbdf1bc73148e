"""Pages of an applicant organisation: start an application, fill in the form, send it, withdraw it, follow it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.calls.forms import ApplyForm, ReasonForm, answers_from_post, files_from_post
from jusoor.calls.models import Answer, Application, Question
from jusoor.calls.selectors.applications import application_answers, organizations_that_can_apply, user_applications
from jusoor.calls.selectors.calls import call_questions
from jusoor.calls.services.answers import field_name
from jusoor.calls.services.applications import (
    application_save_answers,
    application_start,
    application_submit,
    application_withdraw,
)
from jusoor.calls.views.base import ApplicationPermissionMixin, CallPermissionMixin
from jusoor.common.exceptions import ApplicationError


class ApplyView(CallPermissionMixin, ProtectedPageMixin, View):
    """Choose which of your organisations applies; its draft is created (or found again)."""

    permission_required = "calls.apply"

    def _organizations(self, request: HttpRequest) -> Any:
        return organizations_that_can_apply(viewer=request.user)

    def _render(self, request: HttpRequest, form: ApplyForm, status: int = 200) -> HttpResponse:
        return render(request, "calls/apply.html", {"call": self.call, "form": form}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, ApplyForm(organizations=self._organizations(request)))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ApplyForm(request.POST, organizations=self._organizations(request))
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            application = application_start(
                call=self.call, organization=form.cleaned_data["organization"], acting_user=request.user
            )
        except ApplicationError as error:
            form.add_error(None, str(error.message))
            return self._render(request, form, status=400)
        if application.status != Application.Status.DRAFT:
            return redirect("calls:application_detail", pk=application.pk)
        return redirect("calls:application_form", pk=application.pk)


def form_fields(
    questions: list[Question], answers: dict[int, Answer], posted: dict[int, Any] | None, errors: dict[str, Any]
) -> list[dict[str, Any]]:
    """What the template needs to show each question: its input name, current value, budget rows, errors."""
    fields = []
    for question in questions:
        name = field_name(question)
        answer = answers.get(question.pk)
        value = posted.get(question.pk) if posted is not None else (answer.value if answer else None)
        item: dict[str, Any] = {"question": question, "name": name, "value": value, "answer": answer}
        if question.kind == Question.Kind.BUDGET:
            item["rows"] = list(value or []) or [{"label": "", "amount": ""}]
        if question.kind == Question.Kind.MULTIPLE_CHOICE:
            item["selected"] = list(value or [])
        item["errors"] = [str(message) for message in errors.get(name, [])]
        fields.append(item)
    return fields


class ApplicationFormView(ApplicationPermissionMixin, ProtectedPageMixin, View):
    """The application form: save the draft (incomplete is fine), or save and send it."""

    permission_required = "calls.change_application"

    def _render(
        self,
        request: HttpRequest,
        posted: dict[int, Any] | None = None,
        error: ApplicationError | None = None,
        status: int = 200,
    ) -> HttpResponse:
        application = self.application
        pairs = application_answers(application=application)
        questions = [question for question, _answer in pairs]
        answers = {question.pk: answer for question, answer in pairs if answer is not None}
        errors = error.extra.get("fields", {}) if error else {}
        context = {
            "application": application,
            "call": application.call,
            "fields": form_fields(questions, answers, posted, errors),
            "error": str(error.message) if error else "",
        }
        return render(request, "calls/application_form.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        questions = call_questions(call=self.application.call)
        answers = answers_from_post(questions, request.POST)
        try:
            application_save_answers(
                application=self.application,
                answers=answers,
                files=files_from_post(questions, request.FILES),
                acting_user=request.user,
            )
            if request.POST.get("action") == "submit":
                application = application_submit(application=self.application, acting_user=request.user)
                messages.success(request, _("Your application has been sent."))
                return redirect("calls:application_detail", pk=application.pk)
        except ApplicationError as error:
            return self._render(request, answers, error, status=400)
        messages.success(request, _("Your draft has been saved."))
        return redirect("calls:application_form", pk=pk)


@login_required
@require_GET
def budget_row_view(request: HttpRequest) -> HttpResponse:
    """One more empty budget line for a budget question (htmx)."""
    question = request.GET.get("question", "")
    if not question.isdigit():
        return HttpResponse(status=204)
    return render(request, "calls/_budget_row.html", {"name": f"q{question}", "row": {"label": "", "amount": ""}})


class ApplicationDetailView(ApplicationPermissionMixin, ProtectedPageMixin, View):
    """One application: its status with the reasons, its answers; the applicant's and the managers' actions."""

    permission_required = "calls.view_application"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self.application
        user = request.user
        can_decide = user.has_perm("calls.decide_application", application)
        context = {
            "application": application,
            "call": application.call,
            "answers": application_answers(application=application),
            "can_change": user.has_perm("calls.change_application", application),
            "can_withdraw": user.has_perm("calls.withdraw_application", application),
            "can_decide": can_decide,
            "actions": decision_actions(application) if can_decide else [],
            "reason_form": ReasonForm(),
        }
        return render(request, "calls/application_detail.html", context)


def decision_actions(application: Application) -> list[tuple[str, str]]:
    """(action, label) of the managers' moves allowed from the application's status."""
    from jusoor.calls.views.manage import ACTIONS  # noqa: PLC0415  (the managers' page owns the list)

    return [
        (action, str(label))
        for action, (target, label, _service) in ACTIONS.items()
        if application.can_transition_to(target)
    ]


class ApplicationWithdrawView(ApplicationPermissionMixin, ProtectedPageMixin, View):
    permission_required = "calls.withdraw_application"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            application_withdraw(application=self.application, acting_user=request.user, reason=reason)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("calls:application_detail", pk=pk)


@login_required
@require_GET
def my_applications_view(request: HttpRequest) -> HttpResponse:
    applications = list(user_applications(viewer=request.user)[:200])
    return render(request, "calls/my_applications.html", {"applications": applications})
