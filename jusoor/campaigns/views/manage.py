"""Pages where an organisation's team prepares and runs its campaigns."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_GET

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.campaigns.dates import format_in_zone
from jusoor.campaigns.forms import (
    BUDGET_PREFIX,
    BudgetLineForm,
    BudgetLineFormSet,
    CampaignForm,
    CampaignStoryForm,
    ImageForm,
    ReportForm,
    UpdateForm,
    apply_error,
    budget_lines,
)
from jusoor.campaigns.selectors.campaigns import campaign_tranches, organization_campaigns
from jusoor.campaigns.selectors.readiness import campaign_readiness
from jusoor.campaigns.services.campaigns import LIVE_EDITABLE_STATUSES, campaign_create, campaign_update
from jusoor.campaigns.services.images import campaign_image_add, campaign_image_remove
from jusoor.campaigns.services.lifecycle import campaign_publish, campaign_report_submit, campaign_submit
from jusoor.campaigns.services.updates import campaign_update_post
from jusoor.campaigns.views.base import CampaignPermissionMixin, base_url
from jusoor.campaigns.views.public import with_progress
from jusoor.common.exceptions import ApplicationError
from jusoor.donations.selectors import campaign_progress, campaigns_with_raised
from jusoor.organizations.selectors.organizations import organization_get
from jusoor.organizations.views.base import OrganizationPermissionMixin


@require_GET
def organization_campaigns_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's campaigns: all of them for its team and the reviewers, the public ones for others."""
    organization = organization_get(organization_id=pk, viewer=request.user)
    campaigns = campaigns_with_raised(organization_campaigns(organization=organization, viewer=request.user))
    context = {
        "organization": organization,
        "campaigns": with_progress(list(campaigns)),
        "can_add": request.user.has_perm("campaigns.add_campaign", organization),
    }
    return render(request, "campaigns/organization_campaigns.html", context)


def _formset(request: HttpRequest | None = None, initial: list[dict[str, Any]] | None = None) -> Any:
    if request is not None:
        return BudgetLineFormSet(request.POST, prefix=BUDGET_PREFIX)
    return BudgetLineFormSet(initial=initial, prefix=BUDGET_PREFIX)


class CampaignCreateView(OrganizationPermissionMixin, ProtectedPageMixin, View):
    permission_required = "campaigns.add_campaign"
    template_name = "campaigns/form.html"

    def _render(self, request: HttpRequest, form: CampaignForm, formset: Any, status: int = 200) -> HttpResponse:
        context = {
            "organization": self.organization,
            "form": form,
            "formset": formset,
            "full_form": True,
            "readiness": campaign_readiness(None, organization=self.organization),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        language = (request.LANGUAGE_CODE or "ar")[:2]
        form = CampaignForm(initial={"primary_language": language, "currency": "TND"})
        return self._render(request, form, _formset())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form, formset = CampaignForm(request.POST, request.FILES), _formset(request)
        if form.is_valid() and formset.is_valid():
            try:
                campaign = campaign_create(
                    organization=self.organization,
                    acting_user=request.user,
                    data={**form.service_data(), "budget_lines": budget_lines(formset)},
                )
            except ApplicationError as error:
                apply_error(form, error)
            else:
                messages.success(
                    request,
                    _("The campaign has been saved as a draft. Follow the readiness guide, then send it for review."),
                )
                return redirect("campaigns:dashboard", pk=campaign.pk)
        return self._render(request, form, formset, status=400)


class CampaignUpdateView(CampaignPermissionMixin, ProtectedPageMixin, View):
    """Everything while the campaign is a draft; only the summary, story and cover image once it is live."""

    permission_required = "campaigns.change_campaign"
    template_name = "campaigns/form.html"

    def _forms(self, request: HttpRequest | None) -> tuple[Any, Any]:
        campaign = self.campaign
        data = (request.POST, request.FILES) if request is not None else ()
        if campaign.is_editable:
            initial = [{"label": line.label, "amount": line.amount} for line in campaign.budget_lines.all()]
            formset = _formset(request) if request is not None else _formset(initial=initial)
            return CampaignForm(*data, campaign=campaign), formset
        if campaign.status in LIVE_EDITABLE_STATUSES:
            return CampaignStoryForm(*data, campaign=campaign), None
        return None, None

    def _render(self, request: HttpRequest, form: Any, formset: Any, status: int = 200) -> HttpResponse:
        context = {
            "campaign": self.campaign,
            "organization": self.campaign.organization,
            "form": form,
            "formset": formset,
            "full_form": formset is not None,
            "readiness": campaign_readiness(self.campaign, organization=self.campaign.organization),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, *self._forms(None))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form, formset = self._forms(request)
        if form is None:
            messages.error(
                request,
                _("This campaign cannot be changed while its status is “%(status)s”.")
                % {"status": self.campaign.get_status_display()},
            )
            return self._render(request, None, None, status=400)
        if form.is_valid() and (formset is None or formset.is_valid()):
            data = form.service_data()
            if formset is not None:
                data["budget_lines"] = budget_lines(formset)
            try:
                campaign_update(campaign=self.campaign, acting_user=request.user, data=data)
            except ApplicationError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("The campaign has been saved."))
                return redirect("campaigns:dashboard", pk=pk)
        return self._render(request, form, formset, status=400)


@login_required
@require_GET
def budget_line_row_view(request: HttpRequest) -> HttpResponse:
    """One more empty budget line for the form (htmx), with the formset's new TOTAL_FORMS swapped out of band."""
    total = request.GET.get(f"{BUDGET_PREFIX}-TOTAL_FORMS", "0")
    index = int(total) if total.isdigit() else 0
    if index >= BudgetLineFormSet.max_num:
        return HttpResponse(status=204)
    form = BudgetLineForm(prefix=f"{BUDGET_PREFIX}-{index}")
    return render(
        request,
        "campaigns/_budget_line_row.html",
        {"line": form, "number": index + 1, "total_forms": index + 1, "prefix": BUDGET_PREFIX, "oob": True},
    )


class CampaignImagesView(CampaignPermissionMixin, ProtectedPageMixin, View):
    permission_required = "campaigns.change_campaign"
    template_name = "campaigns/images.html"

    def _render(self, request: HttpRequest, form: ImageForm, status: int = 200) -> HttpResponse:
        context = {"campaign": self.campaign, "images": list(self.campaign.images.all()), "form": form}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, ImageForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.POST.get("action") == "remove":
            image_id = request.POST.get("image_id", "")
            try:
                campaign_image_remove(
                    campaign=self.campaign,
                    image_id=int(image_id) if image_id.isdigit() else 0,
                    acting_user=request.user,
                )
            except ApplicationError as error:
                messages.error(request, str(error.message))
                return self._render(request, ImageForm(), status=400)
            messages.success(request, _("The image has been removed."))
            return redirect("campaigns:images", pk=pk)
        form = ImageForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            campaign_image_add(
                campaign=self.campaign,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                acting_user=request.user,
            )
        except ApplicationError as error:
            form.add_error("image", str(error.message))
            return self._render(request, form, status=400)
        messages.success(request, _("The image has been added."))
        return redirect("campaigns:images", pk=pk)


class CampaignDashboardView(CampaignPermissionMixin, ProtectedPageMixin, View):
    """The team's page for one campaign: status, money, readiness, and the next step (submit, publish)."""

    permission_required = "campaigns.view_campaign_dashboard"
    template_name = "campaigns/dashboard.html"
    ACTIONS = {
        "submit": ("campaigns.submit_campaign", campaign_submit),
        "publish": ("campaigns.publish_campaign", campaign_publish),
    }
    SUCCESS = {
        "submit": gettext_lazy("The campaign has been sent to the reviewers."),
        "publish": gettext_lazy("The campaign is online."),
    }

    def _render(self, request: HttpRequest, status: int = 200) -> HttpResponse:
        campaign, user = self.campaign, request.user
        context = {
            "campaign": campaign,
            "progress": campaign_progress(campaign),
            "readiness": campaign_readiness(campaign, organization=campaign.organization),
            "tranches": campaign_tranches(campaign=campaign),
            "starts": format_in_zone(campaign.starts_at, campaign.display_timezone),
            "deadline": format_in_zone(campaign.ends_at, campaign.display_timezone),
            "can_change": user.has_perm("campaigns.change_campaign", campaign),
            "can_submit": user.has_perm("campaigns.submit_campaign", campaign),
            "can_publish": user.has_perm("campaigns.publish_campaign", campaign),
            "can_report": user.has_perm("campaigns.report_campaign", campaign),
            "can_post_update": user.has_perm("campaigns.post_update", campaign),
            "live_editable": campaign.status in LIVE_EDITABLE_STATUSES,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        if action not in self.ACTIONS:
            return HttpResponse(status=400)
        permission, service = self.ACTIONS[action]
        if not request.user.has_perm(permission, self.campaign):
            raise PermissionDenied
        try:
            self.campaign = service(campaign=self.campaign, acting_user=request.user)
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return self._render(request, status=400)
        messages.success(request, str(self.SUCCESS[action]))
        return redirect("campaigns:dashboard", pk=pk)


class CampaignReportView(CampaignPermissionMixin, ProtectedPageMixin, View):
    permission_required = "campaigns.report_campaign"
    template_name = "campaigns/report.html"

    def _render(self, request: HttpRequest, form: ReportForm, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {"campaign": self.campaign, "form": form}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, ReportForm(initial={"final_report": self.campaign.final_report}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                campaign_report_submit(
                    campaign=self.campaign, acting_user=request.user, final_report=form.cleaned_data["final_report"]
                )
            except ApplicationError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("The final report has been sent. Thank you."))
                return redirect("campaigns:dashboard", pk=pk)
        return self._render(request, form, status=400)


class CampaignUpdatePostView(CampaignPermissionMixin, ProtectedPageMixin, View):
    permission_required = "campaigns.post_update"
    template_name = "campaigns/update_form.html"

    def _render(self, request: HttpRequest, form: UpdateForm, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {"campaign": self.campaign, "form": form}, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, UpdateForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = UpdateForm(request.POST)
        if form.is_valid():
            try:
                campaign_update_post(
                    campaign=self.campaign,
                    author=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    base_url=base_url(request),
                )
            except ApplicationError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("The update has been posted; followers and donors will get it by e-mail."))
                return redirect("campaigns:detail", pk=pk)
        return self._render(request, form, status=400)
