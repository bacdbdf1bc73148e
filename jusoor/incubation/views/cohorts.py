from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.incubation.forms import CohortForm
from jusoor.incubation.selectors.coaching import cohort_get, cohort_members, programme_cohorts
from jusoor.incubation.services.cohorts import cohort_create_from_selected
from jusoor.incubation.views.activities import ProgrammePage
from jusoor.incubation.views.base import IncubationView


class CohortListView(ProgrammePage):
    """The programme's cohorts; a manager forms one (or completes it) from the selected applications."""

    permission_required = "incubation.add_cohort"
    template_name = "incubation/cohort_list.html"

    def context(self, form: Any = None) -> dict[str, Any]:
        return {
            "programme": self.object,
            "cohorts": list(programme_cohorts(programme=self.object)),
            "form": form or CohortForm(programme=self.object),
        }

    def get(self, request: HttpRequest, programme_pk: int) -> HttpResponse:
        return self.page(self.context())

    def post(self, request: HttpRequest, programme_pk: int) -> HttpResponse:
        form = CohortForm(request.POST, programme=self.object)
        if form.is_valid():
            try:
                cohort = cohort_create_from_selected(
                    programme=self.object, acting_user=request.user, **form.cleaned_data
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The cohort now has every selected organisation."))
                return redirect("incubation:cohort_detail", pk=cohort.pk)
        return self.page(self.context(form), status=400)


class CohortDetailView(IncubationView):
    permission_required = "incubation.view_cohort"
    template_name = "incubation/cohort_detail.html"

    def load(self) -> Any:
        return cohort_get(cohort_id=self.kwargs["pk"], viewer=self.request.user)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page({"cohort": self.object, "members": cohort_members(cohort=self.object)})
