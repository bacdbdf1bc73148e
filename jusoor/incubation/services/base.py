"""Helpers shared by the incubation services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError
from jusoor.incubation.error_codes import IncubationErrorCode


def error(message: str, code: str, field: str = "__all__") -> ApplicationError:
    return ApplicationError(message, code=code, extra={"fields": {field: [message]}})


def invalid_transition(old_label: Any, new_label: Any) -> ApplicationError:
    return ApplicationError(
        _("This cannot go from “%(old)s” to “%(new)s”.") % {"old": old_label, "new": new_label},
        code=IncubationErrorCode.INVALID_TRANSITION,
    )
