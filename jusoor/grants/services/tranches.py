"""The disbursement schedule of a grant, and releasing its tranches against approved reports.

The schedule is a list of (amount, due date) whose amounts add up to the grant less the part offered as a
matching pot (`Grant.scheduled_amount`). It can be replaced while no tranche has been requested or released.
Releasing a tranche (manager) needs the tranche's report approved; it books `grant.tranche_released`
(committed → disbursed, see `services/ledger.py`). The first release makes the grant "active", the last one
"completed".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.money import format_money
from jusoor.finance.services import ledger_post
from jusoor.grants.error_codes import GrantErrorCode
from jusoor.grants.models import Grant, GrantReport, GrantTranche
from jusoor.grants.selectors import grant_outstanding
from jusoor.grants.services import ledger
from jusoor.grants.services.common import ensure_perm, field_error, invalid_transition, lock_timeout, parse_money
from jusoor.grants.services.notify import notify_grantees

TrancheStatus = GrantTranche.Status
SCHEDULABLE = frozenset({Grant.Status.OFFERED, Grant.Status.AGREED, Grant.Status.ACTIVE})


def grant_tranches_set(*, grant: Grant, tranches: Sequence[tuple[Any, date]], acting_user: Any) -> list[GrantTranche]:
    """Replace the schedule. Refused (nothing written) when the amounts do not add up to the grant."""
    ensure_perm(acting_user, "grants.manage_grant", grant)
    if not tranches:
        raise field_error(_("Plan at least one tranche."), GrantErrorCode.SCHEDULE_INVALID, "__all__")
    parsed = [(parse_money(amount, grant.currency), due_on) for amount, due_on in tranches]
    if any(due_on is None for _amount, due_on in parsed):
        raise field_error(_("Give each tranche a due date."), GrantErrorCode.SCHEDULE_INVALID, "__all__")
    with transaction.atomic():
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        if locked.status not in SCHEDULABLE:
            raise invalid_transition(locked.get_status_display(), "schedule")
        total = sum((amount for amount, _due in parsed), Decimal("0"))
        if total != locked.scheduled_amount:
            language = (get_language() or "ar")[:2]
            raise field_error(
                _("The tranches add up to %(total)s but must add up to %(expected)s.")
                % {
                    "total": format_money(total, locked.currency, language),
                    "expected": format_money(locked.scheduled_amount, locked.currency, language),
                },
                GrantErrorCode.SCHEDULE_INVALID,
                "__all__",
            )
        if locked.tranches.exclude(status=TrancheStatus.PLANNED).exists():
            raise ApplicationError(
                _("The schedule cannot change once a tranche has been requested or released."),
                code=GrantErrorCode.SCHEDULE_LOCKED,
            )
        old = [(str(t.amount), t.due_on.isoformat()) for t in locked.tranches.order_by("position")]
        locked.tranches.all().delete()
        created = GrantTranche.objects.bulk_create(
            [
                GrantTranche(grant=locked, position=index, amount=amount, due_on=due_on)
                for index, (amount, due_on) in enumerate(sorted(parsed, key=lambda row: row[1]), start=1)
            ]
        )
        audit_log(
            actor=acting_user,
            action="grants.schedule.set",
            target=locked,
            changes={"tranches": {"old": old, "new": [(str(t.amount), t.due_on.isoformat()) for t in created]}},
        )
    return created


def _lock(tranche: GrantTranche) -> tuple[Grant, GrantTranche]:
    grant = Grant.objects.select_for_update().get(pk=tranche.grant_id)
    locked = GrantTranche.objects.select_for_update(of=("self",)).select_related("report").get(pk=tranche.pk)
    locked.grant = grant
    return grant, locked


def grant_tranche_release(*, tranche: GrantTranche, acting_user: Any) -> GrantTranche:
    """Pay a tranche to the organisation (its report must be approved). Releasing twice changes nothing."""
    ensure_perm(acting_user, "grants.release_tranche", tranche.grant)
    with transaction.atomic(), lock_timeout():
        grant, locked = _lock(tranche)
        if locked.status == TrancheStatus.RELEASED:
            return locked
        if grant.status not in {Grant.Status.AGREED, Grant.Status.ACTIVE}:
            raise ApplicationError(
                _("Tranches are released only once the agreement is signed."), code=GrantErrorCode.AGREEMENT_REQUIRED
            )
        if locked.report is None or locked.report.status != GrantReport.Status.APPROVED:
            raise ApplicationError(
                _("This tranche can be released only against an approved narrative and financial report."),
                code=GrantErrorCode.REPORT_NOT_APPROVED,
            )
        if locked.amount > grant_outstanding(grant):
            raise ApplicationError(
                _("This tranche is larger than what remains committed to the organisation."),
                code=GrantErrorCode.SCHEDULE_INVALID,
            )
        group = ledger_post(
            kind="grant.tranche_released",
            lines=[
                (ledger.committed(grant.pk, grant.currency), locked.amount),
                (ledger.disbursed(grant.pk, grant.currency), -locked.amount),
            ],
            acting_user=acting_user,
            memo=f"{grant.organization_id}/{locked.position}",
            idempotency_key=f"grant-tranche:{locked.pk}:release",
        )
        old = locked.status
        locked.status = TrancheStatus.RELEASED
        locked.release_group_id = group.pk
        locked.decided_by = acting_user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "release_group_id", "decided_by", "decided_at"])
        grant_old = grant.status
        if not grant.tranches.exclude(status=TrancheStatus.RELEASED).exists():
            grant.status = Grant.Status.COMPLETED
        elif grant.status == Grant.Status.AGREED:
            grant.status = Grant.Status.ACTIVE
        if grant.status != grant_old:
            grant.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=acting_user,
            action="grants.tranche.released",
            target=locked,
            changes={
                "status": {"old": old, "new": TrancheStatus.RELEASED},
                "amount": f"{locked.amount} {grant.currency}",
                "group": group.pk,
                "grant_status": {"old": grant_old, "new": grant.status},
            },
        )
        notify_grantees(grant=grant, template_prefix="grants/email/tranche_released", context={"tranche": locked})
    return locked


def grant_tranche_refuse(*, tranche: GrantTranche, comment: str, acting_user: Any) -> GrantTranche:
    """Refuse a requested tranche with a comment; the organisation may submit a new report for it."""
    ensure_perm(acting_user, "grants.release_tranche", tranche.grant)
    comment = (comment or "").strip()
    if not comment:
        raise field_error(_("Say why the tranche is refused."), GrantErrorCode.ALREADY_DECIDED, "comment")
    with transaction.atomic():
        _grant, locked = _lock(tranche)
        if locked.status == TrancheStatus.REFUSED:
            return locked
        if TrancheStatus.REFUSED not in GrantTranche.TRANSITIONS[locked.status]:
            raise invalid_transition(locked.get_status_display(), TrancheStatus.REFUSED)
        old = locked.status
        locked.status = TrancheStatus.REFUSED
        locked.comment = comment
        locked.decided_by = acting_user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "comment", "decided_by", "decided_at"])
        audit_log(
            actor=acting_user,
            action="grants.tranche.refused",
            target=locked,
            changes={"status": {"old": old, "new": TrancheStatus.REFUSED}, "comment": comment},
        )
    return locked
