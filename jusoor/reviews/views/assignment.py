"""The managers' assignment page: reviewers' loads, automatic assignment, starting the review, manual changes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.reviews.forms import ManualAssignmentForm
from jusoor.reviews.selectors.reviews import (
    application_assignments,
    assignment_of_call,
    call_application,
    call_reviewers,
    reviewer_of_call,
    short_applications,
)
from jusoor.reviews.services.assignment import assign_reviewers, assignment_add, assignment_remove
from jusoor.reviews.services.decisions import review_start
from jusoor.reviews.views.base import CallPermissionMixin


class AssignmentView(CallPermissionMixin, ProtectedPageMixin, View):
    permission_required = "reviews.assign_reviewers"

    def _render(self, request: HttpRequest, form: ManualAssignmentForm, status: int = 200) -> HttpResponse:
        call = self.call
        looked_up = request.GET.get("application", "")
        application, assignments = (
            application_assignments(call=call, application_id=int(looked_up)) if looked_up.isdigit() else (None, [])
        )
        context = {
            "call": call,
            "reviewers": call_reviewers(call),
            "short": short_applications(call=call),
            "form": form,
            "looked_up": looked_up,
            "application": application,
            "assignments": assignments,
        }
        return render(request, "reviews/assignment.html", context, status=status)

    def get(self, request: HttpRequest, call_id: int) -> HttpResponse:
        return self._render(request, ManualAssignmentForm())

    def post(self, request: HttpRequest, call_id: int) -> HttpResponse:
        handler = {"auto": self._auto, "start_review": self._start_review, "remove": self._remove}.get(
            request.POST.get("action", ""), self._add
        )
        return handler(request)

    def _back(self, application_id: int | None = None) -> HttpResponse:
        url = reverse("reviews:assignment", kwargs={"call_id": self.call.pk})
        return redirect(f"{url}?application={application_id}" if application_id else url)

    def _auto(self, request: HttpRequest) -> HttpResponse:
        outcome = assign_reviewers(call=self.call, acting_user=request.user)
        messages.success(
            request,
            ngettext("%(count)s review assigned.", "%(count)s reviews assigned.", outcome.created)
            % {"count": outcome.created},
        )
        if outcome.short:
            messages.warning(
                request,
                ngettext(
                    "%(count)s application could not get enough reviewers.",
                    "%(count)s applications could not get enough reviewers.",
                    len(outcome.short),
                )
                % {"count": len(outcome.short)},
            )
        return self._back()

    def _start_review(self, request: HttpRequest) -> HttpResponse:
        count = review_start(call=self.call, acting_user=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)s application is now under review.", "%(count)s applications are now under review.", count
            )
            % {"count": count},
        )
        return self._back()

    def _remove(self, request: HttpRequest) -> HttpResponse:
        assignment = assignment_of_call(call=self.call, assignment_id=int(request.POST.get("assignment") or 0))
        try:
            assignment_remove(assignment=assignment, acting_user=request.user)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The reviewer has been taken off the application."))
        return self._back(assignment.application_id)

    def _add(self, request: HttpRequest) -> HttpResponse:
        form = ManualAssignmentForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        application = call_application(call=self.call, application_id=form.cleaned_data["application"])
        reviewer = reviewer_of_call(call=self.call, user_id=form.cleaned_data["reviewer"])
        if reviewer is None:
            form.add_error("reviewer", _("This person is not a reviewer of the programme."))
            return self._render(request, form, status=400)
        try:
            assignment_add(application=application, reviewer=reviewer, acting_user=request.user)
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, form, status=400)
        messages.success(request, _("The reviewer has been assigned."))
        return self._back(application.pk)
