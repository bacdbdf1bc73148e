"""Business errors with a stable code and a translated message."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class ApplicationError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: Any, *, code: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.extra = extra or {}


def invalid_data(error: ValidationError) -> ApplicationError:
    """A model validation error as an ApplicationError listing the messages per field."""
    fields = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    codes = [e.code for errors in getattr(error, "error_dict", {}).values() for e in errors]
    code = next((c for c in codes if c in {"duplicate_registration", "name_required"}), "invalid")
    message = fields.get("__all__", [_("Some fields are not valid.")])[0]
    return ApplicationError(message, code=code, extra={"fields": fields})


class NotFoundError(ApplicationError):
    code = "not_found"
    status = 404


class PermissionDeniedError(ApplicationError):
    code = "permission_denied"
    status = 403
