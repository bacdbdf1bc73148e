"""The results framework: indicators with every target version, and the managers' forms to change them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.programmes.forms import IndicatorForm, TargetForm
from jusoor.programmes.models import Indicator
from jusoor.programmes.selectors.dashboard import target_periods
from jusoor.programmes.selectors.programmes import indicator_get, indicator_list
from jusoor.programmes.services.indicators import indicator_create, indicator_target_set, indicator_update
from jusoor.programmes.views.base import ProgrammePermissionMixin

ALIASES = {"name": "name_fr"}


class IndicatorListView(ProgrammePermissionMixin, ProtectedPageMixin, View):
    permission_required = "programmes.view_dashboard"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicators = indicator_list(programme=self.programme)
        rows = [
            {"indicator": indicator, "periods": target_periods(list(indicator.targets.all()))}
            for indicator in indicators
        ]
        context = {
            "programme": self.programme,
            "rows": rows,
            "can_manage": request.user.has_perm("programmes.manage_indicators", self.programme),
        }
        return render(request, "programmes/indicators.html", context)


class IndicatorFormView(ProgrammePermissionMixin, ProtectedPageMixin, View):
    """Create an indicator (no `indicator_id`) or change one; the target form sits on the same page."""

    permission_required = "programmes.manage_indicators"

    def _indicator(self) -> Indicator | None:
        indicator_id = self.kwargs.get("indicator_id")
        return indicator_get(programme=self.programme, indicator_id=indicator_id) if indicator_id else None

    def _render(
        self, request: HttpRequest, form: IndicatorForm, target_form: TargetForm | None, status: int = 200
    ) -> HttpResponse:
        indicator = self._indicator()
        periods = target_periods(list(indicator.targets.order_by("period_end", "-version"))) if indicator else []
        context = {
            "programme": self.programme,
            "indicator": indicator,
            "form": form,
            "target_form": target_form,
            "periods": periods,
        }
        return render(request, "programmes/indicator_form.html", context, status=status)

    def get(self, request: HttpRequest, pk: int, indicator_id: int | None = None) -> HttpResponse:
        indicator = self._indicator()
        target_form = TargetForm(initial={"set_on": timezone.localdate()}) if indicator else None
        return self._render(request, IndicatorForm(indicator=indicator), target_form)

    def post(self, request: HttpRequest, pk: int, indicator_id: int | None = None) -> HttpResponse:
        indicator = self._indicator()
        if indicator is not None and request.POST.get("action") == "target":
            return self._post_target(request, indicator)
        form = IndicatorForm(request.POST, indicator=indicator)
        if form.is_valid():
            try:
                if indicator is None:
                    indicator = indicator_create(
                        programme=self.programme, acting_user=request.user, data=form.service_data()
                    )
                else:
                    indicator_update(indicator=indicator, acting_user=request.user, data=form.service_data())
            except ApplicationError as error:
                add_service_error(form, error, ALIASES)
            else:
                messages.success(request, _("The indicator has been saved."))
                return redirect("programmes:indicator_update", pk=pk, indicator_id=indicator.pk)
        target_form = TargetForm(initial={"set_on": timezone.localdate()}) if indicator else None
        return self._render(request, form, target_form, status=400)

    def _post_target(self, request: HttpRequest, indicator: Indicator) -> HttpResponse:
        target_form = TargetForm(request.POST)
        if target_form.is_valid():
            try:
                indicator_target_set(indicator=indicator, acting_user=request.user, **target_form.cleaned_data)
            except ApplicationError as error:
                add_service_error(target_form, error)
            else:
                messages.success(request, _("The target has been recorded; earlier versions are kept."))
                return redirect("programmes:indicator_update", pk=self.programme.pk, indicator_id=indicator.pk)
        return self._render(request, IndicatorForm(indicator=indicator), target_form, status=400)
