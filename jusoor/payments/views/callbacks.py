"""The providers' callback endpoint: `POST /payments/<provider>/callback/` (no language prefix, no CSRF token:
providers sign their callbacks instead). Also mounted by the API at `/api/v1/payments/<provider>/callback/`."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from jusoor.common.ratelimit import rate_limited
from jusoor.donations.providers import get_provider
from jusoor.payments.error_codes import PaymentErrorCode


@csrf_exempt
def callback_view(request: HttpRequest, provider: str) -> JsonResponse:
    # A provider's servers read the answer, not a person: always English, whatever the platform's default.
    with translation.override("en"):
        return _callback(request, provider)


def _callback(request: HttpRequest, provider: str) -> JsonResponse:
    """Parse nothing here: the provider verifies the raw body's signature, stores the event, then acts on it.
    Answers 200 for every event handled (a duplicate too), 400 for a bad signature, 503 when the provider's API
    could not be asked (the provider delivers again later)."""
    if request.method != "POST":
        response = JsonResponse(
            {"code": "method_not_allowed", "message": _("Callbacks are sent with POST.")}, status=405
        )
        response["Allow"] = "POST"
        return response
    if rate_limited(request, "payments.callback", settings.PAYMENTS_CALLBACK_RATE_LIMIT, 60):
        return JsonResponse(
            {"code": PaymentErrorCode.RATE_LIMITED, "message": _("Too many callbacks. Try again in a minute.")},
            status=429,
        )
    handler = get_provider(provider)
    if handler is None:
        return _unknown()
    result = handler.handle_callback(body=request.body, headers=request.headers)
    if result.status == 404:
        return _unknown()
    if result.status >= 400:
        return JsonResponse({"code": str(result.outcome), "message": str(result.detail)}, status=result.status)
    return JsonResponse({"outcome": str(result.outcome), "detail": str(result.detail)}, status=result.status)


def _unknown() -> JsonResponse:
    return JsonResponse(
        {"code": PaymentErrorCode.UNKNOWN_PROVIDER, "message": _("No payment provider by this name.")}, status=404
    )
