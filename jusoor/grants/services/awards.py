"""Awarding seed grants within the programme's range and envelope; the agreement; cancelling.

`grant_award` locks the programme row, reads the consumed envelope from the ledger (`programme:<id>:envelope`,
see `services/ledger.py`) and refuses an amount outside [grant_minimum, grant_maximum] or above what remains:
two managers awarding at once are serialised by the lock, so the envelope is never exceeded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.money import format_money
from jusoor.common.uploads import check_upload, discard_files_on_error
from jusoor.finance.models import EntryGroup
from jusoor.finance.services import ledger_post
from jusoor.grants.error_codes import GrantErrorCode
from jusoor.grants.models import Grant, Pitch
from jusoor.grants.selectors import envelope_consumed, grant_outstanding
from jusoor.grants.services import ledger
from jusoor.grants.services.common import ensure_perm, field_error, invalid_transition, lock_timeout, parse_money
from jusoor.grants.services.notify import notify_grantees
from jusoor.organizations.models import Organization
from jusoor.programmes.models import Programme

MAX_AGREEMENT_BYTES = 10 * 1024 * 1024
PDF_ONLY = frozenset({"application/pdf"})
Status = Grant.Status


def _money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency, (get_language() or "ar")[:2])


def _check_range(programme: Programme, amount: Decimal) -> None:
    low, high = programme.grant_minimum, programme.grant_maximum
    if (low is not None and amount < low) or (high is not None and amount > high):
        raise field_error(
            _("A grant of this programme must be between %(low)s and %(high)s.")
            % {
                "low": _money(low or Decimal("0"), programme.currency),
                "high": _money(high, programme.currency) if high is not None else "—",
            },
            GrantErrorCode.OUTSIDE_RANGE,
            "amount",
        )


def grant_award(
    *,
    programme: Programme,
    organization: Organization,
    amount: Any,
    acting_user: Any,
    pitch: Pitch | None = None,
    conditions: str = "",
) -> Grant:
    """Award a seed grant (status "offered") and commit it on the programme's envelope in the ledger."""
    ensure_perm(acting_user, "grants.award_grant", programme)
    amount = parse_money(amount, programme.currency)
    _check_range(programme, amount)
    if pitch is not None and (pitch.organization_id != organization.pk or pitch.demo_day.programme_id != programme.pk):
        raise field_error(
            _("This pitch is not the organisation's pitch in this programme."), GrantErrorCode.PITCH_INVALID, "pitch"
        )
    envelope_account = ledger.envelope(programme.pk, programme.currency)
    with transaction.atomic(), lock_timeout():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if (
            Grant.objects.filter(programme=programme, organization=organization)
            .exclude(status=Status.CANCELLED)
            .exists()
        ):
            raise field_error(
                _("This organisation already has a grant in this programme."),
                GrantErrorCode.ALREADY_AWARDED,
                "organization",
            )
        remaining = programme.budget_envelope - envelope_consumed(programme)
        if amount > remaining:
            raise field_error(
                _("Only %(remaining)s is left in the programme's envelope.")
                % {"remaining": _money(max(remaining, Decimal("0")), programme.currency)},
                GrantErrorCode.BEYOND_ENVELOPE,
                "amount",
            )
        grant = Grant.objects.create(
            programme=programme,
            organization=organization,
            pitch=pitch,
            amount=amount,
            currency=programme.currency,
            conditions=(conditions or "").strip(),
            awarded_by=acting_user,
        )
        group = ledger_post(
            kind="grant.awarded",
            lines=[(envelope_account, amount), (ledger.committed(grant.pk, grant.currency), -amount)],
            acting_user=acting_user,
            memo=str(organization)[:200],
            idempotency_key=f"grant:{grant.pk}:award",
        )
        grant.award_group_id = group.pk
        grant.save(update_fields=["award_group_id"])
        audit_log(
            actor=acting_user,
            action="grants.grant.awarded",
            target=grant,
            changes={"amount": f"{amount} {grant.currency}", "organization": organization.pk, "group": group.pk},
        )
        notify_grantees(grant=grant, template_prefix="grants/email/grant_awarded", context={})
    return grant


def grant_agreement_sign(
    *, grant: Grant, agreement: UploadedFile | None, acting_user: Any, conditions: str | None = None
) -> Grant:
    """A manager uploads the signed agreement (a PDF, checked by its content; private storage): offered → agreed."""
    ensure_perm(acting_user, "grants.manage_grant", grant)
    if agreement is None:
        raise field_error(_("Attach the signed agreement (PDF)."), GrantErrorCode.AGREEMENT_REQUIRED, "agreement")
    try:
        check_upload(agreement, allowed=PDF_ONLY, max_bytes=MAX_AGREEMENT_BYTES, size=agreement.size or 0)
    except ApplicationError as error:
        message = _("The agreement must be a PDF file.") if error.code == "upload_type" else str(error.message)
        raise field_error(message, GrantErrorCode.AGREEMENT_REQUIRED, "agreement") from error
    with discard_files_on_error() as files, transaction.atomic():
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        if locked.status != Status.OFFERED:
            raise invalid_transition(locked.get_status_display(), Status.AGREED)
        stored = files.save(locked.agreement, f"grant-{locked.pk}-agreement.pdf", agreement)
        locked.agreed_at = timezone.now()
        locked.status = Status.AGREED
        fields = ["agreement", "agreed_at", "status", "updated_at"]
        if conditions is not None:
            locked.conditions = conditions.strip()
            fields.append("conditions")
        locked.save(update_fields=fields)
        audit_log(
            actor=acting_user,
            action="grants.grant.agreed",
            target=locked,
            changes={"status": {"old": Status.OFFERED, "new": Status.AGREED}, "agreement": stored},
        )
    return locked


def grant_cancel(*, grant: Grant, reason: str, acting_user: Any) -> Grant:
    """Cancel a grant: what was neither paid nor put in a matching pot goes back to the envelope. A grant whose
    matching pot is still open is cancelled only after the pot is closed (services/matching.py)."""
    ensure_perm(acting_user, "grants.manage_grant", grant)
    reason = (reason or "").strip()
    if not reason:
        raise field_error(_("Say why the grant is cancelled."), GrantErrorCode.INVALID_TRANSITION, "reason")
    with transaction.atomic(), lock_timeout():
        Programme.objects.select_for_update().get(pk=grant.programme_id)
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        if locked.status == Status.CANCELLED:
            return locked
        if Status.CANCELLED not in Grant.TRANSITIONS[locked.status]:
            raise invalid_transition(locked.get_status_display(), Status.CANCELLED)
        if locked.matching_pot_id and not locked.matching_closed:
            raise ApplicationError(
                _("Close the grant's matching pot before cancelling the grant."), code=GrantErrorCode.MATCHING_INVALID
            )
        remaining = grant_outstanding(locked)
        group: EntryGroup | None = None
        if remaining > 0:
            group = ledger_post(
                kind="grant.cancelled",
                lines=[
                    (ledger.committed(locked.pk, locked.currency), remaining),
                    (ledger.envelope(locked.programme_id, locked.currency), -remaining),
                ],
                acting_user=acting_user,
                memo=reason[:200],
                idempotency_key=f"grant:{locked.pk}:cancel",
            )
        old = locked.status
        locked.status = Status.CANCELLED
        locked.cancel_reason = reason[:300]
        locked.cancel_group_id = group.pk if group else None
        locked.save(update_fields=["status", "cancel_reason", "cancel_group_id", "updated_at"])
        locked.tranches.filter(status__in=["planned", "requested", "refused"]).update(status="refused")
        audit_log(
            actor=acting_user,
            action="grants.grant.cancelled",
            target=locked,
            changes={"status": {"old": old, "new": Status.CANCELLED}, "released": str(remaining), "reason": reason},
        )
        notify_grantees(grant=locked, template_prefix="grants/email/grant_cancelled", context={"reason": reason})
    return locked
