"""Coaching: the programme's coaching page (assignments and sessions), the coach's log form, a session's page where
the organisation confirms or disputes it, and the list of sessions waiting for the viewer's confirmation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.incubation.forms import AssignCoachForm, ReasonForm, SessionForm
from jusoor.incubation.selectors.coaching import (
    assignment_get,
    assignment_list,
    session_get,
    session_list,
    sessions_to_confirm,
)
from jusoor.incubation.services.coaching import (
    coach_assign,
    coaching_session_confirm,
    coaching_session_correct,
    coaching_session_dispute,
    coaching_session_log,
)
from jusoor.incubation.views.activities import ProgrammePage
from jusoor.incubation.views.base import IncubationView


class CoachingView(ProgrammePage):
    """Managers see every coach's assignments and sessions and assign coaches; a coach sees their own."""

    permission_required = "incubation.list_sessions"
    template_name = "incubation/coaching.html"

    def context(self, assign_form: Any = None) -> dict[str, Any]:
        programme, user = self.object, self.request.user
        can_assign = user.has_perm("incubation.assign_coach", programme)
        return {
            "programme": programme,
            "sessions": list(session_list(programme=programme, viewer=user, all_coaches=can_assign)[:200]),
            "assignments": list(assignment_list(programme=programme, viewer=user, all_coaches=can_assign)),
            "can_assign": can_assign,
            "assign_form": assign_form or (AssignCoachForm(programme=programme) if can_assign else None),
        }

    def get(self, request: HttpRequest, programme_pk: int) -> HttpResponse:
        return self.page(self.context())


class AssignCoachView(CoachingView):
    permission_required = "incubation.assign_coach"

    def post(self, request: HttpRequest, programme_pk: int) -> HttpResponse:
        form = AssignCoachForm(request.POST, programme=self.object)
        if form.is_valid():
            try:
                coach_assign(programme=self.object, acting_user=request.user, **form.cleaned_data)
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The coach has been assigned."))
                return redirect("incubation:coaching", programme_pk=self.object.pk)
        return self.page(self.context(assign_form=form), status=400)


class SessionLogView(IncubationView):
    """The coach logs a session with an organisation assigned to them."""

    permission_required = "incubation.log_session"
    template_name = "incubation/session_form.html"

    def load(self) -> Any:
        return assignment_get(
            assignment_id=self.kwargs["pk"], viewer=self.request.user, permission="incubation.log_session"
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page({"assignment": self.object, "form": SessionForm()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                session = coaching_session_log(
                    programme=self.object.programme,
                    coach=request.user,
                    organization=self.object.organization,
                    data=form.cleaned_data,
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The session has been logged. The organisation will confirm it."))
                return redirect("incubation:session_detail", pk=session.pk)
        return self.page({"assignment": self.object, "form": form}, status=400)


class SessionPage(IncubationView):
    permission_required = "incubation.view_session"

    def load(self) -> Any:
        return session_get(session_id=self.kwargs["pk"], viewer=self.request.user)


class SessionDetailView(SessionPage):
    template_name = "incubation/session_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.object
        context = {
            "session": session,
            "can_confirm": request.user.has_perm("incubation.confirm_session", session),
            "can_correct": request.user.has_perm("incubation.correct_session", session),
            "dispute_form": ReasonForm(prefix="dispute"),
        }
        return self.page(context)


class SessionCorrectView(SessionPage):
    """The coach corrects a session waiting for confirmation or disputed; it waits for confirmation again."""

    permission_required = "incubation.correct_session"
    template_name = "incubation/session_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        initial = {name: getattr(self.object, name) for name in SessionForm.base_fields}
        return self.page({"session": self.object, "form": SessionForm(initial=initial)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                coaching_session_correct(session=self.object, coach=request.user, data=form.cleaned_data)
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The session has been corrected. The organisation will confirm it."))
                return redirect("incubation:session_detail", pk=self.object.pk)
        return self.page({"session": self.object, "form": form}, status=400)


class SessionConfirmView(SessionPage):
    permission_required = "incubation.confirm_session"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            coaching_session_confirm(session=self.object, acting_user=request.user)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Thank you: the session is confirmed."))
        return redirect("incubation:session_detail", pk=self.object.pk)


class SessionDisputeView(SessionPage):
    permission_required = "incubation.confirm_session"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ReasonForm(request.POST, prefix="dispute")
        try:
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            coaching_session_dispute(session=self.object, acting_user=request.user, reason=reason)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The coach will see that you dispute this session."))
        return redirect("incubation:session_detail", pk=self.object.pk)


@login_required
def sessions_to_confirm_view(request: HttpRequest) -> HttpResponse:
    """The coaching sessions of the organisations the viewer administers, those waiting for them first."""
    sessions = list(sessions_to_confirm(viewer=request.user)[:200])
    return render(request, "incubation/sessions_to_confirm.html", {"sessions": sessions})
