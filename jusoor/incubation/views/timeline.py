from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.incubation.forms import MilestoneForm
from jusoor.incubation.selectors.coaching import organization_for_timeline
from jusoor.incubation.selectors.programmes import programmes_among
from jusoor.incubation.selectors.timeline import organization_programme_ids, organization_timeline
from jusoor.incubation.services.coaching import milestone_add
from jusoor.incubation.views.base import IncubationView


class TimelineView(IncubationView):
    """An organisation's whole path, oldest first; managers and coaches of its programmes add milestones."""

    permission_required = "incubation.view_timeline"
    template_name = "incubation/timeline.html"

    def load(self) -> Any:
        return organization_for_timeline(organization_id=self.kwargs["pk"], viewer=self.request.user)

    def context(self, form: Any = None) -> dict[str, Any]:
        organization, user = self.object, self.request.user
        programmes = programmes_among(
            programme_ids=organization_programme_ids(organization=organization),
            viewer=user,
            permission="incubation.add_milestone",
        )
        return {
            "organization": organization,
            "items": organization_timeline(organization=organization, viewer=user),
            "form": form or (MilestoneForm(programmes=programmes) if programmes.exists() else None),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.context())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        programmes = programmes_among(
            programme_ids=organization_programme_ids(organization=self.object),
            viewer=request.user,
            permission="incubation.add_milestone",
        )
        form = MilestoneForm(request.POST, programmes=programmes)
        if form.is_valid():
            try:
                milestone_add(organization=self.object, acting_user=request.user, **form.cleaned_data)
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The milestone has been added."))
                return redirect("incubation:timeline", pk=self.object.pk)
        return self.page(self.context(form), status=400)
