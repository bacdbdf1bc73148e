"""Small helpers shared by the grants services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import OperationalError, connection
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError, PermissionDeniedError
from jusoor.common.money import quantize
from jusoor.grants.error_codes import GrantErrorCode


def ensure_perm(user: Any, permission: str, obj: Any = None) -> None:
    if user is None or not user.has_perm(permission, obj):
        raise PermissionDeniedError(_("You are not allowed to do this."))


def field_error(message: str, code: str, field: str) -> ApplicationError:
    return ApplicationError(message, code=code, extra={"fields": {field: [message]}})


def parse_money(raw: Any, currency: str, field: str = "amount") -> Decimal:
    """An amount greater than zero with at most the currency's decimals; a translated error otherwise."""
    try:
        amount = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite() or amount <= 0:
        raise field_error(_("Enter an amount greater than zero."), GrantErrorCode.AMOUNT_INVALID, field)
    if quantize(amount, currency) != amount:
        raise field_error(
            _("%(amount)s has more decimals than %(currency)s allows.") % {"amount": amount, "currency": currency},
            GrantErrorCode.AMOUNT_INVALID,
            field,
        )
    return amount


def invalid_transition(current: str, target: str) -> ApplicationError:
    return ApplicationError(
        _("This cannot be done now (status: %(current)s).") % {"current": current},
        code=GrantErrorCode.INVALID_TRANSITION,
        extra={"target": target},
    )


@contextmanager
def lock_timeout(seconds: int = 5) -> Iterator[None]:
    """Inside a transaction: wait at most `seconds` for row locks, then answer "busy" instead of queueing."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{int(seconds)}s'")
    try:
        yield
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == "55P03":  # lock_not_available
            raise ApplicationError(
                _("Someone else is changing this programme's grants right now; please try again in a moment."),
                code=GrantErrorCode.BUSY,
            ) from exc
        raise
