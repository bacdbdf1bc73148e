"""Finance staff's pages about donations' money: matching pots (list, open one) and refunding a donation.

* Matching pots: finance officers and platform administrators (`donations.view_matchingpot`,
  `donations.add_matchingpot`); opening a pot calls `matching_pot_open` with an idempotency key taken from the
  form's hidden token, so a form sent twice opens one pot.
* Refunds: finance officers only (`donations.refund_donation`); `refund_with_provider` books the refund and asks
  the payment provider in one transaction. The POST is rate-limited, and the form's signed token says how many
  refunds the donation had when the page was shown: a form sent twice refunds once.

Every page asks for two-factor authentication first (`ProtectedPageMixin`). Each view parses, authorizes, calls
one service or read, and renders. The reads live at the top of this module; they run a fixed number of queries
whatever the number of rows (asserted in the tests).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.campaigns.models import Campaign
from jusoor.common.exceptions import ApplicationError
from jusoor.common.money import format_money
from jusoor.common.ratelimit import rate_limited
from jusoor.donations.forms_finance import MatchingPotForm, RefundForm, add_service_error, refund_token
from jusoor.donations.models import Donation, Match, MatchingPot, Refund
from jusoor.donations.providers import get_provider
from jusoor.donations.services.accounts import money_lock_timeout
from jusoor.donations.services.matching import matching_pot_open
from jusoor.donations.services.outcome import refund_with_provider
from jusoor.finance.selectors import account_balance_subquery
from jusoor.organizations.models import Theme
from jusoor.territories.models import Territory

POTS_PER_PAGE = 50
REFUND_LIMIT = (20, 60)  # refunds per minute and client


# --- Reads --------------------------------------------------------------------------------------------------
def plain_decimal(value: Decimal) -> str:
    """A ratio or a rate without trailing zeros and never in exponent notation: 1, 0.5, 10, 3.35."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class PotRow:
    pot: MatchingPot
    ratio: str  # as plain_decimal writes it
    available: Decimal  # left to match (ledger)
    reserved: Decimal  # matched to donations of campaigns still running (ledger)
    paid: Decimal  # paid to campaigns that succeeded: what is neither available nor reserved
    status: str
    territories: list[Territory]
    themes: list[Theme]
    campaigns: list[Campaign]


def _pot_status(pot: MatchingPot, now: datetime.datetime) -> str:
    if not pot.is_active:
        return _("Withdrawn")
    if now < pot.valid_from:
        return _("Not started")
    if now >= pot.valid_until:
        return _("Ended")
    return _("Running")


def matching_pot_rows(*, viewer: Any) -> QuerySet[MatchingPot]:
    """Every pot, newest first, with what is available and reserved from the ledger (subqueries) and what it may
    match (prefetched): one query per page, plus three for the eligibility lists."""
    return (
        MatchingPot.objects.select_related("sponsor_organization")
        .annotate(
            available_total=-account_balance_subquery("pot:", ":available"),
            reserved_total=-account_balance_subquery("pot:", ":reserved"),
        )
        .prefetch_related(
            Prefetch("territories", queryset=Territory.objects.order_by("code")),
            Prefetch("themes", queryset=Theme.objects.order_by("position", "slug")),
            Prefetch("campaigns", queryset=Campaign.objects.order_by("pk")),
        )
        .order_by("-created_at", "-pk")
    )


def pot_rows(page: Page[MatchingPot]) -> list[PotRow]:
    now = timezone.now()
    rows = []
    for pot in page.object_list:
        available, reserved = pot.available_total, pot.reserved_total  # type: ignore[attr-defined]  # annotated
        rows.append(
            PotRow(
                pot=pot,
                ratio=plain_decimal(pot.ratio),
                available=available,
                reserved=reserved,
                paid=pot.total - available - reserved,
                status=_pot_status(pot, now),
                territories=list(pot.territories.all()),
                themes=list(pot.themes.all()),
                campaigns=list(pot.campaigns.all()),
            )
        )
    return rows


def donation_for_refund(*, donation_id: int | None = None, reference: str | None = None) -> Donation:
    """The donation of a refund page, with its campaign and organisation (404 when missing)."""
    donations = Donation.objects.select_related("campaign__organization")
    if donation_id is not None:
        donation = donations.filter(pk=donation_id).first()
    else:
        donation = donations.filter(reference=reference).first()
    if donation is None:
        raise Http404
    return donation


@dataclass(frozen=True)
class RefundSummary:
    refunds: list[Refund]
    match: Match | None
    refunded_campaign_amount: Decimal  # in the campaign's currency


def refund_summary(*, donation: Donation) -> RefundSummary:
    refunds = list(donation.refunds.select_related("created_by").order_by("created_at", "pk"))
    match = Match.objects.select_related("pot").filter(donation=donation).first()
    return RefundSummary(
        refunds=refunds,
        match=match,
        refunded_campaign_amount=sum((refund.campaign_amount for refund in refunds), Decimal("0")),
    )


# --- Matching pots ------------------------------------------------------------------------------------------
class MatchingPotListView(ProtectedPageMixin, View):
    permission_required = "donations.view_matchingpot"

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(matching_pot_rows(viewer=request.user), POTS_PER_PAGE).get_page(request.GET.get("page"))
        context = {"page_obj": page, "rows": pot_rows(page)}
        return render(request, "donations/finance/pot_list.html", context)


class MatchingPotCreateView(ProtectedPageMixin, View):
    """The form to open a pot. The sponsor's commitment is booked in the ledger when the pot opens."""

    permission_required = "donations.add_matchingpot"
    template_name = "donations/finance/pot_form.html"

    def _render(self, request: HttpRequest, form: MatchingPotForm, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, MatchingPotForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = MatchingPotForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            pot = matching_pot_open(
                acting_user=request.user,
                idempotency_key=f"web:{request.user.pk}:{form.cleaned_data['token']}",
                **form.service_data(),
            )
        except ApplicationError as error:
            form.add_service_error(error)
            return self._render(request, form, status=400)
        messages.success(
            request,
            _("The pot “%(name)s” is open: %(total)s to match.")
            % {"name": pot.name, "total": format_money(pot.total, pot.currency, get_language() or "ar")},
        )
        return redirect("donations:pot_list")


# --- Refunds ------------------------------------------------------------------------------------------------
def _refund_once(*, donation: Donation, refunds_seen: int, amount: Decimal, reason: str, acting_user: Any) -> bool:
    """Refund unless the donation's refunds changed since the form was shown (a form sent twice, or another
    officer refunding at the same time): checked under the donation's row lock, in the refund's transaction.
    (The API would pass an `Idempotency-Key` to `refund_with_provider` instead.)"""
    with transaction.atomic(), money_lock_timeout():
        locked = Donation.objects.select_for_update(of=("self",)).get(pk=donation.pk)
        if Refund.objects.filter(donation=locked).count() != refunds_seen:
            return False
        refund_with_provider(donation=locked, amount=amount, reason=reason, acting_user=acting_user)
    return True


def _refunds_online(donation: Donation) -> bool:
    provider = get_provider(donation.provider)
    return provider is not None and provider.refunds_online


class DonationRefundView(ProtectedPageMixin, View):
    """A donation, what was captured and refunded, what is left; the form to refund part or all of it."""

    permission_required = "donations.refund_donation"
    template_name = "donations/finance/refund.html"
    kwargs: dict[str, Any]
    donation: Donation

    def get_permission_object(self) -> Donation:
        if not hasattr(self, "donation"):
            if "pk" in self.kwargs:
                self.donation = donation_for_refund(donation_id=self.kwargs["pk"])
            else:
                self.donation = donation_for_refund(reference=self.kwargs["reference"])
        return self.donation

    def _render(self, request: HttpRequest, form: RefundForm | None = None, status: int = 200) -> HttpResponse:
        donation = self.donation
        summary = refund_summary(donation=donation)
        if form is None:
            token = refund_token(donation_id=donation.pk, refunds_seen=len(summary.refunds))
            form = RefundForm(donation_id=donation.pk, initial={"token": token})
        context = {
            "donation": donation,
            "campaign": donation.campaign,
            "summary": summary,
            "form": form,
            "can_refund": donation.refundable_amount > 0,
            "refunds_online": _refunds_online(donation),
            "rate": plain_decimal(donation.rate),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = RefundForm(request.POST, donation_id=self.donation.pk)
        if rate_limited(request, "refund", *REFUND_LIMIT):
            form.add_error(None, _("Too many attempts. Please wait a minute and try again."))
            return self._render(request, form, status=429)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            refunded = _refund_once(
                donation=self.donation,
                refunds_seen=form.refunds_seen,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"].strip(),
                acting_user=request.user,
            )
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, form, status=400)
        if refunded and _refunds_online(self.donation):
            messages.success(request, _("The refund has been booked and sent to the payment provider."))
        elif refunded:
            messages.success(
                request, _("The refund has been booked. Send the money back to the donor by bank transfer.")
            )
        else:
            messages.warning(
                request,
                _(
                    "Nothing was refunded: the refunds of this donation changed since the page was shown (was the "
                    "form sent twice?). Check what is left before refunding again."
                ),
            )
        return redirect("donations:refund", pk=self.donation.pk)
