"""Pages where managers run a programme: create and edit it, open and close it, and compose its team."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.programmes.forms import ProgrammeForm, TeamMemberForm
from jusoor.programmes.rules import is_programme_admin
from jusoor.programmes.selectors.programmes import operator_choices, team_list
from jusoor.programmes.services.programmes import (
    programme_activate,
    programme_close,
    programme_create,
    programme_update,
)
from jusoor.programmes.services.team import team_member_add, team_member_remove, team_member_set_capacity
from jusoor.programmes.views.base import ProgrammePermissionMixin

ALIASES = {"territories": "territory_codes"}


def _operators(request: HttpRequest) -> Any:
    return operator_choices(viewer=request.user, may_operate_any=is_programme_admin.test(request.user))


class ProgrammeCreateView(ProtectedPageMixin, View):
    permission_required = "programmes.add_programme"

    def _render(self, request: HttpRequest, form: ProgrammeForm, status: int = 200) -> HttpResponse:
        return render(request, "programmes/form.html", {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        language = (request.LANGUAGE_CODE or "fr")[:2]
        form = ProgrammeForm(operators=_operators(request), initial={"primary_language": language, "currency": "MAD"})
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProgrammeForm(request.POST, operators=_operators(request))
        if form.is_valid():
            try:
                programme = programme_create(acting_user=request.user, data=form.service_data())
            except ApplicationError as error:
                add_service_error(form, error, ALIASES)
            else:
                messages.success(request, _("The programme has been saved as a draft."))
                return redirect("programmes:detail", pk=programme.pk)
        return self._render(request, form, status=400)


class ProgrammeUpdateView(ProgrammePermissionMixin, ProtectedPageMixin, View):
    permission_required = "programmes.change_programme"

    def _render(self, request: HttpRequest, form: ProgrammeForm, status: int = 200) -> HttpResponse:
        return render(request, "programmes/form.html", {"form": form, "programme": self.programme}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        operators = _operators(request) | operator_choices(viewer=request.user, may_operate_any=True).filter(
            pk=self.programme.operator_id
        )
        return self._render(request, ProgrammeForm(operators=operators, programme=self.programme))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        operators = _operators(request) | operator_choices(viewer=request.user, may_operate_any=True).filter(
            pk=self.programme.operator_id
        )
        form = ProgrammeForm(request.POST, operators=operators)
        if form.is_valid():
            try:
                programme_update(programme=self.programme, acting_user=request.user, data=form.service_data())
            except ApplicationError as error:
                add_service_error(form, error, ALIASES)
            else:
                messages.success(request, _("The programme has been saved."))
                return redirect("programmes:detail", pk=pk)
        return self._render(request, form, status=400)


class ProgrammeStatusView(ProgrammePermissionMixin, ProtectedPageMixin, View):
    """POST action=activate|close."""

    permission_required = "programmes.change_programme"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action")
        services = {"activate": programme_activate, "close": programme_close}
        if action not in services:
            messages.error(request, _("Unknown action."))
            return redirect("programmes:detail", pk=pk)
        try:
            services[action](programme=self.programme, acting_user=request.user)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            done = {"activate": _("The programme is now active."), "close": _("The programme is closed.")}
            messages.success(request, done[action])
        return redirect("programmes:detail", pk=pk)


class TeamView(ProgrammePermissionMixin, ProtectedPageMixin, View):
    """The team: list, add someone by e-mail in a role, change a reviewer's capacity, remove a role."""

    permission_required = "programmes.manage_team"

    def _render(self, request: HttpRequest, form: TeamMemberForm, status: int = 200) -> HttpResponse:
        context = {"programme": self.programme, "members": team_list(programme=self.programme), "form": form}
        return render(request, "programmes/team.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, TeamMemberForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "add")
        if action in {"remove", "capacity"}:
            member_id = request.POST.get("member_id", "")
            capacity = request.POST.get("capacity", "")
            try:
                if action == "remove":
                    team_member_remove(
                        programme=self.programme,
                        acting_user=request.user,
                        member_id=int(member_id) if member_id.isdigit() else 0,
                    )
                else:
                    team_member_set_capacity(
                        programme=self.programme,
                        acting_user=request.user,
                        member_id=int(member_id) if member_id.isdigit() else 0,
                        capacity=int(capacity) if capacity.isdigit() else (None if not capacity else -1),
                    )
            except ApplicationError as error:
                messages.error(request, str(error.message))
                return self._render(request, TeamMemberForm(), status=400)
            messages.success(request, _("The team has been updated."))
            return redirect("programmes:team", pk=pk)
        form = TeamMemberForm(request.POST)
        if form.is_valid():
            try:
                team_member_add(programme=self.programme, acting_user=request.user, **form.cleaned_data)
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The team has been updated."))
                return redirect("programmes:team", pk=pk)
        return self._render(request, form, status=400)
