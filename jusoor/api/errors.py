"""One error shape for the whole API: {"code", "message", "extra": {"fields": …}}, translated."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jusoor.common.exceptions import ApplicationError


def error_response(code: str, message: Any, status_code: int, fields: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": str(message), "extra": {}}
    if fields:
        body["extra"]["fields"] = fields
    return Response(body, status=status_code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return error_response(exc.code, exc.message, exc.status, exc.extra.get("fields"))
    if isinstance(exc, Http404 | exceptions.NotFound):
        return error_response("not_found", _("Not found."), status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return error_response("invalid", _("The request is not valid."), response.status_code, detail)
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = {"code": code, "message": str(exc.detail), "extra": {}}
    return response
