"""The managers' ranking: scores, disagreement flags, tie-breaks, the envelope, decisions and the XLSX export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.reviews.forms import DecisionForm
from jusoor.reviews.reports import ranking_xlsx
from jusoor.reviews.selectors.ranking import call_ranking, envelope_summary
from jusoor.reviews.selectors.reviews import call_application
from jusoor.reviews.services.decisions import application_decide
from jusoor.reviews.views.base import CallPermissionMixin

PAGE_SIZE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DONE = {
    "shortlist": gettext_lazy("The application has been shortlisted and the applicant notified."),
    "select": gettext_lazy("The application has been selected and the applicant notified."),
    "waitlist": gettext_lazy("The application is on the waiting list and the applicant has been notified."),
    "reject": gettext_lazy("The application has been rejected and the applicant notified."),
}


class RankingView(CallPermissionMixin, ProtectedPageMixin, View):
    permission_required = "reviews.view_ranking"

    def get(self, request: HttpRequest, call_id: int) -> HttpResponse:
        # The whole call is ranked (two queries), then shown a page at a time: 2,400 rows of buttons are too many
        # to render at once.
        page = Paginator(call_ranking(call=self.call), PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "call": self.call,
            "rows": page.object_list,
            "page_obj": page,
            "envelope": envelope_summary(call=self.call),
            "can_decide": request.user.has_perm("reviews.decide_application", self.call),
        }
        return render(request, "reviews/ranking.html", context)


class DecideView(CallPermissionMixin, ProtectedPageMixin, View):
    permission_required = "reviews.decide_application"

    def post(self, request: HttpRequest, call_id: int, application_id: int) -> HttpResponse:
        application = call_application(call=self.call, application_id=application_id)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose shortlist, select, waitlist or reject."))
            return redirect("reviews:ranking", call_id=self.call.pk)
        decision = form.cleaned_data["decision"]
        try:
            application_decide(
                application=application, decision=decision, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect("reviews:ranking", call_id=self.call.pk)
        messages.success(request, str(DONE[decision]))
        return redirect("reviews:ranking", call_id=self.call.pk)


class RankingExportView(CallPermissionMixin, ProtectedPageMixin, View):
    permission_required = "reviews.view_ranking"

    def get(self, request: HttpRequest, call_id: int) -> HttpResponse:
        content = ranking_xlsx(call=self.call, rows=call_ranking(call=self.call))
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="ranking-call-{self.call.pk}.xlsx"'
        return response
