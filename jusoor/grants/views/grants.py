"""Grant pages: the programme's grants and envelope, the award form, a grant's page (agreement, tranches,
reports) with the manager's and the organisation's actions, private files, and "my grants"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.grants.forms import AgreementForm, AwardForm, DecisionForm, MatchingPotForm, ReportForm, ScheduleForm
from jusoor.grants.models import Grant, GrantTranche
from jusoor.grants.selectors import (
    award_candidates,
    demo_day_list,
    grant_get,
    grant_list,
    grant_outstanding,
    grant_paid,
    grant_reports,
    grant_tranches,
    grants_of_viewer,
    matchable_campaigns,
    programme_envelope,
    programme_get,
    report_get,
    tranche_get,
)
from jusoor.grants.services.awards import grant_agreement_sign, grant_award, grant_cancel
from jusoor.grants.services.matching import grant_matching_pot_close, grant_offer_as_matching_pot
from jusoor.grants.services.reports import grant_report_approve, grant_report_reject, grant_report_submit
from jusoor.grants.services.tranches import grant_tranche_refuse, grant_tranche_release, grant_tranches_set
from jusoor.grants.views.base import load
from jusoor.programmes.models import Programme


class ProgrammeMixin(ProtectedPageMixin):
    request: HttpRequest
    kwargs: dict[str, Any]
    programme: Programme

    def get_permission_object(self) -> Programme:
        if not hasattr(self, "programme"):
            self.programme = load(
                programme_get, programme_id=self.kwargs["pk"], viewer=self.request.user, permission=None
            )
        return self.programme


class GrantMixin(ProtectedPageMixin):
    request: HttpRequest
    kwargs: dict[str, Any]
    grant: Grant

    def get_permission_object(self) -> Grant:
        if not hasattr(self, "grant"):
            self.grant = load(grant_get, grant_id=self.kwargs["pk"], viewer=self.request.user, permission=None)
        return self.grant


class ProgrammeGrantsView(ProgrammeMixin, View):
    """The manager's overview: envelope as it is consumed, Demo Days, grants."""

    permission_required = "grants.view_programme_grants"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.programme
        context = {
            "programme": programme,
            "envelope": programme_envelope(programme),
            "demo_days": list(demo_day_list(programme=programme)),
            "grants": list(grant_list(programme=programme)),
        }
        return render(request, "grants/programme.html", context)


class AwardView(ProgrammeMixin, View):
    permission_required = "grants.award_grant"

    def _render(self, request: HttpRequest, form: AwardForm, status: int = 200) -> HttpResponse:
        context = {"programme": self.programme, "envelope": programme_envelope(self.programme), "form": form}
        return render(request, "grants/award.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        initial = {"organization": request.GET.get("organization")} if request.GET.get("organization") else None
        return self._render(
            request, AwardForm(initial=initial, organizations=award_candidates(programme=self.programme))
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = AwardForm(request.POST, organizations=award_candidates(programme=self.programme))
        if not form.is_valid():
            return self._render(request, form, 400)
        try:
            grant = grant_award(
                programme=self.programme,
                organization=form.cleaned_data["organization"],
                amount=form.cleaned_data["amount"],
                conditions=form.cleaned_data["conditions"],
                acting_user=request.user,
            )
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, form, 400)
        messages.success(request, _("The grant has been awarded and the organisation notified."))
        return redirect("grants:detail", grant.pk)


class GrantDetailView(GrantMixin, View):
    permission_required = "grants.view_grant"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = self.grant
        tranches = grant_tranches(grant)
        can_manage = request.user.has_perm("grants.manage_grant", grant)
        context = {
            "grant": grant,
            "tranches": tranches,
            "reports": grant_reports(grant),
            "outstanding": grant_outstanding(grant),
            "paid": grant_paid(grant),
            "can_manage": can_manage,
            "can_report": request.user.has_perm("grants.submit_report", grant),
            "agreement_form": AgreementForm(initial={"conditions": grant.conditions}),
            "decision_form": DecisionForm(),
            "matching_form": MatchingPotForm(campaigns=matchable_campaigns(grant=grant)) if can_manage else None,
        }
        return render(request, "grants/detail.html", context)


class GrantActionView(GrantMixin, View):
    """The manager's POST actions on a grant: sign (agreement), cancel, matching pot, decisions."""

    permission_required = "grants.manage_grant"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant, user, action = self.grant, request.user, request.POST.get("action", "")
        try:
            if action == "sign":
                form = AgreementForm(request.POST, request.FILES)
                form.is_valid()
                grant_agreement_sign(
                    grant=grant,
                    agreement=request.FILES.get("agreement"),
                    conditions=form.cleaned_data.get("conditions"),
                    acting_user=user,
                )
                messages.success(request, _("The signed agreement is recorded."))
            elif action == "cancel":
                grant_cancel(grant=grant, reason=request.POST.get("comment", ""), acting_user=user)
                messages.success(request, _("The grant is cancelled; what was not paid is back in the envelope."))
            elif action == "matching_pot":
                pot_form = MatchingPotForm(request.POST, campaigns=matchable_campaigns(grant=grant))
                if not pot_form.is_valid():
                    raise ApplicationError(_("Choose one of the organisation's campaigns."))
                grant_offer_as_matching_pot(
                    grant=grant,
                    campaign=pot_form.cleaned_data["campaign"],
                    amount=pot_form.cleaned_data["amount"],
                    acting_user=user,
                )
                messages.success(request, _("The matching pot is open for the campaign."))
            elif action == "close_pot":
                grant_matching_pot_close(grant=grant, acting_user=user)
                messages.success(request, _("The matching pot is closed; what it did not match is back in the grant."))
            elif action in {"release", "refuse"}:
                tranche = load(tranche_get, tranche_id=_int(request.POST.get("tranche")), grant=grant)
                self._tranche(action, tranche, request)
            elif action in {"approve", "reject"}:
                report = load(report_get, report_id=_int(request.POST.get("report")), grant=grant)
                if not user.has_perm("grants.decide_report", grant):
                    raise PermissionDenied
                if action == "approve":
                    grant_report_approve(report=report, comment=request.POST.get("comment", ""), acting_user=user)
                    messages.success(request, _("The report is approved."))
                else:
                    grant_report_reject(report=report, comment=request.POST.get("comment", ""), acting_user=user)
                    messages.success(request, _("The report is sent back to the organisation."))
            else:
                raise Http404
        except ApplicationError as error:
            messages.error(request, str(error.message))
        return redirect("grants:detail", grant.pk)

    def _tranche(self, action: str, tranche: GrantTranche, request: HttpRequest) -> None:
        if not request.user.has_perm("grants.release_tranche", self.grant):
            raise PermissionDenied
        if action == "release":
            grant_tranche_release(tranche=tranche, acting_user=request.user)
            messages.success(request, _("The tranche is released to the organisation."))
        else:
            grant_tranche_refuse(tranche=tranche, comment=request.POST.get("comment", ""), acting_user=request.user)
            messages.success(request, _("The tranche is refused."))


def _int(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


class ScheduleView(GrantMixin, View):
    permission_required = "grants.manage_grant"

    def _render(self, request: HttpRequest, form: ScheduleForm, status: int = 200) -> HttpResponse:
        return render(request, "grants/schedule.html", {"grant": self.grant, "form": form}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        initial: dict[str, Any] = {}
        for index, tranche in enumerate(grant_tranches(self.grant), start=1):
            initial[f"amount_{index}"], initial[f"due_{index}"] = tranche.amount, tranche.due_on
        return self._render(request, ScheduleForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, 400)
        try:
            grant_tranches_set(grant=self.grant, tranches=form.tranches(), acting_user=request.user)
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, form, 400)
        messages.success(request, _("The payment schedule is saved."))
        return redirect("grants:detail", self.grant.pk)


class ReportSubmitView(GrantMixin, View):
    permission_required = "grants.submit_report"

    def _tranches(self) -> list[GrantTranche]:
        return [t for t in grant_tranches(self.grant) if t.status in {"planned", "refused"}]

    def _render(self, request: HttpRequest, form: ReportForm, status: int = 200) -> HttpResponse:
        return render(request, "grants/report_form.html", {"grant": self.grant, "form": form}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        tranches = self._tranches()
        initial = {"tranche": request.GET.get("tranche")} if request.GET.get("tranche") else None
        return self._render(request, ReportForm(initial=initial, tranches=tranches))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        tranches = self._tranches()
        form = ReportForm(request.POST, request.FILES, tranches=tranches)
        if not form.is_valid():
            return self._render(request, form, 400)
        data = form.cleaned_data
        tranche = next((t for t in tranches if t.pk == data["tranche"]), None)
        try:
            grant_report_submit(
                grant=self.grant,
                narrative=data["narrative"],
                spent_amount=data["spent_amount"],
                financial_statement=data["financial_statement"],
                beneficiaries_direct=data["beneficiaries_direct"],
                beneficiaries_indirect=data["beneficiaries_indirect"],
                breakdown=form.breakdown(),
                tranche=tranche,
                acting_user=request.user,
            )
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, form, 400)
        messages.success(request, _("Your report has been sent to the programme team."))
        return redirect("grants:detail", self.grant.pk)


class GrantFileView(GrantMixin, View):
    """The signed agreement, or a report's financial statement (private storage, never cached)."""

    permission_required = "grants.view_grant"

    def get(self, request: HttpRequest, pk: int, kind: str, report: int | None = None) -> FileResponse:
        if kind == "agreement":
            file = self.grant.agreement
        else:
            file = load(report_get, report_id=report or 0, grant=self.grant).financial_statement
        if not file:
            raise Http404
        response = FileResponse(file.open("rb"), as_attachment=True, filename=(file.name or "").rsplit("/", 1)[-1])
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response


class MyGrantsView(LoginRequiredMixin, View):
    """Grants of the organisations the user owns or administers."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "grants/mine.html", {"grants": list(grants_of_viewer(viewer=request.user))})
