"""Demo Day pages: set-up (manager), the juror's phone page with htmx scoring, recusals, the live ranking."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.grants.forms import CriterionForm, DemoDayForm, PitchForm
from jusoor.grants.models import DemoDay, Pitch
from jusoor.grants.selectors import (
    criterion_get,
    demo_day_conflicts,
    demo_day_criteria,
    demo_day_get,
    demo_day_jurors,
    demo_day_pitches,
    demo_day_ranking,
    juror_sheet,
    pitch_candidates,
    pitch_get,
    programme_get,
    sheet_row,
)
from jusoor.grants.services.jury import (
    criterion_add,
    demo_day_close,
    demo_day_create,
    demo_day_open,
    pitch_add,
    pitch_remove,
    pitch_score,
    recusal_declare,
)
from jusoor.grants.views.base import back, is_htmx, load
from jusoor.programmes.models import Programme


class DemoDayMixin(ProtectedPageMixin):
    request: HttpRequest
    kwargs: dict[str, Any]
    demo_day: DemoDay

    def get_permission_object(self) -> DemoDay:
        if not hasattr(self, "demo_day"):
            self.demo_day = load(demo_day_get, demo_day_id=self.kwargs["pk"], viewer=self.request.user, permission=None)
        return self.demo_day


class DemoDayCreateView(ProtectedPageMixin, View):
    permission_required = "grants.setup_demo_day"

    def get_permission_object(self) -> Programme:
        if not hasattr(self, "programme"):
            self.programme = load(
                programme_get, programme_id=self.kwargs["pk"], viewer=self.request.user, permission=None
            )
        return self.programme

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "grants/demo_day_form.html", {"programme": self.programme, "form": DemoDayForm()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = DemoDayForm(request.POST)
        if form.is_valid():
            try:
                demo_day = demo_day_create(programme=self.programme, acting_user=request.user, **form.cleaned_data)
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                return redirect("grants:demo_day_setup", demo_day.pk)
        context = {"programme": self.programme, "form": form}
        return render(request, "grants/demo_day_form.html", context, status=400)


class DemoDaySetupView(DemoDayMixin, View):
    """Pitches, rubric, jurors and their conflicts; opening and closing the scoring."""

    permission_required = "grants.setup_demo_day"

    def _organizations(self) -> Any:
        return pitch_candidates(programme=self.demo_day.programme)

    def _render(self, request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
        demo_day = self.demo_day
        pitches = demo_day_pitches(demo_day)
        jurors = demo_day_jurors(demo_day)
        conflicts = demo_day_conflicts(demo_day)
        names = {pitch.organization_id: pitch.organization for pitch in pitches}
        juror_rows = [
            (
                juror,
                [
                    (names[org_id], conflict)
                    for (juror_id, org_id), conflict in conflicts.items()
                    if juror_id == juror.pk and org_id in names
                ],
            )
            for juror in jurors
        ]
        context = {
            "demo_day": demo_day,
            "programme": demo_day.programme,
            "pitches": pitches,
            "criteria": demo_day_criteria(demo_day),
            "juror_rows": juror_rows,
            "pitch_form": forms.get("pitch_form") or PitchForm(organizations=self._organizations()),
            "criterion_form": forms.get("criterion_form") or CriterionForm(),
        }
        return render(request, "grants/demo_day_setup.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        handlers = {
            "add_pitch": self._add_pitch,
            "add_criterion": self._add_criterion,
            "remove_pitch": self._remove_pitch,
            "open": self._open,
            "close": self._close,
        }
        handler = handlers.get(request.POST.get("action", ""))
        if handler is None:
            return self._render(request, 400)
        try:
            response = handler(request)
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return self._render(request, 400)
        return response or redirect("grants:demo_day_setup", self.demo_day.pk)

    def _add_pitch(self, request: HttpRequest) -> HttpResponse | None:
        form = PitchForm(request.POST, organizations=self._organizations())
        if form.is_valid():
            try:
                pitch_add(
                    demo_day=self.demo_day,
                    organization=form.cleaned_data["organization"],
                    title=form.cleaned_data["title"],
                    acting_user=request.user,
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                return None
        return self._render(request, 400, pitch_form=form)

    def _add_criterion(self, request: HttpRequest) -> HttpResponse | None:
        form = CriterionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                criterion_add(
                    demo_day=self.demo_day,
                    label=form.label(),
                    weight=data["weight"],
                    scale_min=data["scale_min"],
                    scale_max=data["scale_max"],
                    acting_user=request.user,
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                return None
        return self._render(request, 400, criterion_form=form)

    def _remove_pitch(self, request: HttpRequest) -> None:
        pitch = load(pitch_get, pitch_id=_int(request.POST.get("pitch")), viewer=request.user, permission=None)
        if pitch.demo_day_id != self.demo_day.pk:
            raise PermissionDenied
        pitch_remove(pitch=pitch, acting_user=request.user)

    def _open(self, request: HttpRequest) -> None:
        demo_day_open(demo_day=self.demo_day, acting_user=request.user)
        messages.success(request, _("Scoring is open: jurors can score from their phones."))

    def _close(self, request: HttpRequest) -> None:
        demo_day_close(demo_day=self.demo_day, acting_user=request.user)
        messages.success(request, _("Scoring is closed; the ranking is final."))


class JuryView(DemoDayMixin, View):
    """The juror's phone page: every pitch with the rubric; each score is saved as soon as it is chosen."""

    permission_required = "grants.score_demo_day"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        demo_day = self.demo_day
        context = {
            "demo_day": demo_day,
            "rows": juror_sheet(demo_day=demo_day, juror=request.user),
        }
        return render(request, "grants/jury.html", context)


class PitchScoreView(ProtectedPageMixin, View):
    """POST criterion + value: saves the acting juror's score; answers the pitch's card (htmx) or redirects."""

    permission_required = "grants.score_demo_day"

    def get_permission_object(self) -> DemoDay:
        if not hasattr(self, "pitch"):
            self.pitch: Pitch = load(pitch_get, pitch_id=self.kwargs["pk"], viewer=self.request.user, permission=None)
        return self.pitch.demo_day

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pitch = self.pitch
        error_message, status = "", 200
        try:
            criterion = load(criterion_get, criterion_id=_int(request.POST.get("criterion")), demo_day=pitch.demo_day)
            pitch_score(pitch=pitch, criterion=criterion, value=request.POST.get("value"), acting_user=request.user)
        except ApplicationError as error:
            error_message, status = str(error.message), 400
        if not is_htmx(request):
            if error_message:
                messages.error(request, error_message)
            return redirect(f"{reverse('grants:jury', args=[pitch.demo_day_id])}#pitch-{pitch.pk}")
        row = sheet_row(pitch=pitch, juror=request.user)
        context = {"row": row, "demo_day": pitch.demo_day, "error": error_message}
        return render(request, "grants/_pitch_scoring.html", context, status=status)


def _int(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


class RecuseView(ProtectedPageMixin, View):
    """A juror declares a conflict with a pitching organisation (from the jury page)."""

    permission_required = "grants.score_demo_day"

    def get_permission_object(self) -> DemoDay:
        if not hasattr(self, "pitch"):
            self.pitch: Pitch = load(pitch_get, pitch_id=self.kwargs["pk"], viewer=self.request.user, permission=None)
        return self.pitch.demo_day

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pitch = self.pitch
        try:
            recusal_declare(
                demo_day=pitch.demo_day,
                juror=request.user,
                organization=pitch.organization,
                reason=request.POST.get("reason", ""),
                acting_user=request.user,
            )
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your recusal is recorded: you will not score this pitch."))
        return back(request, f"{reverse('grants:jury', args=[pitch.demo_day_id])}#pitch-{pitch.pk}")


class RankingView(DemoDayMixin, View):
    """The live ranking; its table polls itself every 5 seconds (htmx) while scoring is open."""

    permission_required = "grants.view_ranking"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        demo_day = self.demo_day
        context = {
            "demo_day": demo_day,
            "ranking": demo_day_ranking(demo_day),
            "criteria": demo_day_criteria(demo_day),
        }
        template = "grants/_ranking_table.html" if is_htmx(request) else "grants/ranking.html"
        return render(request, template, context)
