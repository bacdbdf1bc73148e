"""Activities: the programme's list (a calendar by month), planning, the activity page with registrations and
attendance, the sign-in sheet PDF and the participants' QR codes."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.incubation.forms import ActivityForm, PersonForm, ReasonForm, RegistrationForm
from jusoor.incubation.links import feedback_path, qr_svg, registration_checkin_path
from jusoor.incubation.models import Activity, Attendance
from jusoor.incubation.selectors.activities import (
    activity_feedback,
    activity_get,
    activity_list,
    activity_registrations,
    activity_walk_ins,
    registration_for_checkin,
)
from jusoor.incubation.selectors.programmes import programme_get
from jusoor.incubation.services.activities import activity_cancel, activity_mark_held, activity_plan, activity_update
from jusoor.incubation.services.attendance import attendance_check_in, attendance_walk_in, registration_create
from jusoor.incubation.signin_sheet import signin_sheet_filename, signin_sheet_pdf
from jusoor.incubation.views.base import IncubationView


class ProgrammePage(IncubationView):
    def load(self) -> Any:
        return programme_get(programme_id=self.kwargs["programme_pk"])


class ActivityPage(IncubationView):
    permission_required = "incubation.view_activity"

    def load(self) -> Any:
        return activity_get(activity_id=self.kwargs["pk"], viewer=self.request.user)

    def back(self) -> HttpResponse:
        return redirect("incubation:activity_detail", pk=self.object.pk)


class ActivityListView(ProgrammePage):
    permission_required = "incubation.list_activities"
    template_name = "incubation/activity_list.html"

    def get(self, request: HttpRequest, programme_pk: int) -> HttpResponse:
        status = request.GET.get("status", "")
        status = status if status in Activity.Status.values else ""
        activities = list(activity_list(programme=self.object, viewer=request.user, status=status))
        months = [
            (month, list(items))
            for month, items in groupby(activities, key=lambda a: timezone.localtime(a.starts_at).date().replace(day=1))
        ]
        context = {
            "programme": self.object,
            "months": months,
            "count": len(activities),
            "status": status,
            "statuses": Activity.Status.choices,
            "can_plan": request.user.has_perm("incubation.plan_activity", self.object),
        }
        return self.page(context)


class ActivityCreateView(ProgrammePage):
    permission_required = "incubation.plan_activity"
    template_name = "incubation/activity_form.html"

    def get(self, request: HttpRequest, programme_pk: int) -> HttpResponse:
        form = ActivityForm(programme=self.object, initial={"language": (request.LANGUAGE_CODE or "fr")[:2]})
        return self.page({"programme": self.object, "form": form})

    def post(self, request: HttpRequest, programme_pk: int) -> HttpResponse:
        form = ActivityForm(request.POST, programme=self.object)
        if form.is_valid():
            try:
                activity = activity_plan(programme=self.object, acting_user=request.user, data=form.data_for_service())
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The activity has been planned."))
                return redirect("incubation:activity_detail", pk=activity.pk)
        return self.page({"programme": self.object, "form": form}, status=400)


class ActivityUpdateView(ActivityPage):
    permission_required = "incubation.change_activity"
    template_name = "incubation/activity_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ActivityForm(programme=self.object.programme, initial=ActivityForm.initial_from(self.object))
        return self.page({"programme": self.object.programme, "activity": self.object, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ActivityForm(request.POST, programme=self.object.programme)
        if form.is_valid():
            try:
                activity_update(activity=self.object, acting_user=request.user, data=form.data_for_service())
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The activity has been updated."))
                return self.back()
        context = {"programme": self.object.programme, "activity": self.object, "form": form}
        return self.page(context, status=400)


class ActivityDetailView(ActivityPage):
    template_name = "incubation/activity_detail.html"

    def context(self, **forms: Any) -> dict[str, Any]:
        activity, user = self.object, self.request.user
        registrations = activity_registrations(activity=activity)
        walk_ins = activity_walk_ins(activity=activity)
        can_view_feedback = user.has_perm("incubation.view_feedback", activity)
        return {
            "activity": activity,
            "programme": activity.programme,
            "registrations": registrations,
            "walk_ins": walk_ins,
            "attended": sum(1 for r in registrations if hasattr(r, "attendance")) + len(walk_ins),
            "feedback": activity_feedback(activity=activity) if can_view_feedback else [],
            "can_view_feedback": can_view_feedback,
            "can_change": user.has_perm("incubation.change_activity", activity),
            "can_register": user.has_perm("incubation.register_activity", activity),
            "can_check_in": user.has_perm("incubation.check_in_activity", activity),
            "registration_form": forms.get("registration_form")
            or RegistrationForm(programme=activity.programme, prefix="reg"),
            "walk_in_form": forms.get("walk_in_form") or PersonForm(prefix="walk"),
            "cancel_form": ReasonForm(prefix="cancel"),
            "checkin_url": self.request.build_absolute_uri(
                reverse("incubation:checkin", args=[activity.checkin_token])
            ),
            "feedback_url": self.request.build_absolute_uri(feedback_path(activity)),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.context())


class ActivityHeldView(ActivityPage):
    permission_required = "incubation.change_activity"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            activity_mark_held(activity=self.object, acting_user=request.user)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The activity is recorded as held."))
        return self.back()


class ActivityCancelView(ActivityPage):
    permission_required = "incubation.change_activity"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ReasonForm(request.POST, prefix="cancel")
        try:
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            activity_cancel(activity=self.object, acting_user=request.user, reason=reason)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The activity has been cancelled."))
        return self.back()


class RegistrationCreateView(ActivityDetailView):
    permission_required = "incubation.register_activity"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = RegistrationForm(request.POST, programme=self.object.programme, prefix="reg")
        if form.is_valid():
            try:
                registration_create(activity=self.object, acting_user=request.user, **form.cleaned_data)
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The participant has been registered."))
                return self.back()
        return self.page(self.context(registration_form=form), status=400)


class WalkInView(ActivityDetailView):
    permission_required = "incubation.check_in_activity"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = PersonForm(request.POST, prefix="walk")
        if form.is_valid():
            try:
                attendance_walk_in(activity=self.object, acting_user=request.user, **form.cleaned_data)
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The participant has been added to the sign-in sheet."))
                return self.back()
        return self.page(self.context(walk_in_form=form), status=400)


class SheetCheckInView(ActivityPage):
    """Tick a registration as present from the activity page (after the paper sheet, or on the day)."""

    permission_required = "incubation.check_in_activity"

    def post(self, request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
        registration = registration_for_checkin(activity=self.object, registration_id=registration_pk)
        try:
            attendance_check_in(registration=registration, acting_user=request.user, method=Attendance.Method.SHEET)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        return self.back()


class SigninSheetView(ActivityPage):
    permission_required = "incubation.check_in_activity"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pdf = signin_sheet_pdf(activity=self.object, registrations=activity_registrations(activity=self.object))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{signin_sheet_filename(self.object)}"'
        return response


class QrCodesView(ActivityPage):
    """One QR code per registration, to print as badges: a facilitator scans it to check the person in."""

    permission_required = "incubation.check_in_activity"
    template_name = "incubation/qr_codes.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        codes = [
            (registration, qr_svg(request.build_absolute_uri(registration_checkin_path(registration, self.object))))
            for registration in activity_registrations(activity=self.object)
        ]
        return self.page({"activity": self.object, "codes": codes})
