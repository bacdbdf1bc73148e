"""The ledger accounts of seed grants (all in the programme's currency). Keys are stable and readable.

    programme:<id>:envelope   equity     debit balance = what grants have drawn on the programme's envelope
    grant:<id>:committed      liability  credit balance = awarded to the organisation and not paid yet
    grant:<id>:disbursed      asset      credit balance = paid to the organisation (like campaign:<id>:disbursed)

Movements (each one group, balanced in the currency):

* `grant.awarded`          envelope +A, committed −A                 (the award commits the envelope)
* `grant.tranche_released` committed +T, disbursed −T                 (only against an approved report)
* `grant.cancelled`        committed +R, envelope −R                  (R = what was neither paid nor put in a pot:
                                                                       the envelope gets it back)
* `grant.pot_funded`       committed +P, pot:<pot>:sponsor −P         (part of the grant offered as a matching pot)
* `grant.pot_returned`     pot:<pot>:available +U, committed −U       (what the pot did not match, after it closed)

Matching pots: `matching_pot_open` books the sponsor's commitment (`pot:<pot>:sponsor` +P, `pot:<pot>:available`
−P). The grant *is* that sponsor: `grant.pot_funded`, in the same transaction, settles the sponsor account from
the grant's commitment, so the money is counted once — in the envelope (drawn at the award), then in the pot
(available → reserved → `campaign:<id>:matched` as the crowd gives), never in both. Consumed envelope stays the
envelope account's balance whatever the pot does; the part of the grant used as a pot is what it matched.

The consumed envelope is the balance of `programme:<id>:envelope`: the sum of non-cancelled grants plus what was
paid (or matched) on cancelled ones before they were cancelled. Awards and cancellations post to it only under
the programme's row lock, so reading it under that lock is exact.
"""

from __future__ import annotations

from jusoor.finance.models import Account
from jusoor.finance.services import account_get_or_create
from jusoor.grants.models import committed_key, disbursed_key, envelope_key


def envelope(programme_id: int, currency: str) -> Account:
    return account_get_or_create(key=envelope_key(programme_id), currency=currency, kind=Account.Kind.EQUITY)


def committed(grant_id: int, currency: str) -> Account:
    return account_get_or_create(key=committed_key(grant_id), currency=currency, kind=Account.Kind.LIABILITY)


def disbursed(grant_id: int, currency: str) -> Account:
    return account_get_or_create(key=disbursed_key(grant_id), currency=currency, kind=Account.Kind.ASSET)
