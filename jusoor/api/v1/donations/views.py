"""Donations to a campaign: pledge one (anyone), list them (the organisation's administrators and finance staff).

The pledge mirrors the HTML donate page (`jusoor/donations/views/donate.py`): the same rate limit, the same
checks of the payment method, the same service (`donation_pledge`) and the same next step from the provider.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from jusoor.api.errors import error_response
from jusoor.api.permissions import RulesPermission
from jusoor.api.serializers import ErrorSerializer
from jusoor.api.v1.campaigns.params import AUTH_OPTIONAL, CAMPAIGN_ID, IDEMPOTENCY_KEY, idempotency_key, path_id
from jusoor.api.v1.donations.authentication import AnonymousIs401Mixin, require_two_factor
from jusoor.api.v1.donations.selectors import campaign_donations, donation_key_used
from jusoor.api.v1.donations.serializers import (
    DonationCreatedOutputSerializer,
    DonationCreateInputSerializer,
    DonationOrganizationOutputSerializer,
)
from jusoor.campaigns.selectors.campaigns import campaign_get
from jusoor.common.exceptions import ApplicationError
from jusoor.common.ratelimit import rate_limited
from jusoor.donations.error_codes import DonationErrorCode
from jusoor.donations.links import donation_url
from jusoor.donations.models import Donation
from jusoor.donations.providers import BasePaymentProvider, PaymentStep, available_providers, get_provider
from jusoor.donations.services.pledge import checked_amount, donation_pledge

DONATE_LIMIT = (10, 60)  # pledges per IP per minute, as on the donate page
# The API's keys are kept apart from the donate form's own tokens.
IDEMPOTENCY_PREFIX = "api:"

MSG_RATE_LIMITED = _("Too many attempts. Please wait a minute and try again.")  # as the donate page
MSG_PROVIDER_CURRENCY = _("This payment method does not take this currency.")  # as the donate page
MSG_UNKNOWN_PROVIDER = _("This payment method is not available. Choose one of: %(allowed)s.")

PLEDGE_EXAMPLE = {
    "amount": "50",
    "currency": "EUR",
    "provider": "stripe",
    "email": "leila@example.org",
    "name": "Leïla Ben Salem",
    "country_of_residence": "FR",
    "message": "Bon courage !",
    "dedication": "",
    "anonymous_public": False,
    "anonymous_to_organization": False,
}
PLEDGE_RESPONSE_EXAMPLE = {
    "reference": "JSR-7K2QD-M9XWA",
    "status": "pending",
    "amount": "50.00",
    "currency": "EUR",
    "campaign_amount": "167.500",
    "campaign_currency": "TND",
    "rate": "3.35000000",
    "rate_day": "2025-03-14",
    "payment": {"redirect_url": "https://checkout.stripe.com/c/pay/cs_test_a1", "instructions": {}},
    "status_url": "https://jusoor.example/fr/donations/JSR-7K2QD-M9XWA/1bS2kQ/",
}


def _provider_for(identifier: str, currency: str) -> BasePaymentProvider:
    """The payment method, if it is available and takes `currency`; a 400 on the `provider` field otherwise."""
    provider = get_provider(identifier)
    if provider is None or not provider.is_available():
        allowed = ", ".join(p.identifier for p in available_providers(currency)) or "—"
        message = MSG_UNKNOWN_PROVIDER % {"allowed": allowed}
        raise ApplicationError(message, code="unknown_provider", extra={"fields": {"provider": [message]}})
    if currency not in provider.currencies:
        raise ApplicationError(
            MSG_PROVIDER_CURRENCY,
            code="provider_currency_not_supported",
            extra={"fields": {"provider": [str(MSG_PROVIDER_CURRENCY)]}},
        )
    return provider


def _payment_step(donation: Donation, status_url: str) -> PaymentStep:
    """As the donate page: nothing left to pay once the donation moved on; the hosted page already opened when
    the same pledge is sent again; otherwise the provider starts the payment (it never moves money)."""
    provider = get_provider(donation.provider)
    if donation.status != Donation.Status.PENDING or provider is None:
        return PaymentStep()
    if donation.payment_url:
        return PaymentStep(redirect_url=donation.payment_url)
    step = provider.initiate(donation, return_url=status_url + "?return=1", cancel_url=status_url)
    if step.redirect_url:  # kept so that a retry resumes the same payment (as the donate page does)
        Donation.objects.filter(pk=donation.pk).update(payment_url=step.redirect_url[:500])
    return step


class CampaignDonationsView(AnonymousIs401Mixin, GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [RulesPermission]
    object_permission_required = {"GET": "campaigns.view_campaign_dashboard"}
    parser_classes = [JSONParser]
    serializer_class = DonationOrganizationOutputSerializer

    @extend_schema(
        parameters=[CAMPAIGN_ID],
        responses={
            200: DonationOrganizationOutputSerializer(many=True),
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="The campaign's donations",
        description="For the owners and administrators of the campaign's organisation, finance officers and "
        "platform administrators (staff roles must have set up two-factor authentication: otherwise a 403 "
        "`two_factor_required`). Every status, newest first. Donors who chose to hide from the organisation "
        "appear without name and e-mail (null). 401 `not_authenticated` for anonymous callers.",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        campaign = campaign_get(campaign_id=path_id(id), viewer=request.user)
        self.check_object_permissions(request, campaign)
        require_two_factor(request.user)
        page = self.paginate_queryset(campaign_donations(campaign=campaign))
        return self.get_paginated_response(DonationOrganizationOutputSerializer(page, many=True).data)

    @extend_schema(
        parameters=[CAMPAIGN_ID, IDEMPOTENCY_KEY],
        request=DonationCreateInputSerializer,
        responses={
            201: DonationCreatedOutputSerializer,
            200: DonationCreatedOutputSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            429: ErrorSerializer,
        },
        auth=AUTH_OPTIONAL,
        summary="Pledge a donation",
        description="No account needed. Records the pledge with the day's exchange rate to the campaign's "
        "currency, then asks the payment method for the next step: `payment.redirect_url` (a hosted payment "
        "page) or `payment.instructions` (a bank transfer). Nothing is counted as raised until the payment is "
        "confirmed. 201 for a new pledge; 200 when the `Idempotency-Key` was already used for the same pledge "
        "(same campaign, amount, currency and e-mail: the first pledge is returned, its payment resumed); 409 "
        "`idempotency_key_reused` for a different one. Errors (400, messages in the Accept-Language): "
        "`amount_invalid`, `too_many_decimals`, `amount_too_small`, `unsupported_currency`, `unknown_provider`, "
        "`provider_currency_not_supported`, `campaign_not_live`, `invalid`. 404 for a campaign that does not "
        "exist or is not public; 429 `rate_limited` after 10 pledges a minute from one address.",
        examples=[
            OpenApiExample("A donation in euros", value=PLEDGE_EXAMPLE, request_only=True),
            OpenApiExample(
                "Pay on a hosted page", value=PLEDGE_RESPONSE_EXAMPLE, response_only=True, status_codes=["201"]
            ),
        ],
    )
    def post(self, request: Request, id: str) -> Response:  # noqa: A002
        if rate_limited(request, "api-donate", *DONATE_LIMIT):
            response = error_response("rate_limited", MSG_RATE_LIMITED, status.HTTP_429_TOO_MANY_REQUESTS)
            response["Retry-After"] = str(DONATE_LIMIT[1])
            return response
        key = idempotency_key(request)
        campaign = campaign_get(campaign_id=path_id(id), viewer=request.user)
        serializer = DonationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        amount, currency = checked_amount(data["amount"], data["currency"])
        provider = _provider_for(data["provider"], currency)
        language = (get_language() or "ar")[:2]
        stored_key = IDEMPOTENCY_PREFIX + key if key else None
        replay = stored_key is not None and donation_key_used(idempotency_key=stored_key)
        try:
            donation = donation_pledge(
                campaign=campaign,
                amount=amount,
                currency=currency,
                email=data["email"],
                name=data["name"],
                country_of_residence=data["country_of_residence"],
                provider=provider.identifier,
                expires_in=provider.pledge_lifetime,
                language=language,
                donor=request.user,
                message=data["message"],
                dedication=data["dedication"],
                anonymous_public=data["anonymous_public"],
                anonymous_to_organization=data["anonymous_to_organization"],
                idempotency_key=stored_key,
            )
        except ApplicationError as error:
            if error.code == DonationErrorCode.IDEMPOTENCY_REUSED:
                error.status = status.HTTP_409_CONFLICT
            raise
        status_url = donation_url(donation.reference, language)
        context = {"payment": _payment_step(donation, status_url), "status_url": status_url}
        return Response(
            DonationCreatedOutputSerializer(donation, context=context).data,
            status=status.HTTP_200_OK if replay else status.HTTP_201_CREATED,
        )
