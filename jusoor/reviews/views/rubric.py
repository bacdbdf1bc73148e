"""The managers' rubric editor: the call's criteria, add, change, delete (until scoring starts)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.reviews.forms import CriterionForm
from jusoor.reviews.models import Criterion
from jusoor.reviews.selectors.reviews import criteria_of, criterion_get
from jusoor.reviews.services.rubric import criterion_add, criterion_delete, criterion_update
from jusoor.reviews.views.base import CallPermissionMixin


class RubricView(CallPermissionMixin, ProtectedPageMixin, View):
    permission_required = "reviews.manage_rubric"

    def _render(self, request: HttpRequest, form: CriterionForm, status: int = 200) -> HttpResponse:
        criteria = criteria_of(self.call)
        context = {
            "call": self.call,
            "criteria": criteria,
            "form": form,
            "total_weight": sum((c.weight for c in criteria if not c.optional), start=0),
        }
        return render(request, "reviews/rubric.html", context, status=status)

    def get(self, request: HttpRequest, call_id: int) -> HttpResponse:
        return self._render(request, CriterionForm())

    def post(self, request: HttpRequest, call_id: int) -> HttpResponse:
        form = CriterionForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            criterion_add(call=self.call, acting_user=request.user, values=form.values())
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, form, status=400)
        messages.success(request, _("The criterion has been added."))
        return redirect("reviews:rubric", call_id=self.call.pk)


class CriterionEditView(CallPermissionMixin, ProtectedPageMixin, View):
    permission_required = "reviews.manage_rubric"

    def _criterion(self) -> Criterion:
        return criterion_get(call=self.call, criterion_id=self.kwargs["pk"])

    def _render(
        self, request: HttpRequest, form: CriterionForm, criterion: Criterion, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "reviews/criterion_form.html",
            {"call": self.call, "criterion": criterion, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, call_id: int, pk: int) -> HttpResponse:
        criterion = self._criterion()
        return self._render(request, CriterionForm(initial=CriterionForm.initial_for(criterion)), criterion)

    def post(self, request: HttpRequest, call_id: int, pk: int) -> HttpResponse:
        criterion = self._criterion()
        form = CriterionForm(request.POST)
        try:
            if request.POST.get("action") == "delete":
                criterion_delete(criterion=criterion, acting_user=request.user)
                messages.success(request, _("The criterion has been deleted."))
                return redirect("reviews:rubric", call_id=self.call.pk)
            if not form.is_valid():
                return self._render(request, form, criterion, status=400)
            criterion_update(criterion=criterion, acting_user=request.user, values=form.values())
        except ApplicationError as error:
            form.is_valid()
            add_service_error(form, error)
            return self._render(request, form, criterion, status=400)
        messages.success(request, _("The criterion has been saved."))
        return redirect("reviews:rubric", call_id=self.call.pk)
