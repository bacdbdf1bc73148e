"""Pages for receipts and reports, and for paying a campaign's money out in tranches.

* Receipts (PDF, in the donor's language): the guest donor opens `receipt_token` with the signed token of the
  donation's links (404 for a wrong token), the logged-in donor, the organisation's administrators and finance
  staff open `receipt` (`donations.view_receipt`).
* A donor's yearly summary (HTML and PDF) of the donations made with their account.
* The organisation's donations dashboard and the accountant's CSV (`donations.view_dashboard`,
  `donations.export_donations`).
* The public register of foreign funding (HTML and CSV; 404 for an organisation the viewer may not see).
* Tranches: requested by the organisation's administrators, decided by finance officers; the proof of spending is
  served only to them.

Each view parses, authorizes, calls one selector or service, and renders.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.campaigns.models import Campaign, Tranche
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.donations import receipts, reports
from jusoor.donations.links import donation_token_valid
from jusoor.donations.models import Receipt
from jusoor.donations.services.disbursement import tranche_approve, tranche_refuse, tranche_request
from jusoor.organizations.bulk.writers import csv_lines
from jusoor.organizations.models import Organization

CSV_TYPE = "text/csv; charset=utf-8"
FIRST_YEAR = 2000


def _language() -> str:
    return (get_language() or "ar")[:2]


def _private(response: HttpResponse | StreamingHttpResponse | FileResponse) -> Any:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return _private(response)


def _csv(header: list[str], rows: Any, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)  # type: ignore[no-any-return]


def _year(value: Any, default: int | None) -> int | None:
    """A calendar year from the query string; 404 for anything else than a plausible year."""
    if value in (None, ""):
        return default
    try:
        year = int(value)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


# --- Receipts -----------------------------------------------------------------------------------------------
class ReceiptView(ProtectedPageMixin, View):
    """The receipt of a donation for the logged-in donor, the organisation's administrators and finance staff."""

    permission_required = "donations.view_receipt"
    receipt: Receipt

    def get_permission_object(self) -> Any:
        if not hasattr(self, "receipt"):
            self.receipt = reports.receipt_get(reference=self.kwargs["reference"])
        return self.receipt.donation

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        return _pdf(receipts.receipt_pdf(self.receipt), receipts.receipt_filename(self.receipt))


class ReceiptTokenView(View):
    """The receipt for a guest donor, through the signed link sent with the confirmation mail (no account)."""

    def get(self, request: HttpRequest, reference: str, token: str) -> HttpResponse:
        if not donation_token_valid(reference, token):
            raise Http404
        receipt = reports.receipt_get(reference=reference)
        return _pdf(receipts.receipt_pdf(receipt), receipts.receipt_filename(receipt))


class YearSummaryView(ProtectedPageMixin, View):
    """The logged-in donor's donations of a calendar year, with the total per currency (HTML, or PDF)."""

    permission_required = "donations.view_donation_summary"
    pdf = False

    def get(self, request: HttpRequest, year: int) -> HttpResponse:
        year = _year(year, None) or 0
        summary = reports.donor_year_summary(donor=request.user, year=year)
        if self.pdf:
            content = receipts.year_summary_pdf(summary, donor=request.user, language=_language())
            return _pdf(content, f"donations-{year}.pdf")
        return render(request, "donations/reports/year_summary.html", {"summary": summary})


# --- Organisation -------------------------------------------------------------------------------------------
class OrganizationReportMixin(ProtectedPageMixin):
    kwargs: dict[str, Any]
    organization: Organization

    def get_permission_object(self) -> Organization:
        if not hasattr(self, "organization"):
            self.organization = reports.organization_for_reports(organization_id=self.kwargs["pk"])
        return self.organization


class DashboardView(OrganizationReportMixin, View):
    permission_required = "donations.view_dashboard"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        dashboard = reports.organization_dashboard(organization=self.organization, viewer=request.user)
        context = {
            "organization": self.organization,
            "dashboard": dashboard,
            "years": reports.export_years(organization=self.organization),
        }
        return render(request, "donations/reports/dashboard.html", context)


class DonationExportView(OrganizationReportMixin, View):
    """The organisation's received donations as CSV for its accountant (UTF-8 with a byte order mark)."""

    permission_required = "donations.export_donations"

    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        year = _year(request.GET.get("year"), None)
        rows = reports.organization_export_rows(organization=self.organization, viewer=request.user, year=year)
        filename = f"donations-{self.organization.pk}-{year or 'all'}.csv"
        return _csv(reports.export_header(), rows, filename)


def _visible_organization(request: HttpRequest, pk: int) -> Organization:
    organization = reports.organization_for_reports(organization_id=pk)
    if not request.user.has_perm("donations.view_foreign_register", organization):
        raise Http404
    return organization


class ForeignRegisterView(View):
    """The public register of the organisation's foreign funding, per calendar year. No donor is named."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        organization = _visible_organization(request, pk)
        year = _year(request.GET.get("year"), timezone.localdate().year) or 0
        rows = reports.foreign_register(organization=organization, year=year)
        years = sorted({*reports.foreign_register_years(organization=organization), year}, reverse=True)
        context = {
            "organization": organization,
            "year": year,
            "years": years,
            "rows": rows,
            "totals": reports.foreign_register_totals(rows),
        }
        return render(request, "donations/reports/foreign_register.html", context)


class ForeignRegisterCsvView(View):
    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        organization = _visible_organization(request, pk)
        year = _year(request.GET.get("year"), timezone.localdate().year) or 0
        rows = reports.foreign_register(organization=organization, year=year)
        response = _csv(
            reports.foreign_register_header(),
            reports.foreign_register_csv_rows(rows),
            f"foreign-funding-{organization.pk}-{year}.csv",
        )
        response["Cache-Control"] = "public, max-age=300"  # a public register
        del response["X-Robots-Tag"]
        return response


# --- Tranches -----------------------------------------------------------------------------------------------
class TrancheRequestForm(forms.Form):
    # The amount is parsed by the service (the campaign currency's decimals, translated messages).
    amount = forms.CharField(label=gettext_lazy("Amount"), max_length=24)
    description = forms.CharField(label=gettext_lazy("What it pays for"), max_length=300)
    proof = forms.FileField(
        label=gettext_lazy("Proof of spending"),
        help_text=gettext_lazy("An invoice, a quote or a contract: PDF, PNG, JPEG or WebP, 10 MB at most."),
    )


class TrancheApproveForm(forms.Form):
    """One optional realised rate per foreign currency the campaign received."""

    def __init__(self, *args: Any, currencies: list[str], campaign_currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for currency in currencies:
            self.fields[f"rate_{currency}"] = forms.CharField(
                label=_("Realised rate: 1 %(currency)s = … %(campaign_currency)s")
                % {"currency": currency, "campaign_currency": campaign_currency},
                required=False,
                max_length=20,
            )

    def rates(self) -> dict[str, Decimal]:
        rates = {}
        for name, value in self.cleaned_data.items():
            if not value:
                continue
            try:
                rate = Decimal(str(value).strip().replace(",", "."))
            except InvalidOperation:
                self.add_error(name, _("Enter a number."))
                continue
            rates[name.removeprefix("rate_")] = rate
        return rates


class TrancheRefuseForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Why is it refused?"), max_length=2000, widget=forms.Textarea({"rows": 3})
    )


class TrancheRequestView(ProtectedPageMixin, View):
    """The campaign's tranches and the form to request one (organisation administrators)."""

    permission_required = "donations.request_tranche"
    template_name = "donations/reports/tranches.html"
    kwargs: dict[str, Any]
    campaign: Campaign

    def get_permission_object(self) -> Campaign:
        if not hasattr(self, "campaign"):
            self.campaign = reports.campaign_for_tranches(campaign_id=self.kwargs["pk"])
        return self.campaign

    def _render(self, request: HttpRequest, form: TrancheRequestForm, status: int = 200) -> HttpResponse:
        context = {
            "campaign": self.campaign,
            "money": reports.campaign_money(self.campaign),
            "tranches": reports.tranche_list(campaign=self.campaign),
            "form": form,
            "can_request": self.campaign.status in {Campaign.Status.SUCCEEDED, Campaign.Status.DISBURSED},
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, TrancheRequestForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = TrancheRequestForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            tranche_request(
                campaign=self.campaign,
                amount=form.cleaned_data["amount"],
                description=form.cleaned_data["description"],
                proof=form.cleaned_data["proof"],
                acting_user=request.user,
            )
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, form, status=400)
        messages.success(request, _("Your request has been sent to the finance team."))
        return redirect("donations:tranche_request", pk=pk)


class TrancheProofView(ProtectedPageMixin, View):
    """The proof of spending, from private storage, to the organisation's administrators and finance staff."""

    permission_required = "donations.view_tranche"
    kwargs: dict[str, Any]
    tranche: Tranche

    def get_permission_object(self) -> Tranche:
        if not hasattr(self, "tranche"):
            self.tranche = reports.tranche_get(tranche_id=self.kwargs["pk"])
        return self.tranche

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        if not self.tranche.proof:
            raise Http404
        name = (self.tranche.proof.name or "").rsplit("/", 1)[-1]
        response = FileResponse(self.tranche.proof.open("rb"), as_attachment=True, filename=name)
        return _private(response)  # type: ignore[no-any-return]


class TrancheQueueView(ProtectedPageMixin, View):
    """Tranches waiting for a decision (finance officers)."""

    permission_required = "donations.view_tranche_queue"

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {"tranches": reports.tranche_queue(viewer=request.user)}
        return render(request, "donations/reports/tranche_queue.html", context)


class TrancheDecideView(ProtectedPageMixin, View):
    """A requested tranche with what its campaign holds; approve (with realised rates) or refuse it."""

    permission_required = "donations.decide_tranche"
    template_name = "donations/reports/tranche_decide.html"
    kwargs: dict[str, Any]
    tranche: Tranche

    def get_permission_object(self) -> Tranche:
        if not hasattr(self, "tranche"):
            self.tranche = reports.tranche_get(tranche_id=self.kwargs["pk"])
        return self.tranche

    def _forms(self, data: Any = None, action: str = "") -> tuple[TrancheApproveForm, TrancheRefuseForm]:
        campaign = self.tranche.campaign
        currencies = [part.currency for part in reports.campaign_currency_mix(campaign)]
        approve = TrancheApproveForm(
            data if action == "approve" else None, currencies=currencies, campaign_currency=campaign.currency
        )
        refuse = TrancheRefuseForm(data if action == "refuse" else None)
        return approve, refuse

    def _render(
        self, request: HttpRequest, approve: TrancheApproveForm, refuse: TrancheRefuseForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "tranche": self.tranche,
            "campaign": self.tranche.campaign,
            "money": reports.campaign_money(self.tranche.campaign),
            "approve_form": approve,
            "refuse_form": refuse,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, *self._forms())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        if action not in {"approve", "refuse"}:
            return HttpResponse(status=400)
        approve, refuse = self._forms(request.POST, action)
        form: forms.Form = approve if action == "approve" else refuse
        if not form.is_valid():
            return self._render(request, approve, refuse, status=400)
        try:
            if action == "approve":
                rates = approve.rates()
                if approve.errors:
                    return self._render(request, approve, refuse, status=400)
                tranche_approve(tranche=self.tranche, acting_user=request.user, realised_rate=rates or None)
                messages.success(request, _("The tranche has been approved and paid out."))
            else:
                tranche_refuse(tranche=self.tranche, comment=refuse.cleaned_data["comment"], acting_user=request.user)
                messages.success(request, _("The tranche has been refused."))
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, approve, refuse, status=400)
        return redirect("donations:tranche_queue")
