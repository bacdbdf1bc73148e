"""Territorial coaching teams: the programme's list (managers create teams), a team's page (members, its sessions
and trainings), and the session log of its certified coach."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.incubation.forms import LocalTeamForm, LocalTeamMemberForm, SessionForm
from jusoor.incubation.selectors.coaching import local_team_get, local_team_list, local_team_page
from jusoor.incubation.services.coaching import coaching_session_log
from jusoor.incubation.services.teams import local_team_create, local_team_member_add
from jusoor.incubation.views.activities import ProgrammePage
from jusoor.incubation.views.base import IncubationView


class LocalTeamListView(ProgrammePage):
    permission_required = "incubation.manage_local_team"
    template_name = "incubation/local_team_list.html"

    def context(self, form: Any = None) -> dict[str, Any]:
        teams = list(local_team_list(programme=self.object, viewer=self.request.user))
        return {"programme": self.object, "teams": teams, "form": form or LocalTeamForm()}

    def get(self, request: HttpRequest, programme_pk: int) -> HttpResponse:
        return self.page(self.context())

    def post(self, request: HttpRequest, programme_pk: int) -> HttpResponse:
        form = LocalTeamForm(request.POST)
        if form.is_valid():
            try:
                team = local_team_create(programme=self.object, acting_user=request.user, **form.cleaned_data)
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The local team has been created."))
                return redirect("incubation:local_team_detail", pk=team.pk)
        return self.page(self.context(form), status=400)


class LocalTeamPage(IncubationView):
    permission_required = "incubation.view_local_team"
    template_name = "incubation/local_team_detail.html"

    def load(self) -> Any:
        return local_team_get(team_id=self.kwargs["pk"], viewer=self.request.user)

    def context(self, member_form: Any = None, session_form: Any = None) -> dict[str, Any]:
        team, user = self.object, self.request.user
        can_manage = user.has_perm("incubation.manage_local_team", team)
        can_log = user.has_perm("incubation.log_team_session", team)
        return {
            "team": team,
            **local_team_page(team=team),
            "can_manage": can_manage,
            "can_log": can_log,
            "member_form": member_form or (LocalTeamMemberForm(prefix="member") if can_manage else None),
            "session_form": session_form or (SessionForm(prefix="session") if can_log else None),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.context())


class LocalTeamMemberAddView(LocalTeamPage):
    permission_required = "incubation.manage_local_team"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = LocalTeamMemberForm(request.POST, prefix="member")
        if form.is_valid():
            data = form.cleaned_data
            try:
                local_team_member_add(
                    team=self.object, acting_user=request.user, name=data["name"], role=data["role"], user=data["email"]
                )
            except ApplicationError as error:
                add_service_error(form, error, aliases={"user": "email"})
            else:
                messages.success(request, _("The member has been added to the team."))
                return redirect("incubation:local_team_detail", pk=self.object.pk)
        return self.page(self.context(member_form=form), status=400)


class LocalTeamSessionView(LocalTeamPage):
    permission_required = "incubation.log_team_session"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = SessionForm(request.POST, prefix="session")
        if form.is_valid():
            try:
                coaching_session_log(
                    programme=self.object.programme, coach=request.user, local_team=self.object, data=form.cleaned_data
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The session has been logged. A commune official will confirm it."))
                return redirect("incubation:local_team_detail", pk=self.object.pk)
        return self.page(self.context(session_form=form), status=400)
