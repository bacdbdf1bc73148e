"""Helpers shared by the review services."""

from __future__ import annotations

from jusoor.common.exceptions import ApplicationError


def error(message: str, code: str, field: str = "__all__") -> ApplicationError:
    return ApplicationError(message, code=code, extra={"fields": {field: [message]}})
