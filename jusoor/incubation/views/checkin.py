"""Check-in on the day from a phone, and participants' feedback afterwards.

The phone page is reached through the activity's secret token (`checkin/<token>/`) by a signed-in facilitator, coach
or manager: it lists the registrations with a one-tap check-in button, and shows its own QR code so another
facilitator can open it. A participant's QR code opens `checkin/<token>/<id>/<signature>/`, which asks for one tap
to confirm; a wrong token or signature is a 404. Checking someone in twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.incubation.forms import FeedbackForm
from jusoor.incubation.links import feedback_activity_id, qr_svg, signature_is_valid
from jusoor.incubation.models import Attendance
from jusoor.incubation.selectors.activities import (
    activity_by_token,
    activity_get_public,
    activity_registrations,
    registration_for_checkin,
)
from jusoor.incubation.services.attendance import attendance_check_in, feedback_give
from jusoor.incubation.views.base import IncubationView


class CheckinPage(IncubationView):
    permission_required = "incubation.check_in_activity"

    def load(self) -> Any:
        return activity_by_token(token=self.kwargs["token"])


class CheckinView(CheckinPage):
    template_name = "incubation/checkin.html"

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        registrations = activity_registrations(activity=self.object)
        context = {
            "activity": self.object,
            "registrations": registrations,
            "present": sum(1 for registration in registrations if hasattr(registration, "attendance")),
            "qr": qr_svg(request.build_absolute_uri()),
        }
        return self.page(context)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        """One tap on a registration of the list."""
        try:
            registration_id = int(request.POST.get("registration", ""))
        except ValueError as error:
            raise Http404 from error
        registration = registration_for_checkin(activity=self.object, registration_id=registration_id)
        try:
            attendance_check_in(registration=registration, acting_user=request.user, method=Attendance.Method.QR)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        if request.headers.get("HX-Request"):
            registration = registration_for_checkin(activity=self.object, registration_id=registration_id)
            context = {"activity": self.object, "registration": registration}
            return render(request, "incubation/_checkin_row.html", context)
        return redirect("incubation:checkin", token=token)


class CheckinRegistrationView(CheckinPage):
    """The page a participant's QR code opens: who it is, and one button to check them in."""

    template_name = "incubation/checkin_registration.html"

    def registration(self) -> Any:
        registration_pk, signature = self.kwargs["registration_pk"], self.kwargs["signature"]
        if not signature_is_valid(registration_pk, self.object, signature):
            raise Http404
        return registration_for_checkin(activity=self.object, registration_id=registration_pk)

    def get(self, request: HttpRequest, token: str, registration_pk: int, signature: str) -> HttpResponse:
        registration = self.registration()
        return self.page({"activity": self.object, "registration": registration})

    def post(self, request: HttpRequest, token: str, registration_pk: int, signature: str) -> HttpResponse:
        registration = self.registration()
        try:
            _attendance, created = attendance_check_in(
                registration=registration, acting_user=request.user, method=Attendance.Method.QR
            )
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            if created:
                messages.success(request, _("%(name)s is checked in.") % {"name": registration.name})
            else:
                messages.info(request, _("%(name)s was already checked in.") % {"name": registration.name})
        return redirect("incubation:checkin", token=token)


@require_http_methods(["GET", "POST"])
def feedback_view(request: HttpRequest, signed: str) -> HttpResponse:
    """A participant rates an activity that took place (signed in or not: the link is what they need)."""
    activity_id = feedback_activity_id(signed)
    activity = activity_get_public(activity_id=activity_id)
    form = FeedbackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                feedback_give(activity=activity, user=request.user, **form.cleaned_data)
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Thank you for your feedback."))
                return redirect(reverse("incubation:feedback", args=[signed]))
        status = 400
    return render(request, "incubation/feedback.html", {"activity": activity, "form": form}, status=status)
