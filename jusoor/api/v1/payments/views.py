"""Payment providers call us here (webhooks). The provider checks its own signature on the raw body, so this
endpoint has no session authentication, no CSRF check, no DRF throttling, and never parses the body.

The same handling as the payments app's own callback URL (`jusoor.payments.views.callbacks.callback_view`, which
the providers are configured with): the same per-address limit, the same provider hook; only the JSON is the
API's (`{"outcome", "detail"}`, errors as everywhere in the API).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jusoor.api.errors import error_response
from jusoor.api.serializers import ErrorSerializer
from jusoor.common.ratelimit import rate_limited
from jusoor.donations.providers import get_provider

MSG_RATE_LIMITED = _("Too many callbacks. Try again in a minute.")  # as the payments app's callback URL


class RawBodyParser(BaseParser):
    """Accepts any content type and leaves the bytes alone: signatures are computed over the exact body."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return stream.read() if stream is not None else b""


class CallbackOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.CharField(help_text="What was done: captured, failed, ignored, duplicate, rejected…")
    detail = serializers.CharField(help_text="For the provider's logs")


class PaymentCallbackView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    parser_classes = [RawBodyParser]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "provider",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Payment provider identifier (testpay, stripe, bank_transfer…)",
            )
        ],
        request={"application/json": OpenApiTypes.OBJECT, "application/octet-stream": OpenApiTypes.BINARY},
        responses={
            200: CallbackOutputSerializer,
            400: CallbackOutputSerializer,
            404: ErrorSerializer,
            429: ErrorSerializer,
            503: CallbackOutputSerializer,
        },
        auth=[],
        summary="Payment provider callback (webhook)",
        description="For payment providers only. The body is passed unparsed to the provider, which verifies its "
        "signature (headers) before anything else, records the event once (a second delivery changes nothing) "
        "and confirms or fails the donation after checking amount and currency against the pledge. The HTTP "
        "status is the provider's answer: 200 handled (a duplicate delivery too: `outcome` `duplicate`), 400 a bad "
        "signature or an unreadable body, 503 the provider's API could not be asked (deliver again later). A "
        "provider that does not exist or takes no callbacks is a 404 `not_found`; too many calls from one address, "
        "a 429 `rate_limited`.",
    )
    def post(self, request: Request, provider: str) -> Response:
        limit = getattr(settings, "PAYMENTS_CALLBACK_RATE_LIMIT", 300)
        if rate_limited(request, "payments.callback", limit, 60):
            return error_response("rate_limited", MSG_RATE_LIMITED, status.HTTP_429_TOO_MANY_REQUESTS)
        handler = get_provider(provider)
        if handler is None:
            raise Http404
        result = handler.handle_callback(body=request.body, headers=request.headers)
        if result.status == status.HTTP_404_NOT_FOUND:  # a provider that takes no callbacks (bank transfers)
            raise Http404
        return Response({"outcome": str(result.outcome), "detail": str(result.detail)}, status=result.status)
