"""Posting to the ledger. Every money movement of the platform goes through `ledger_post`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.money import quantize
from jusoor.finance.error_codes import LedgerErrorCode
from jusoor.finance.models import SUPPORTED_CURRENCIES, Account, EntryGroup, ExchangeRate, LedgerEntry


def _currency(code: str) -> str:
    code = (code or "").strip().upper()
    if code not in SUPPORTED_CURRENCIES:
        raise ApplicationError(
            _("This currency is not supported: %(currency)s.") % {"currency": code}, code=LedgerErrorCode.CURRENCY
        )
    return code


def account_get_or_create(*, key: str, currency: str, kind: Account.Kind, name: str = "") -> Account:
    currency = _currency(currency)
    account, _created = Account.objects.get_or_create(key=key, currency=currency, defaults={"kind": kind, "name": name})
    return account


def _checked_amount(amount: Decimal, currency: str) -> Decimal:
    if not isinstance(amount, Decimal):
        raise TypeError("Ledger amounts must be Decimal")
    if amount == 0:
        raise ApplicationError(_("A ledger entry cannot be zero."), code=LedgerErrorCode.ZERO_AMOUNT)
    if quantize(amount, currency) != amount:
        raise ApplicationError(
            _("%(amount)s has more decimals than %(currency)s allows.") % {"amount": amount, "currency": currency},
            code=LedgerErrorCode.PRECISION,
        )
    return amount


def ledger_post(
    *,
    kind: str,
    lines: Sequence[tuple[Account, Decimal]],
    acting_user: Any = None,
    memo: str = "",
    idempotency_key: str | None = None,
    reverses: EntryGroup | None = None,
) -> EntryGroup:
    """Write one balanced group of entries. With an idempotency key, a second call returns the first group."""
    if idempotency_key:
        existing = EntryGroup.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if not lines:
        raise ApplicationError(_("A ledger movement needs entries."), code=LedgerErrorCode.EMPTY)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for account, amount in lines:
        totals[account.currency] += _checked_amount(amount, account.currency)
    unbalanced = {currency: total for currency, total in totals.items() if total != 0}
    if unbalanced:
        raise ApplicationError(
            _("The movement does not balance: %(totals)s.")
            % {"totals": ", ".join(f"{total} {currency}" for currency, total in sorted(unbalanced.items()))},
            code=LedgerErrorCode.UNBALANCED,
        )
    try:
        with transaction.atomic():  # one savepoint: the group and its entries, or nothing
            group = EntryGroup.objects.create(
                kind=kind,
                memo=memo[:255],
                created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
                idempotency_key=idempotency_key,
                reverses=reverses,
            )
            LedgerEntry.objects.bulk_create(
                [
                    LedgerEntry(group=group, account=account, amount=amount, currency=account.currency)
                    for account, amount in lines
                ]
            )
    except IntegrityError as exc:
        # Another transaction posted the same idempotency key (or reversed the same group) first.
        if idempotency_key:
            return EntryGroup.objects.get(idempotency_key=idempotency_key)
        raise ApplicationError(
            _("This movement has already been reversed."), code=LedgerErrorCode.ALREADY_REVERSED
        ) from exc
    return group


@transaction.atomic
def ledger_reverse(*, group: EntryGroup, reason: str, acting_user: Any = None) -> EntryGroup:
    """Cancel a movement by posting its mirror image; the original stays in the ledger."""
    if EntryGroup.objects.filter(reverses=group).exists():
        raise ApplicationError(_("This movement has already been reversed."), code=LedgerErrorCode.ALREADY_REVERSED)
    lines = [(entry.account, -entry.amount) for entry in group.entries.select_related("account").order_by("id")]
    return ledger_post(kind=f"{group.kind}.reversal", lines=lines, acting_user=acting_user, memo=reason, reverses=group)


@transaction.atomic
def exchange_rate_set(
    *, base: str, quote: str, day: date, rate: Decimal, source: str, acting_user: Any
) -> ExchangeRate:
    """Record (or correct) the rate of a day; audited with the old and new value."""
    base, quote = _currency(base), _currency(quote)
    if base == quote:
        raise ApplicationError(_("A rate needs two different currencies."), code=LedgerErrorCode.RATE_INVALID)
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0 or rate.as_tuple().exponent < -8:  # type: ignore[operator]
        raise ApplicationError(
            _("The rate must be a positive number with at most 8 decimals."), code=LedgerErrorCode.RATE_INVALID
        )
    existing = ExchangeRate.objects.select_for_update().filter(base=base, quote=quote, day=day).first()
    old = existing.rate if existing else None
    if existing is None:
        existing = ExchangeRate.objects.create(
            base=base, quote=quote, day=day, rate=rate, source=source[:120], created_by=acting_user
        )
    elif existing.rate != rate:
        existing.rate, existing.source = rate, source[:120]
        existing.save(update_fields=["rate", "source"])
    if old != rate:
        audit_log(
            actor=acting_user,
            action="finance.exchange_rate.set",
            target=existing,
            changes={"rate": {"old": old, "new": rate}},
        )
    return existing
