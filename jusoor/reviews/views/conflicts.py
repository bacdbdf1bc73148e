"""Reviewers declare (and withdraw) conflicts of interest with organisations that applied to the programme."""

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
from jusoor.programmes.models import Programme
from jusoor.reviews.forms import ConflictForm
from jusoor.reviews.selectors.reviews import conflict_candidates, declaration_get, declarations_of, programme_get
from jusoor.reviews.services.conflicts import conflict_declare, conflict_withdraw


class ConflictsView(ProtectedPageMixin, View):
    permission_required = "reviews.declare_conflict"
    programme: Programme
    kwargs: dict[str, Any]

    def get_permission_object(self) -> Programme:
        if not hasattr(self, "programme"):
            self.programme = programme_get(programme_id=self.kwargs["programme_id"])
        return self.programme

    def _render(self, request: HttpRequest, form: ConflictForm, status: int = 200) -> HttpResponse:
        context = {
            "programme": self.programme,
            "form": form,
            "declarations": list(declarations_of(reviewer=request.user)),
        }
        return render(request, "reviews/conflicts.html", context, status=status)

    def _form(self, data: Any = None) -> ConflictForm:
        return ConflictForm(data, organizations=conflict_candidates(programme=self.programme))

    def get(self, request: HttpRequest, programme_id: int) -> HttpResponse:
        return self._render(request, self._form())

    def post(self, request: HttpRequest, programme_id: int) -> HttpResponse:
        if request.POST.get("action") == "withdraw":
            declaration = declaration_get(
                declaration_id=int(request.POST.get("declaration") or 0), reviewer=request.user
            )
            conflict_withdraw(declaration=declaration, acting_user=request.user)
            messages.success(request, _("Your declaration has been withdrawn."))
            return redirect("reviews:conflicts", programme_id=self.programme.pk)
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            conflict_declare(
                reviewer=request.user,
                organization=form.cleaned_data["organization"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, form, status=400)
        messages.success(request, _("Your conflict of interest has been recorded."))
        return redirect("reviews:conflicts", programme_id=self.programme.pk)
