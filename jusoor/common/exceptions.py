"""Business errors with a stable code and a translated message."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: Any, *, code: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.extra = extra or {}


class NotFoundError(ApplicationError):
    code = "not_found"
    status = 404


class PermissionDeniedError(ApplicationError):
    code = "permission_denied"
    status = 403
