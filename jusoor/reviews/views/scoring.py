"""Reviewers: their queue, and the scoring page of one application (blind when the call says so)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.calls.models import Application
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.reviews.forms import ScoreForm
from jusoor.reviews.models import ReviewAssignment
from jusoor.reviews.selectors.reviews import (
    applicant_view,
    assignment_for_reviewer,
    criteria_of,
    other_reviews,
    own_scores,
    reviewer_queue,
)
from jusoor.reviews.services.scoring import review_save, review_submit


class QueueView(ProtectedPageMixin, View):
    permission_required = "reviews.view_queue"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "reviews/queue.html", {"assignments": list(reviewer_queue(viewer=request.user))})


class ScoreView(ProtectedPageMixin, View):
    """404 for anyone the application is not assigned to, or who is in conflict with it (the page does not say
    whether it exists); the login page for anonymous users."""

    permission_required = "reviews.review_application"
    assignment: ReviewAssignment
    kwargs: dict[str, Any]

    def get_permission_object(self) -> Application | None:
        if not self.request.user.is_authenticated:  # type: ignore[attr-defined]
            return None
        if not hasattr(self, "assignment"):
            self.assignment = assignment_for_reviewer(
                application_id=self.kwargs["application_id"], viewer=self.request.user
            )  # type: ignore[attr-defined]
        return self.assignment.application

    def _render(self, request: HttpRequest, form: ScoreForm, status: int = 200) -> HttpResponse:
        assignment = self.assignment
        application = assignment.application
        context = {
            "assignment": assignment,
            "application": application,
            "call": application.call,
            "applicant": applicant_view(application),
            "form": form,
            "others": other_reviews(assignment),
            "criteria": form.criteria,
        }
        return render(request, "reviews/score.html", context, status=status)

    def get(self, request: HttpRequest, application_id: int) -> HttpResponse:
        criteria = criteria_of(self.assignment.application.call)
        scores = own_scores(self.assignment)
        initial: dict[str, Any] = {"comment": self.assignment.comment}
        for criterion_id, score in scores.items():
            initial[f"score_{criterion_id}"] = score.value
            initial[f"comment_{criterion_id}"] = score.comment
        return self._render(request, ScoreForm(initial=initial, criteria=criteria, assignment=self.assignment))

    def post(self, request: HttpRequest, application_id: int) -> HttpResponse:
        criteria = criteria_of(self.assignment.application.call)
        form = ScoreForm(request.POST, criteria=criteria, assignment=self.assignment)
        if not form.is_valid():
            return self._render(request, form, status=400)
        submit = request.POST.get("action") == "submit"
        service = review_submit if submit else review_save
        try:
            service(
                application=self.assignment.application,
                reviewer=request.user,
                scores=form.scores(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, form, status=400)
        if submit:
            messages.success(request, _("Your review has been submitted. You can now see the other reviewers' scores."))
        else:
            messages.success(request, _("Your draft has been saved."))
        return redirect("reviews:score", application_id=self.assignment.application_id)
