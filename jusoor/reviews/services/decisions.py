"""Decisions taken from the ranking page. The transitions themselves belong to the calls app (each locked, audited
and mailed to the applicant in their language); this module only maps the page's buttons to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from jusoor.calls.models import Application, Call
from jusoor.calls.services.applications import (
    application_reject,
    application_select,
    application_shortlist,
    application_start_review_bulk,
    application_waitlist,
)
from jusoor.reviews.error_codes import ReviewErrorCode
from jusoor.reviews.services.common import error

DECISIONS: dict[str, Callable[..., Application]] = {
    "shortlist": application_shortlist,
    "select": application_select,
    "waitlist": application_waitlist,
    "reject": application_reject,
}


def application_decide(*, application: Application, decision: str, acting_user: Any, reason: str = "") -> Application:
    """Shortlist, select, waitlist or reject one application (a reason is required to reject)."""
    service = DECISIONS.get(decision)
    if service is None:
        raise error(_("Choose shortlist, select, waitlist or reject."), ReviewErrorCode.DECISION_INVALID, "decision")
    return service(application=application, acting_user=acting_user, reason=reason)


def review_start(*, call: Call, acting_user: Any) -> int:
    """Every eligible application of the call goes under review (the calls app's bulk transition)."""
    return application_start_review_bulk(call=call, acting_user=acting_user)
