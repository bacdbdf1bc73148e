"""A donor's choice after an all-or-nothing campaign failed (signed link from the e-mail)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from jusoor.common.exceptions import ApplicationError
from jusoor.common.ratelimit import rate_limited
from jusoor.donations.links import donation_path, donation_token_valid
from jusoor.donations.models import Donation
from jusoor.donations.services.outcome import donation_choose, redirect_targets


class DonationChooseView(View):
    def _donation(self, reference: str, token: str) -> Donation:
        donation = (
            Donation.objects.select_related("campaign__organization", "campaign__territory")
            .filter(reference=reference)
            .first()
        )
        if donation is None or not donation_token_valid(reference, token):
            raise Http404(_("No such donation."))
        return donation

    def _render(self, request: HttpRequest, donation: Donation, status: int = 200) -> HttpResponse:
        context = {
            "donation": donation,
            "campaign": donation.campaign,
            "targets": redirect_targets(donation),
            "choices": Donation.FailedCampaignChoice.choices,
        }
        return render(request, "donations/choose.html", context, status=status)

    def get(self, request: HttpRequest, reference: str, token: str) -> HttpResponse:
        return self._render(request, self._donation(reference, token))

    def post(self, request: HttpRequest, reference: str, token: str) -> HttpResponse:
        donation = self._donation(reference, token)
        if rate_limited(request, "donation-choose", 10, 60):
            messages.error(request, _("Too many attempts. Please wait a minute and try again."))
            return self._render(request, donation, status=429)
        target = None
        target_id = request.POST.get("target", "")
        if target_id.isdigit():
            target = next((c for c in redirect_targets(donation) if c.pk == int(target_id)), None)
        try:
            donation_choose(donation=donation, choice=request.POST.get("choice", ""), target=target)
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return self._render(request, donation, status=400)
        messages.success(request, _("Thank you, your choice is recorded."))
        return HttpResponseRedirect(donation_path(reference, request.LANGUAGE_CODE))
