"""Disbursement: the association receives a succeeded campaign's money in tranches, each against proof of spending.

An organisation administrator requests a tranche (`tranche_request`); a finance officer approves it, which pays it
out in the ledger (`tranche_approve`), or refuses it with a comment (`tranche_refuse`). The organisation's owners
and administrators get a mail, each in their language, when a tranche is decided.

Money (all in the campaign's currency)
--------------------------------------
* What a campaign holds is the balance of two liability accounts: `campaign:<id>:funds` (donations received, net
  of refunds and fees) and `campaign:<id>:matched` (sponsors' matches paid in when the campaign succeeded).
* Available for a new request = funds + matched − tranches requested and not yet decided. Approved tranches have
  already left those balances; refused ones never counted.
* Approving books one group, kind `tranche.disbursed`:

      campaign:<id>:matched     +m      matched money first,
      campaign:<id>:funds       +f      then the donors' money (m + f = the tranche),
      campaign:<id>:disbursed   −(m+f)  what the association has been paid.

  Matched money goes first because a sponsor's settled match is final, while donors' money can still come back
  (a late refund or card chargeback is booked against the funds account): keeping the donors' money for the last
  tranches keeps the funds account from going below zero for as long as possible.
* The first approved tranche moves the campaign from "succeeded" to "disbursed" (campaign row locked; audited).

Exchange differences
--------------------
A donation in another currency than the campaign's goes through the platform's currency-trading accounts at the
pledge's rate (see `capture.capture_lines`): e.g. 100 EUR for a TND campaign at 3.35 books
`platform:fx:position` EUR −100 and TND +335: the platform holds euros and owes dinars. The bank later converts at
its own (realised) rate. `fx_settle` books such a conversion, balanced in each currency:

    currency_from:  platform:fx:position   +amount_from          the open position shrinks,
                    platform:treasury      −amount_from          the money left the account in that currency;
    currency_to:    platform:treasury      +amount_to_realised   what the bank paid,
                    platform:fx:position   −booked               the value the donations were booked at,
                    platform:fx:gain_loss  booked − realised     a gain is a credit, a loss a debit.

`booked` is given by the caller when it knows it (a tranche knows what its share of foreign donations was booked
at), otherwise it is the open position's average rate (position in `currency_to` ÷ position in `currency_from`).
`platform:treasury` stands for the platform's bank accounts; payouts from payment providers into them are not
booked yet, so its balance in the source currency may be negative until they are.

When `tranche_approve` gets a realised rate, the tranche's share of each foreign currency (in proportion to what
the campaign received in it, after refunds, against everything it received including matches) is settled with
`fx_settle` in the same transaction. Without a rate, positions stay open and finance settles them later.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jusoor.campaigns.models import Campaign, Tranche
from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError, PermissionDeniedError
from jusoor.common.mail import mail_queue
from jusoor.common.money import format_money, quantize
from jusoor.common.uploads import DOCUMENT_TYPES, check_upload, discard_files_on_error
from jusoor.donations.reports import TRANCHE_DISBURSED_KIND, campaign_currency_mix, campaign_money
from jusoor.donations.services import accounts
from jusoor.donations.services.pledge import parse_amount
from jusoor.finance.models import SUPPORTED_CURRENCIES, Account, EntryGroup
from jusoor.finance.selectors import account_balance
from jusoor.finance.services import account_get_or_create, ledger_post
from jusoor.organizations.models import Membership, MembershipRole

TREASURY = "platform:treasury"
MAX_PROOF_BYTES = 10 * 1024 * 1024
DISBURSABLE_STATUSES = frozenset({Campaign.Status.SUCCEEDED, Campaign.Status.DISBURSED})
FX_SETTLED_KIND = "fx.settled"


class DisbursementErrorCode(StrEnum):
    NOT_DISBURSABLE = "campaign_not_disbursable"
    AMOUNT_TOO_LARGE = "tranche_amount_too_large"
    DESCRIPTION_REQUIRED = "tranche_description_required"
    PROOF_REQUIRED = "tranche_proof_required"
    ALREADY_DECIDED = "tranche_already_decided"
    COMMENT_REQUIRED = "tranche_comment_required"
    RATE_INVALID = "realised_rate_invalid"
    FX_INVALID = "fx_settlement_invalid"


def treasury(currency: str) -> Account:
    """The platform's bank accounts, in one currency."""
    return account_get_or_create(key=TREASURY, currency=currency, kind=Account.Kind.ASSET)


def _ensure_perm(user: Any, permission: str, obj: Any = None) -> None:
    if user is None or not user.has_perm(permission, obj):
        raise PermissionDeniedError(_("You are not allowed to do this."))


def _lock_campaign(campaign_id: int) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).select_related("organization").get(pk=campaign_id)


def _too_large(campaign: Campaign, available: Decimal) -> ApplicationError:
    message = _("At most %(available)s can be requested now.") % {
        "available": format_money(max(available, Decimal("0")), campaign.currency, _language())
    }
    return ApplicationError(
        message, code=DisbursementErrorCode.AMOUNT_TOO_LARGE, extra={"fields": {"amount": [message]}}
    )


def _language() -> str:
    return (get_language() or "ar")[:2]


# --- Request ------------------------------------------------------------------------------------------------
def tranche_request(
    *, campaign: Campaign, amount: Any, description: str, proof: UploadedFile | None, acting_user: Any
) -> Tranche:
    """An organisation administrator asks for `amount` (campaign currency) of a succeeded or disbursed campaign,
    saying what it pays for, with a proof of spending (PDF or image, checked by its content, kept in private
    storage). Refused when more than what is available (see the module docstring)."""
    _ensure_perm(acting_user, "donations.request_tranche", campaign)
    amount, _currency = parse_amount(amount, campaign.currency)
    description = (description or "").strip()
    if not description:
        message = _("Say what this tranche pays for.")
        raise ApplicationError(
            message, code=DisbursementErrorCode.DESCRIPTION_REQUIRED, extra={"fields": {"description": [message]}}
        )
    if proof is None:
        message = _("Attach a proof of spending (an invoice, a quote or a contract).")
        raise ApplicationError(
            message, code=DisbursementErrorCode.PROOF_REQUIRED, extra={"fields": {"proof": [message]}}
        )
    sniffed = check_upload(proof, allowed=DOCUMENT_TYPES, max_bytes=MAX_PROOF_BYTES, size=proof.size or 0)
    with discard_files_on_error() as files, transaction.atomic(), accounts.money_lock_timeout():
        campaign = _lock_campaign(campaign.pk)
        if campaign.status not in DISBURSABLE_STATUSES:
            raise ApplicationError(
                _("Money can be requested only once the campaign has succeeded."),
                code=DisbursementErrorCode.NOT_DISBURSABLE,
            )
        available = campaign_money(campaign).available
        if amount > available:
            raise _too_large(campaign, available)
        tranche = Tranche(campaign=campaign, amount=amount, description=description[:300], requested_by=acting_user)
        # The stored name is ours (a random token and the sniffed type's extension), never the uploaded name.
        stored = files.save(tranche.proof, f"tranche-{campaign.pk}-{secrets.token_hex(8)}.{sniffed.extension}", proof)
        tranche.save()
        audit_log(
            actor=acting_user,
            action="donations.tranche.requested",
            target=tranche,
            changes={"amount": {"old": None, "new": f"{amount} {campaign.currency}"}, "proof": stored},
        )
    return tranche


# --- Decisions ----------------------------------------------------------------------------------------------
def _lock_tranche(tranche_id: int) -> Tranche:
    return Tranche.objects.select_for_update(of=("self",)).get(pk=tranche_id)


def _ensure_requested(tranche: Tranche) -> None:
    if tranche.status != Tranche.Status.REQUESTED:
        raise ApplicationError(_("This tranche has already been decided."), code=DisbursementErrorCode.ALREADY_DECIDED)


def _realised_rates(realised_rate: Decimal | Mapping[str, Decimal] | None, currencies: list[str]) -> dict[str, Decimal]:
    if realised_rate is None or not currencies:
        return {}
    if isinstance(realised_rate, Mapping):
        rates = {str(currency).upper(): rate for currency, rate in realised_rate.items() if rate is not None}
    elif len(currencies) == 1:
        rates = {currencies[0]: realised_rate}
    else:
        raise ApplicationError(
            _("This campaign received several currencies: give the realised rate of each (%(currencies)s).")
            % {"currencies": ", ".join(currencies)},
            code=DisbursementErrorCode.RATE_INVALID,
        )
    for currency, rate in rates.items():
        if currency not in currencies or not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
            raise ApplicationError(
                _("The realised rate must be a positive number, for a currency this campaign received."),
                code=DisbursementErrorCode.RATE_INVALID,
            )
    return rates


def _settle_tranche_fx(
    *, campaign: Campaign, amount: Decimal, rates: dict[str, Decimal], acting_user: Any, memo: str
) -> list[EntryGroup]:
    """Settle the tranche's share of each foreign currency the campaign received, at the realised rates."""
    if not rates:
        return []
    mix = campaign_currency_mix(campaign)
    money = campaign_money(campaign)
    received = money.funds + money.matched + money.disbursed  # everything the campaign got, before this tranche
    groups = []
    for part in mix:
        rate = rates.get(part.currency)
        if rate is None or received <= 0:
            continue
        amount_from = quantize(part.amount * amount / received, part.currency)
        booked = quantize(part.campaign_amount * amount / received, campaign.currency)
        # Never more than the platform's open position in that currency (finance may have settled some already).
        held = -account_balance(account=accounts.fx_position(part.currency))
        if amount_from > held:
            booked = quantize(booked * held / amount_from, campaign.currency) if amount_from else booked
            amount_from = held
        realised = quantize(amount_from * rate, campaign.currency)
        if amount_from <= 0 or booked <= 0 or realised <= 0:
            continue
        groups.append(
            _fx_post(
                currency_from=part.currency,
                currency_to=campaign.currency,
                amount_from=amount_from,
                amount_to_realised=realised,
                booked=booked,
                acting_user=acting_user,
                memo=memo,
            )
        )
    return groups


def tranche_approve(
    *, tranche: Tranche, acting_user: Any, realised_rate: Decimal | Mapping[str, Decimal] | None = None
) -> Tranche:
    """A finance officer approves a requested tranche: it is paid out in the ledger (matched money first, then
    donors' money), the campaign becomes "disbursed" after its first tranche, the organisation's administrators
    are told. `realised_rate` (1 unit of the donors' currency = rate units of the campaign's; a mapping per
    currency when the campaign received several) settles the tranche's share of foreign money at that rate.
    Approving an approved tranche again changes nothing."""
    _ensure_perm(acting_user, "donations.decide_tranche", tranche)
    with transaction.atomic(), accounts.money_lock_timeout():
        campaign = _lock_campaign(tranche.campaign_id)
        tranche = _lock_tranche(tranche.pk)
        tranche.campaign = campaign
        if tranche.status == Tranche.Status.APPROVED:
            return tranche
        _ensure_requested(tranche)
        if campaign.status not in DISBURSABLE_STATUSES:
            raise ApplicationError(
                _("Money can be paid out only once the campaign has succeeded."),
                code=DisbursementErrorCode.NOT_DISBURSABLE,
            )
        money = campaign_money(campaign)
        held = money.funds + money.matched
        if tranche.amount > held:  # refunds since the request may have left less than asked
            raise _too_large(campaign, held)
        rates = _realised_rates(realised_rate, [part.currency for part in campaign_currency_mix(campaign)])
        fx_groups = _settle_tranche_fx(
            campaign=campaign, amount=tranche.amount, rates=rates, acting_user=acting_user, memo=f"tranche {tranche.pk}"
        )
        from_matched = min(tranche.amount, max(money.matched, Decimal("0")))
        from_funds = tranche.amount - from_matched
        lines = [
            (accounts.campaign_matched(campaign.pk, campaign.currency), from_matched),
            (accounts.campaign_funds(campaign.pk, campaign.currency), from_funds),
            (accounts.campaign_disbursed(campaign.pk, campaign.currency), -tranche.amount),
        ]
        group = ledger_post(
            kind=TRANCHE_DISBURSED_KIND,
            lines=[line for line in lines if line[1] != 0],
            acting_user=acting_user,
            memo=f"tranche {tranche.pk}: {tranche.description}"[:255],
            idempotency_key=f"tranche:{tranche.pk}:disbursed",
        )
        tranche.status = Tranche.Status.APPROVED
        tranche.decided_by = acting_user
        tranche.decided_at = timezone.now()
        tranche.ledger_group_id = group.pk
        tranche.save(update_fields=["status", "decided_by", "decided_at", "ledger_group_id", "updated_at"])
        audit_log(
            actor=acting_user,
            action="donations.tranche.approved",
            target=tranche,
            changes={
                "status": {"old": Tranche.Status.REQUESTED, "new": tranche.status},
                "ledger_group": group.pk,
                "from_matched": str(from_matched),
                "from_funds": str(from_funds),
                "fx_groups": [fx.pk for fx in fx_groups],
                "realised_rates": {currency: str(rate) for currency, rate in rates.items()},
            },
        )
        if campaign.status == Campaign.Status.SUCCEEDED:
            campaign.status = Campaign.Status.DISBURSED
            campaign.status_changed_at = tranche.decided_at
            campaign.save(update_fields=["status", "status_changed_at", "updated_at"])
            audit_log(
                actor=acting_user,
                action="campaigns.campaign.disbursed",
                target=campaign,
                changes={"status": {"old": Campaign.Status.SUCCEEDED, "new": campaign.status}, "tranche": tranche.pk},
            )
        _notify(tranche, campaign)
        return tranche


def tranche_refuse(*, tranche: Tranche, comment: str, acting_user: Any) -> Tranche:
    """A finance officer refuses a requested tranche, saying why; its amount is available again. Nothing moves
    in the ledger. Refusing a refused tranche again changes nothing."""
    _ensure_perm(acting_user, "donations.decide_tranche", tranche)
    comment = (comment or "").strip()
    if not comment:
        message = _("Say why the tranche is refused.")
        raise ApplicationError(
            message, code=DisbursementErrorCode.COMMENT_REQUIRED, extra={"fields": {"comment": [message]}}
        )
    with transaction.atomic():
        campaign = _lock_campaign(tranche.campaign_id)
        tranche = _lock_tranche(tranche.pk)
        tranche.campaign = campaign
        if tranche.status == Tranche.Status.REFUSED:
            return tranche
        _ensure_requested(tranche)
        tranche.status = Tranche.Status.REFUSED
        tranche.decided_by = acting_user
        tranche.decided_at = timezone.now()
        tranche.decision_comment = comment
        tranche.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"])
        audit_log(
            actor=acting_user,
            action="donations.tranche.refused",
            target=tranche,
            changes={"status": {"old": Tranche.Status.REQUESTED, "new": tranche.status}, "comment": comment},
        )
        _notify(tranche, campaign)
        return tranche


def _notify(tranche: Tranche, campaign: Campaign) -> None:
    """Mail the organisation's owners and administrators, each in their language, after commit."""
    admins = (
        Membership.objects.filter(
            organization_id=campaign.organization_id,
            role__in=[MembershipRole.OWNER, MembershipRole.ADMIN],
            user__is_active=True,
        )
        .select_related("user")
        .order_by("id")
    )
    for membership in admins:
        user = membership.user
        mail_queue(
            template_prefix="donations/email/tranche_decided",
            to=user.email,
            language=user.preferred_language,
            context={
                "tranche": tranche,
                "campaign": campaign,
                "organization": campaign.organization,
                "approved": tranche.status == Tranche.Status.APPROVED,
                "amount": format_money(tranche.amount, campaign.currency, user.preferred_language),
            },
        )


# --- Exchange differences -----------------------------------------------------------------------------------
def _fx_post(
    *,
    currency_from: str,
    currency_to: str,
    amount_from: Decimal,
    amount_to_realised: Decimal,
    booked: Decimal,
    acting_user: Any,
    memo: str,
) -> EntryGroup:
    difference = booked - amount_to_realised
    lines = [
        (accounts.fx_position(currency_from), amount_from),
        (treasury(currency_from), -amount_from),
        (treasury(currency_to), amount_to_realised),
        (accounts.fx_position(currency_to), -booked),
        (accounts.fx_gain_loss(currency_to), difference),
    ]
    return ledger_post(
        kind=FX_SETTLED_KIND,
        lines=[line for line in lines if line[1] != 0],
        acting_user=acting_user,
        memo=memo or f"{amount_from} {currency_from} → {amount_to_realised} {currency_to}",
    )


def _fx_error(message: str) -> ApplicationError:
    return ApplicationError(message, code=DisbursementErrorCode.FX_INVALID)


def fx_settle(
    *,
    currency_from: str,
    currency_to: str,
    amount_from: Decimal,
    amount_to_realised: Decimal,
    acting_user: Any,
    amount_to_booked: Decimal | None = None,
    memo: str = "",
) -> EntryGroup:
    """Book a conversion the bank made: `amount_from` of `currency_from` sold for `amount_to_realised` of
    `currency_to`; the difference against the value booked at the donations' rates goes to
    `platform:fx:gain_loss` (see the module docstring). Finance officers only."""
    _ensure_perm(acting_user, "donations.settle_fx")
    currency_from, currency_to = currency_from.upper(), currency_to.upper()
    if currency_from == currency_to or not {currency_from, currency_to} <= set(SUPPORTED_CURRENCIES):
        raise _fx_error(_("A conversion needs two different supported currencies."))
    for amount, currency in ((amount_from, currency_from), (amount_to_realised, currency_to)):
        if (
            not isinstance(amount, Decimal)
            or not amount.is_finite()
            or amount <= 0
            or quantize(amount, currency) != amount
        ):
            raise _fx_error(_("Amounts must be positive, with the currency's number of decimals."))
    with transaction.atomic(), accounts.money_lock_timeout():
        position_from = account_balance(account=accounts.fx_position(currency_from))
        position_to = account_balance(account=accounts.fx_position(currency_to))
        if amount_from > -position_from:
            raise _fx_error(
                _("The platform holds only %(held)s from donations to convert.")
                % {"held": format_money(max(-position_from, Decimal("0")), currency_from, _language())}
            )
        if amount_to_booked is None:
            if position_to <= 0:
                raise _fx_error(_("No donation is waiting to be converted into this currency."))
            amount_to_booked = quantize(amount_from * position_to / -position_from, currency_to)
        if amount_to_booked <= 0 or quantize(amount_to_booked, currency_to) != amount_to_booked:
            raise _fx_error(_("Amounts must be positive, with the currency's number of decimals."))
        group = _fx_post(
            currency_from=currency_from,
            currency_to=currency_to,
            amount_from=amount_from,
            amount_to_realised=amount_to_realised,
            booked=amount_to_booked,
            acting_user=acting_user,
            memo=memo,
        )
        audit_log(
            actor=acting_user,
            action="donations.fx.settled",
            target=group,
            changes={
                "from": f"{amount_from} {currency_from}",
                "realised": f"{amount_to_realised} {currency_to}",
                "booked": f"{amount_to_booked} {currency_to}",
            },
        )
        return group
