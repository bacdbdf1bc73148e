"""The donate page and the donation's status page (the return page of hosted payment pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from jusoor.campaigns.models import Campaign
from jusoor.common.exceptions import ApplicationError
from jusoor.common.forms import add_service_error
from jusoor.common.ratelimit import rate_limited
from jusoor.donations.forms import DonateForm
from jusoor.donations.links import donation_path, donation_token_valid, donation_url
from jusoor.donations.models import Donation
from jusoor.donations.providers import get_provider
from jusoor.donations.selectors import campaign_progress
from jusoor.donations.services.pledge import donation_pledge

COUNTRY_CURRENCY = {"TN": "TND", "MA": "MAD", "US": "USD", "CA": "CAD"}
DONATE_LIMIT = (10, 60)  # pledges per IP per minute


def _public_campaign(campaign_id: int) -> Campaign:
    campaign = Campaign.objects.public().select_related("organization", "territory").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404(_("No such campaign."))
    return campaign


class DonateView(View):
    template_name = "donations/donate.html"

    def _render(self, request: HttpRequest, campaign: Campaign, form: DonateForm, status: int = 200) -> HttpResponse:
        context = {"campaign": campaign, "form": form, "progress": campaign_progress(campaign)}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, campaign_id: int) -> HttpResponse:
        campaign = _public_campaign(campaign_id)
        user: Any = request.user
        initial: dict[str, Any] = {"currency": "EUR"}
        if user.is_authenticated:
            country = user.country_of_residence or ""
            initial.update(
                email=user.email,
                name=user.get_full_name(),
                country_of_residence=country,
                currency=COUNTRY_CURRENCY.get(country, "EUR"),
            )
        return self._render(request, campaign, DonateForm(initial=initial))

    def post(self, request: HttpRequest, campaign_id: int) -> HttpResponse:
        campaign = _public_campaign(campaign_id)
        form = DonateForm(request.POST)
        if rate_limited(request, "donate", *DONATE_LIMIT):
            form.add_error(None, _("Too many attempts. Please wait a minute and try again."))
            return self._render(request, campaign, form, status=429)
        if not form.is_valid():
            return self._render(request, campaign, form, status=400)
        try:
            return HttpResponseRedirect(self._pledge_and_start(request, campaign, form))
        except ApplicationError as error:
            add_service_error(form, error)
            return self._render(request, campaign, form, status=400)

    def _pledge_and_start(self, request: HttpRequest, campaign: Campaign, form: DonateForm) -> str:
        """Pledge, then start the payment; the URL to send the donor to."""
        data = form.cleaned_data
        provider = get_provider(data["provider"])
        if provider is None or data["currency"] not in provider.currencies:
            message = _("This payment method does not take this currency.")
            raise ApplicationError(message, code="provider_currency", extra={"fields": {"provider": [message]}})
        donation = donation_pledge(
            campaign=campaign,
            amount=data["amount"],
            currency=data["currency"],
            email=data["email"],
            name=data["name"],
            country_of_residence=data["country_of_residence"],
            provider=provider.identifier,
            expires_in=provider.pledge_lifetime,
            language=request.LANGUAGE_CODE,
            donor=request.user,
            message=data["message"],
            dedication=data["dedication"],
            anonymous_public=data["anonymous_public"],
            anonymous_to_organization=data["anonymous_to_organization"],
            idempotency_key=request.headers.get("Idempotency-Key") or data["idempotency_key"],
        )
        if donation.status != Donation.Status.PENDING:
            return donation_path(donation.reference, request.LANGUAGE_CODE)
        if donation.payment_url:  # the same form submitted again: resume the payment already started
            return donation.payment_url
        status_url = donation_url(donation.reference, request.LANGUAGE_CODE)
        step = provider.initiate(donation, return_url=status_url + "?return=1", cancel_url=status_url)
        if step.redirect_url:
            Donation.objects.filter(pk=donation.pk).update(payment_url=step.redirect_url[:500])
            return step.redirect_url
        return donation_path(donation.reference, request.LANGUAGE_CODE)


class DonationStatusView(View):
    """What became of a donation, for the donor (signed link; no account needed)."""

    def get(self, request: HttpRequest, reference: str, token: str) -> HttpResponse:
        if not donation_token_valid(reference, token):
            raise Http404(_("No such donation."))
        donation = Donation.objects.select_related("campaign__organization").filter(reference=reference).first()
        if donation is None:
            raise Http404(_("No such donation."))
        provider = get_provider(donation.provider)
        if request.GET.get("return") and donation.status == Donation.Status.PENDING and provider is not None:
            try:
                provider.confirm_return(donation, request.GET)
            except ApplicationError as error:
                messages.warning(request, str(error.message))
            donation.refresh_from_db()
        instructions: dict[str, str] = {}
        if donation.status == Donation.Status.PENDING and provider is not None:
            instructions = dict(getattr(provider, "instructions_for", lambda d: {})(donation))
        context = {
            "donation": donation,
            "campaign": donation.campaign,
            "provider": provider,
            "instructions": instructions,
            "token": token,
            "receipt_url": (
                donation_path(reference, request.LANGUAGE_CODE, "donations:receipt_token")
                if hasattr(donation, "receipt")
                else ""
            ),
            "progress": campaign_progress(donation.campaign),
        }
        return render(request, "donations/status.html", context)
