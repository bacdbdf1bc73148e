"""Matchfunding: a sponsor's pot matches donations as they are captured.

Opening a pot books the sponsor's commitment (sponsor → pot available). Each captured donation reserves a match
(available → reserved) under the pot's row lock, so the pot never goes below zero however many donations arrive
at once. A refund or a failed campaign releases the match (a reversing group); a successful campaign settles
it (reserved → the campaign's matched funds).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jusoor.campaigns.models import Campaign
from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.money import quantize
from jusoor.donations.error_codes import DonationErrorCode
from jusoor.donations.models import Donation, Match, MatchingPot
from jusoor.donations.selectors import eligible_pots
from jusoor.donations.services import accounts
from jusoor.donations.services.pledge import checked_amount
from jusoor.finance.models import EntryGroup, LedgerEntry
from jusoor.finance.services import ledger_post, ledger_reverse


def pot_available_amount(pot: MatchingPot) -> Decimal:
    total = LedgerEntry.objects.filter(account__key=pot.available_key).aggregate(t=Sum("amount"))["t"]
    return -total if total is not None else Decimal("0")


@transaction.atomic
def matching_pot_open(
    *,
    name: str,
    sponsor_name: str,
    currency: str,
    total: Decimal,
    valid_from: datetime,
    valid_until: datetime,
    acting_user: Any,
    ratio: Decimal = Decimal("1"),
    cap_per_donation: Decimal | None = None,
    cap_per_donor: Decimal | None = None,
    sponsor_organization: Any = None,
    campaigns: list[Campaign] | None = None,
    territories: list[Any] | None = None,
    themes: list[Any] | None = None,
    idempotency_key: str | None = None,
) -> MatchingPot:
    """Open a pot and book the sponsor's commitment. With an idempotency key, a repeated call returns the pot
    the first call opened (the key is the opening group's)."""
    if idempotency_key:
        with connection.cursor() as cursor:  # two calls with the same key at once: the second waits, then finds
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"pot-open:{idempotency_key}"])
        opened = EntryGroup.objects.filter(idempotency_key=f"pot-open:{idempotency_key}").first()
        if opened is not None:
            return MatchingPot.objects.get(opening_group_id=opened.pk)
    total, currency = checked_amount(total, currency)
    caps = [cap for cap in (cap_per_donation, cap_per_donor) if cap is not None]
    if ratio <= 0 or any(cap <= 0 for cap in caps):
        raise ApplicationError(_("Ratio and caps must be greater than zero."), code=DonationErrorCode.POT_INVALID)
    if valid_until <= valid_from:
        raise ApplicationError(_("The pot must end after it starts."), code=DonationErrorCode.POT_INVALID)
    pot = MatchingPot.objects.create(
        name=name,
        sponsor_name=sponsor_name,
        sponsor_organization=sponsor_organization,
        currency=currency,
        total=total,
        ratio=ratio,
        cap_per_donation=cap_per_donation,
        cap_per_donor=cap_per_donor,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=acting_user,
    )
    pot.campaigns.set(campaigns or [])
    pot.territories.set(territories or [])
    pot.themes.set(themes or [])
    group = ledger_post(
        kind="match.pot_opened",
        lines=[(accounts.pot_sponsor(pot.pk, currency), total), (accounts.pot_available(pot.pk, currency), -total)],
        acting_user=acting_user,
        memo=name,
        idempotency_key=f"pot-open:{idempotency_key}" if idempotency_key else f"pot:{pot.pk}:open",
    )
    pot.opening_group_id = group.pk
    pot.save(update_fields=["opening_group_id"])
    audit_log(actor=acting_user, action="donations.matching_pot.opened", target=pot, changes={"total": str(total)})
    return pot


def _donor_matched(pot: MatchingPot, donation: Donation) -> Decimal:
    total = Match.objects.filter(
        pot=pot,
        donation__email__iexact=donation.email,
        status__in=[Match.Status.RESERVED, Match.Status.CAPTURED],
    ).aggregate(t=Sum("amount"))["t"]
    return total or Decimal("0")


def match_reserve(*, donation: Donation) -> Match | None:
    """Inside the capture transaction: reserve a match from the first eligible pot with money left.

    Everything that needs no lock (which pots apply, their ledger accounts) is done before the pot's row lock,
    which is held until the capture commits: every capture on the pot waits for it."""
    campaign = donation.campaign
    pots = list(eligible_pots(campaign).values_list("pk", "currency"))
    if not pots:
        return None
    pot_accounts = {
        pk: (accounts.pot_available(pk, currency), accounts.pot_reserved(pk, currency)) for pk, currency in pots
    }
    for pot in MatchingPot.objects.select_for_update(of=("self",)).filter(pk__in=pot_accounts).order_by("pk"):
        wanted = quantize(donation.campaign_amount * pot.ratio, pot.currency)
        if pot.cap_per_donation is not None:
            wanted = min(wanted, pot.cap_per_donation)
        if pot.cap_per_donor is not None:
            wanted = min(wanted, pot.cap_per_donor - _donor_matched(pot, donation))
        amount = min(wanted, pot_available_amount(pot))
        if amount <= 0:
            continue
        available, reserved = pot_accounts[pot.pk]
        group = ledger_post(
            kind="match.reserved",
            lines=[(available, amount), (reserved, -amount)],
            memo=donation.reference,
            idempotency_key=f"donation:{donation.pk}:match",
        )
        return Match.objects.create(
            pot=pot, donation=donation, campaign_id=donation.campaign_id, amount=amount, reserve_group_id=group.pk
        )
    return None


def match_release(*, match: Match, reason: str, acting_user: Any = None) -> Match:
    """Give a reserved match back to its pot (refund, failed campaign). Caller holds the donation lock."""
    match = Match.objects.select_for_update(of=("self",)).get(pk=match.pk)
    if match.status != Match.Status.RESERVED:
        return match
    MatchingPot.objects.select_for_update(of=("self",)).get(pk=match.pot_id)
    ledger_reverse(group=EntryGroup.objects.get(pk=match.reserve_group_id), reason=reason, acting_user=acting_user)
    match.status = Match.Status.RELEASED
    match.save(update_fields=["status", "updated_at"])
    audit_log(actor=acting_user, action="donations.match.released", target=match, changes={"reason": reason})
    return match


def match_settle(*, match: Match, acting_user: Any = None) -> Match:
    """Pay a reserved match to the campaign (the campaign succeeded)."""
    match = Match.objects.select_for_update(of=("self",)).select_related("pot", "donation").get(pk=match.pk)
    if match.status != Match.Status.RESERVED:
        return match
    pot = match.pot
    group = ledger_post(
        kind="match.captured",
        lines=[
            (accounts.pot_reserved(pot.pk, pot.currency), match.amount),
            (accounts.campaign_matched(match.donation.campaign_id, pot.currency), -match.amount),
        ],
        acting_user=acting_user,
        memo=match.donation.reference,
        idempotency_key=f"match:{match.pk}:settle",
    )
    match.status = Match.Status.CAPTURED
    match.settle_group_id = group.pk
    match.save(update_fields=["status", "settle_group_id", "updated_at"])
    audit_log(actor=acting_user, action="donations.match.captured", target=match, changes={"group": group.pk})
    return match
