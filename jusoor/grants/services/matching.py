"""A grant offered as a matching pot for the organisation's crowdfunding campaign.

`grant_offer_as_matching_pot` opens a donations matching pot (ratio 1: one unit of grant for each unit raised
from the crowd) capped at `amount` (the whole outstanding grant by default), restricted to the organisation's
campaign in the grant's currency, sponsored by the programme's operator. In the same transaction it books
`grant.pot_funded` (grant:<id>:committed +P, pot:<pot>:sponsor −P): the pot's opening booked the sponsor's
commitment (sponsor +P, available −P), and the grant settles it at once from what it had committed — the money
leaves the grant's commitment to live in the pot, counted once (see `services/ledger.py`). The tranche schedule
then covers the rest of the grant (`Grant.scheduled_amount`).

What the pot matched reaches the campaign (`campaign:<id>:matched`) and is paid with the campaign's tranches.
`grant_matching_pot_close`, once the pot's period is over and no match is still reserved, gives what it did not
match back to the grant (`grant.pot_returned`: pot available +U, grant committed −U) and lowers
`matching_amount` to what was matched; the manager then plans a tranche for the returned part.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.campaigns.models import Campaign
from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.donations.models import Match, MatchingPot
from jusoor.donations.services import accounts as donation_accounts
from jusoor.donations.services.matching import matching_pot_open, pot_available_amount
from jusoor.finance.services import ledger_post
from jusoor.grants.error_codes import GrantErrorCode
from jusoor.grants.models import Grant
from jusoor.grants.selectors import grant_outstanding
from jusoor.grants.services import ledger
from jusoor.grants.services.common import ensure_perm, field_error, lock_timeout, parse_money

OFFERABLE = frozenset({Grant.Status.OFFERED, Grant.Status.AGREED, Grant.Status.ACTIVE})
MATCHABLE_CAMPAIGNS = frozenset({Campaign.Status.APPROVED, Campaign.Status.LIVE})


def grant_offer_as_matching_pot(
    *, grant: Grant, campaign: Campaign, acting_user: Any, amount: Any = None
) -> MatchingPot:
    """Open a 1:1 matching pot of `amount` (default: all that is still committed) for the campaign."""
    ensure_perm(acting_user, "grants.manage_grant", grant)
    if campaign.organization_id != grant.organization_id or campaign.currency != grant.currency:
        raise field_error(
            _("The campaign must be the organisation's own, in the grant's currency."),
            GrantErrorCode.MATCHING_INVALID,
            "campaign",
        )
    if campaign.status not in MATCHABLE_CAMPAIGNS or campaign.ends_at <= timezone.now():
        raise field_error(
            _("Only an approved or live campaign can be matched."), GrantErrorCode.MATCHING_INVALID, "campaign"
        )
    with transaction.atomic(), lock_timeout():
        locked = Grant.objects.select_for_update(of=("self",)).select_related("programme__operator").get(pk=grant.pk)
        if locked.status not in OFFERABLE or locked.matching_pot_id:
            raise ApplicationError(
                _("This grant cannot be offered as a matching pot (it already has one, or it is closed)."),
                code=GrantErrorCode.MATCHING_INVALID,
            )
        if locked.tranches.exclude(status="planned").exists():
            raise ApplicationError(
                _("Offer the matching pot before any tranche is requested."), code=GrantErrorCode.MATCHING_INVALID
            )
        outstanding = grant_outstanding(locked)
        total = outstanding if amount in (None, "") else parse_money(amount, locked.currency)
        if total <= 0 or total > outstanding:
            raise field_error(
                _("The pot can hold at most what is still committed to the organisation."),
                GrantErrorCode.MATCHING_INVALID,
                "amount",
            )
        pot = matching_pot_open(
            name=_("Seed grant of %(programme)s") % {"programme": locked.programme.title},
            sponsor_name=str(locked.programme.operator),
            sponsor_organization=locked.programme.operator,
            currency=locked.currency,
            total=total,
            valid_from=timezone.now(),
            valid_until=campaign.ends_at,
            acting_user=acting_user,
            campaigns=[campaign],
            idempotency_key=f"grant:{locked.pk}",
        )
        group = ledger_post(
            kind="grant.pot_funded",
            lines=[
                (ledger.committed(locked.pk, locked.currency), total),
                (donation_accounts.pot_sponsor(pot.pk, locked.currency), -total),
            ],
            acting_user=acting_user,
            memo=f"pot {pot.pk}",
            idempotency_key=f"grant:{locked.pk}:pot-funded",
        )
        locked.matching_pot = pot
        locked.matching_amount = total
        locked.save(update_fields=["matching_pot", "matching_amount", "updated_at"])
        locked.tranches.filter(status="planned").delete()  # the schedule must be planned again for the rest
        audit_log(
            actor=acting_user,
            action="grants.grant.matching_pot_opened",
            target=locked,
            changes={"pot": pot.pk, "campaign": campaign.pk, "amount": str(total), "group": group.pk},
        )
    return pot


def grant_matching_pot_close(*, grant: Grant, acting_user: Any) -> Grant:
    """After the pot's period, with no match still reserved: what it did not match goes back to the grant."""
    ensure_perm(acting_user, "grants.manage_grant", grant)
    with transaction.atomic(), lock_timeout():
        locked = Grant.objects.select_for_update().get(pk=grant.pk)
        if locked.matching_pot_id is None:
            raise ApplicationError(_("This grant has no matching pot."), code=GrantErrorCode.MATCHING_INVALID)
        if locked.matching_closed:
            return locked
        pot = MatchingPot.objects.select_for_update(of=("self",)).get(pk=locked.matching_pot_id)
        if pot.valid_until > timezone.now() or pot.matches.filter(status=Match.Status.RESERVED).exists():
            raise ApplicationError(
                _("The pot can be closed once its campaign has ended and every match is settled."),
                code=GrantErrorCode.MATCHING_INVALID,
            )
        unused = pot_available_amount(pot)
        matched = locked.matching_amount - unused
        if unused > 0:
            ledger_post(
                kind="grant.pot_returned",
                lines=[
                    (donation_accounts.pot_available(pot.pk, pot.currency), unused),
                    (ledger.committed(locked.pk, locked.currency), -unused),
                ],
                acting_user=acting_user,
                memo=f"pot {pot.pk}",
                idempotency_key=f"grant:{locked.pk}:pot-returned",
            )
        locked.matching_amount = matched
        locked.matching_closed = True
        locked.save(update_fields=["matching_amount", "matching_closed", "updated_at"])
        audit_log(
            actor=acting_user,
            action="grants.grant.matching_pot_closed",
            target=locked,
            changes={"matched": str(matched), "returned": str(unused), "pot": pot.pk},
        )
    return locked
