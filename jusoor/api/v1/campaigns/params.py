"""Path and header parameters shared by the campaign, donation and matching-pot endpoints."""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request

PK_MAX = 2**63 - 1
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 100
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,%d}$" % IDEMPOTENCY_KEY_MAX_LENGTH)  # noqa: UP031  (a regex)

MSG_IDEMPOTENCY_KEY = _("Use 1 to 100 visible ASCII characters (letters, digits, punctuation) without spaces.")

# GETs are open to anonymous callers too.
AUTH_OPTIONAL: Any = [{"cookieAuth": []}, {}]  # security requirement objects (the stubs say list[str])

CAMPAIGN_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Campaign id")
IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="A key of your choice, unique per operation (a UUID, say), 1 to 100 visible ASCII characters. "
    "Sending the same request again with the same key (a retry after a timeout) does not repeat the operation: "
    "the answer describes what the first request created, with status 200 instead of 201. The same key with a "
    "different request is a 409 `idempotency_key_reused`.",
)


def path_id(raw: str) -> int:
    """A database id from the URL; anything else is the same 404 as a missing object."""
    if not (raw.isascii() and raw.isdigit()) or int(raw) > PK_MAX:
        raise Http404
    return int(raw)


def idempotency_key(request: Request) -> str | None:
    """The `Idempotency-Key` header, checked; None when absent."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None or key == "":
        return None
    if not _IDEMPOTENCY_KEY.match(key):
        raise serializers.ValidationError({IDEMPOTENCY_HEADER: [str(MSG_IDEMPOTENCY_KEY)]})
    return key
