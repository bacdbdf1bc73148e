"""The exchange-rate page (finance officers and platform administrators, with two-factor authentication):
the latest rate of each pair, a form to record a day's rate, and the import of a CSV file of rates.

Each view parses, authorizes (`finance.change_exchangerate`), calls one service or read, and renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import permutations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.finance.forms import ExchangeRateForm, ExchangeRateImportForm
from jusoor.finance.models import SUPPORTED_CURRENCIES, ExchangeRate
from jusoor.finance.services import exchange_rate_set
from jusoor.finance.services_import import COLUMNS, OPTIONAL_COLUMNS, exchange_rates_import

PERMISSION = "finance.change_exchangerate"
# Campaigns raise money in these currencies (`jusoor.campaigns.models.CAMPAIGN_CURRENCIES`: the finance app sits
# below the campaigns app and does not import it); donations come in any supported currency.
CAMPAIGN_CURRENCIES = ("TND", "MAD", "EUR")


def plain_rate(rate: Decimal) -> str:
    """A rate without its trailing zeros and never in exponent notation: 3.35, 100, 0.0295."""
    return f"{rate.normalize():f}"


@dataclass(frozen=True)
class RateRow:
    base: str
    quote: str
    rate: str  # as plain_rate writes it
    day: date
    source: str


@dataclass(frozen=True)
class RatesOverview:
    latest: list[RateRow]  # the most recent rate of each recorded pair, by pair
    missing: list[tuple[str, str]]  # donation currency → campaign currency with no rate either way


def exchange_rates_overview() -> RatesOverview:
    """One query: the latest rate of each recorded pair (PostgreSQL DISTINCT ON)."""
    latest = [
        RateRow(base=rate.base, quote=rate.quote, rate=plain_rate(rate.rate), day=rate.day, source=rate.source)
        for rate in ExchangeRate.objects.order_by("base", "quote", "-day").distinct("base", "quote")
    ]
    known = {(row.base, row.quote) for row in latest}
    missing = [
        (base, quote)
        for base, quote in permutations(SUPPORTED_CURRENCIES, 2)
        if quote in CAMPAIGN_CURRENCIES and (base, quote) not in known and (quote, base) not in known
    ]
    return RatesOverview(latest=latest, missing=missing)


class ExchangeRateListView(ProtectedPageMixin, View):
    """The rates and the form to record one (POST). A rate recorded again for the same day corrects it."""

    permission_required = PERMISSION
    template_name = "finance/rates.html"

    def _render(
        self,
        request: HttpRequest,
        form: ExchangeRateForm | None = None,
        import_form: ExchangeRateImportForm | None = None,
        import_errors: list[str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "overview": exchange_rates_overview(),
            "form": form or ExchangeRateForm(),
            "import_form": import_form or ExchangeRateImportForm(),
            "import_errors": import_errors or [],
            "columns": (*COLUMNS, *OPTIONAL_COLUMNS),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ExchangeRateForm(request.POST)
        if not form.is_valid():
            return self._render(request, form=form, status=400)
        try:
            rate = exchange_rate_set(acting_user=request.user, **form.service_data())
        except ApplicationError as error:
            form.add_service_error(error)
            return self._render(request, form=form, status=400)
        messages.success(
            request,
            _("Rate recorded: 1 %(base)s = %(rate)s %(quote)s on %(day)s.")
            % {"base": rate.base, "quote": rate.quote, "rate": plain_rate(rate.rate), "day": rate.day.isoformat()},
        )
        return redirect("finance:rates")


class ExchangeRateImportView(ExchangeRateListView):
    """POST a CSV file of rates: all of them are recorded, or none (the problems are listed by line)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        import_form = ExchangeRateImportForm(request.POST, request.FILES)
        if not import_form.is_valid():
            return self._render(request, import_form=import_form, status=400)
        upload = import_form.cleaned_data["file"]
        try:
            result = exchange_rates_import(content=upload.read(), acting_user=request.user)
        except ApplicationError as error:
            import_form.add_error("file", str(error.message))
            errors = list(error.extra.get("errors", []))
            return self._render(request, import_form=import_form, import_errors=errors, status=400)
        messages.success(
            request,
            _("Rates imported. New: %(created)s. Corrected: %(updated)s. Unchanged: %(unchanged)s.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return redirect("finance:rates")
