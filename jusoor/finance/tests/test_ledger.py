"""The ledger: balanced groups, exact precision, append-only and balanced as enforced by PostgreSQL itself."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from jusoor.common.exceptions import ApplicationError
from jusoor.finance.models import Account, EntryGroup, LedgerEntry
from jusoor.finance.selectors import account_balance, ledger_problems
from jusoor.finance.services import account_get_or_create, ledger_post, ledger_reverse

D = Decimal


@pytest.fixture
def accounts(db):
    return {
        "clearing": account_get_or_create(key="psp:test:clearing", currency="TND", kind=Account.Kind.ASSET),
        "campaign": account_get_or_create(key="org:1:campaign:1:funds", currency="TND", kind=Account.Kind.LIABILITY),
        "fee": account_get_or_create(key="psp:test:fees", currency="TND", kind=Account.Kind.EXPENSE),
        "eur": account_get_or_create(key="psp:test:clearing", currency="EUR", kind=Account.Kind.ASSET),
    }


def test_a_balanced_movement_is_posted_and_balances_are_derived(accounts):
    ledger_post(
        kind="donation.captured",
        lines=[(accounts["clearing"], D("50.250")), (accounts["campaign"], D("-50.250"))],
    )
    ledger_post(kind="fee", lines=[(accounts["fee"], D("1.005")), (accounts["clearing"], D("-1.005"))])
    assert account_balance(account=accounts["clearing"]) == D("49.245")
    assert account_balance(account=accounts["campaign"]) == D("-50.250")
    assert ledger_problems() == []


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([("clearing", "10.000"), ("campaign", "-9.999")], "unbalanced"),
        ([("clearing", "0"), ("campaign", "0")], "zero_amount"),
        ([("clearing", "10.0005"), ("campaign", "-10.0005")], "too_many_decimals"),
        ([("eur", "10.005"), ("eur", "-10.005")], "too_many_decimals"),
        ([("clearing", "10"), ("eur", "-10")], "unbalanced"),
        ([], "empty_group"),
    ],
)
def test_bad_movements_are_refused_and_nothing_is_written(accounts, lines, code):
    with pytest.raises(ApplicationError) as error:
        ledger_post(kind="x", lines=[(accounts[name], D(amount)) for name, amount in lines])
    assert error.value.code == code
    assert (EntryGroup.objects.count(), LedgerEntry.objects.count()) == (0, 0)


def test_unsupported_currency_is_refused(db):
    with pytest.raises(ApplicationError) as error:
        account_get_or_create(key="x", currency="DZD", kind=Account.Kind.ASSET)
    assert error.value.code == "unsupported_currency"


def test_idempotency_key_returns_the_first_movement(accounts):
    lines = [(accounts["clearing"], D("5")), (accounts["campaign"], D("-5"))]
    first = ledger_post(kind="donation.captured", lines=lines, idempotency_key="stripe:evt_1")
    second = ledger_post(kind="donation.captured", lines=lines, idempotency_key="stripe:evt_1")
    assert first.pk == second.pk
    assert LedgerEntry.objects.count() == 2


def test_reversal_mirrors_the_movement_once(accounts):
    group = ledger_post(
        kind="donation.captured", lines=[(accounts["clearing"], D("7")), (accounts["campaign"], D("-7"))]
    )
    reversal = ledger_reverse(group=group, reason="Refund requested by the donor")
    assert reversal.reverses == group
    assert sorted(reversal.entries.values_list("amount", flat=True)) == [D("-7.000"), D("7.000")]
    assert account_balance(account=accounts["clearing"]) == D("0")
    with pytest.raises(ApplicationError) as error:
        ledger_reverse(group=group, reason="again")
    assert error.value.code == "already_reversed"


def test_the_database_refuses_updates_and_deletes(accounts):
    group = ledger_post(kind="k", lines=[(accounts["clearing"], D("3")), (accounts["campaign"], D("-3"))])
    entry = group.entries.first()
    for statement in (
        ("UPDATE finance_ledgerentry SET amount = 4 WHERE id = %s", [entry.pk]),
        ("DELETE FROM finance_ledgerentry WHERE id = %s", [entry.pk]),
        ("UPDATE finance_entrygroup SET memo = 'x' WHERE id = %s", [group.pk]),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(*statement)
    assert LedgerEntry.objects.get(pk=entry.pk).amount == D("3.000")


@pytest.mark.inconsistent_ledger  # leaves an empty group behind
def test_the_database_refuses_an_entry_in_another_currency_than_its_account(accounts):
    group = EntryGroup.objects.create(kind="raw")
    with pytest.raises(DatabaseError, match="another currency"), transaction.atomic():
        LedgerEntry.objects.create(group=group, account=accounts["clearing"], amount=D("1"), currency="EUR")


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_commit_an_unbalanced_group():
    clearing = account_get_or_create(key="a", currency="MAD", kind=Account.Kind.ASSET)
    funds = account_get_or_create(key="b", currency="MAD", kind=Account.Kind.LIABILITY)
    with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
        group = EntryGroup.objects.create(kind="raw")
        LedgerEntry.objects.create(group=group, account=clearing, amount=D("10"), currency="MAD")
        LedgerEntry.objects.create(group=group, account=funds, amount=D("-9"), currency="MAD")
    assert EntryGroup.objects.count() == 0
    with transaction.atomic():  # the same movement, balanced, commits
        group = EntryGroup.objects.create(kind="raw")
        LedgerEntry.objects.create(group=group, account=clearing, amount=D("10"), currency="MAD")
        LedgerEntry.objects.create(group=group, account=funds, amount=D("-10"), currency="MAD")
    assert LedgerEntry.objects.count() == 2


@pytest.mark.inconsistent_ledger
def test_ledger_check_command(accounts):
    ledger_post(kind="k", lines=[(accounts["clearing"], D("2")), (accounts["campaign"], D("-2"))])
    call_command("ledger_check")
    EntryGroup.objects.create(kind="orphan")
    with pytest.raises(CommandError, match="1 ledger problem"):
        call_command("ledger_check")
