"""Bank statements: reading the file, matching lines to bank-transfer pledges, and the review transitions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.donations.models import Donation
from jusoor.donations.services.capture import donations_expire
from jusoor.finance.models import EntryGroup
from jusoor.payments.models import BankStatement, BankStatementLine
from jusoor.payments.services import statements
from jusoor.payments.services.statements import (
    bank_line_ignore,
    bank_line_match,
    bank_line_resolve,
    bank_statement_import,
    find_references,
)
from jusoor.payments.statement_csv import parse_amount, parse_statement
from jusoor.payments.tests.conftest import make_pledge

pytestmark = pytest.mark.django_db

HEADER = ["date", "amount", "currency", "label", "bank_reference"]


def csv_bytes(rows: list[list[str]], *, sep: str = ",", bom: bool = False, header: list[str] | None = None) -> bytes:
    text = "\r\n".join(sep.join(cells) for cells in [header or HEADER, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


@pytest.fixture
def transfer(tnd_campaign) -> Donation:
    """A 50 TND pledge by bank transfer, reference JSR-0K3QD-2M1XA (with a 0 and a 1 to test misreadings)."""
    donation = make_pledge(tnd_campaign, "50", "TND", provider="bank_transfer", expires_in=timedelta(days=14))
    Donation.objects.filter(pk=donation.pk).update(reference="JSR-0K3QD-2M1XA")
    donation.refresh_from_db()
    return donation


def status_of(donation: Donation) -> str:
    donation.refresh_from_db()
    return donation.status


def import_rows(rows, user=None, **kwargs):
    return bank_statement_import(filename="releve.csv", content=csv_bytes(rows, **kwargs), acting_user=user)


def line(bank_reference: str) -> BankStatementLine:
    return BankStatementLine.objects.get(bank_reference=bank_reference)


# --- Reading the file -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "amount"),
    [("50", "50"), ("50,000", "50.000"), ("1 234,50", "1234.50"), ("1.234,50", "1234.50"), ("1,234.50", "1234.50"),
     ("-12.5", "-12.5")],
)  # fmt: skip
def test_amounts_in_both_notations(raw, amount):
    assert parse_amount(raw) == Decimal(amount)


def test_semicolons_decimal_commas_bom_and_french_dates():
    content = csv_bytes([["31/03/2026", "50,000", "tnd", "VIR JSR-0K3QD-2M1XA", "B1"]], sep=";", bom=True)
    [row] = parse_statement(content)
    assert (row.line_number, row.booked_on, row.amount, row.currency, row.label, row.bank_reference) == (
        2, date(2026, 3, 31), Decimal("50.000"), "TND", "VIR JSR-0K3QD-2M1XA", "B1",
    )  # fmt: skip


def test_columns_in_any_order_and_quoted_labels():
    content = csv_bytes(
        [['"B7"', '"Don, pour JSR-0K3QD-2M1XA"', "EUR", "12.50", "2026-03-31"]],
        header=["bank_reference", "label", "currency", "amount", "date"],
    )
    [row] = parse_statement(content)
    assert (row.label, row.amount, row.bank_reference) == ("Don, pour JSR-0K3QD-2M1XA", Decimal("12.50"), "B7")


def test_a_file_with_bad_lines_is_refused_whole_with_every_problem():
    content = csv_bytes([
        ["2026-03-31", "50", "TND", "ok", "B1"],
        ["31-31-2026", "abc", "TN", "bad", ""],
        ["2026-03-31", "1.2345", "TND", "too precise", "B1"],
    ])  # fmt: skip
    with pytest.raises(ApplicationError) as caught:
        bank_statement_import(filename="bad.csv", content=content, acting_user=None)
    assert caught.value.code == "statement_invalid"
    assert str(caught.value.message) == "The statement was not imported: 2 lines have problems."
    assert caught.value.extra["errors"] == [
        "Line 3: the date is not a date (expected 2026-03-31 or 31/03/2026); the amount is not a number; the "
        "currency is not a three-letter code; the bank reference is empty.",
        "Line 4: the amount has more than 3 decimals; the bank reference appears twice in the file.",
    ]
    assert BankStatement.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"date;montant\n", "The header row lacks these columns: amount, currency, label, bank_reference. "
         "Expected: date, amount, currency, label, bank_reference."),
        ("date,amount,currency,label,bank_reference\n2026-03-31,50,TND,Société,B1\n".encode("latin-1"),
         "This file is not a CSV file in UTF-8. Export the statement as CSV (UTF-8)."),
        (b"%PDF-1.7\n\x00\x01binary", "This file is not a CSV file in UTF-8. Export the statement as CSV (UTF-8)."),
        (b"", "The file is empty."),
        (b"date,amount,currency,label,bank_reference\n", "The file has no lines besides the header."),
    ],
)  # fmt: skip
def test_files_that_are_not_statements_are_refused(content, message):
    with pytest.raises(ApplicationError) as caught:
        bank_statement_import(filename="x.csv", content=content, acting_user=None)
    assert (caught.value.code, str(caught.value.message)) == ("statement_invalid", message)
    assert BankStatement.objects.count() == 0


# --- Finding the reference --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "VIR SEPA JSR-0K3QD-2M1XA DON",
        "vir recu jsr-0k3qd-2m1xa",
        "JSR 0K3QD 2M1XA",
        "JSR0K3QD2M1XA",
        "Don jsr - 0k3 qd - 2m1 xa merci",
        "JSR-OK3QD-2MIXA",  # O for 0 and I for 1, as typed by hand
        "JSR-0K3QD-2MLXA",  # L for 1
    ],
)
def test_references_are_found_whatever_the_spacing_case_or_misreading(label, transfer):
    assert find_references(label) == ["JSR-0K3QD-2M1XA"]
    result = import_rows([["2026-03-31", "50.000", "TND", label, "B1"]])
    assert result.counts == {"matched": 1}
    assert status_of(transfer) == "captured"


def test_labels_without_a_reference():
    assert find_references("VIREMENT DE MME BEN SALAH") == []
    assert find_references("JSR-12") == []


# --- Matching ---------------------------------------------------------------------------------------------------


def test_exact_amount_and_currency_captures_the_pledge(transfer, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = import_rows([["2026-03-31", "50,000", "TND", "VIR JSR-0K3QD-2M1XA", "TN-BANK-0001"]], user, sep=";")

    assert result.counts == {"matched": 1}
    matched = line("TN-BANK-0001")
    assert (matched.status, matched.donation_id, matched.line_number) == ("matched", transfer.pk, 2)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.provider_payment_id) == ("captured", "TN-BANK-0001")
    assert EntryGroup.objects.filter(kind="donation.captured").count() == 1
    captured = AuditEvent.objects.get(action="donations.donation.captured")
    assert (captured.changes["source"], captured.actor_id) == ("bank_statement", user.pk)
    imported = AuditEvent.objects.get(action="payments.statement.imported")
    assert imported.changes["lines"] == {"matched": 1}
    assert (imported.actor_id, imported.target_id) == (user.pk, str(result.statement.pk))


def test_an_expired_pledge_is_still_captured_when_the_money_arrives(transfer):
    Donation.objects.filter(pk=transfer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert donations_expire() == 1
    import_rows([["2026-03-31", "50", "TND", "JSR-0K3QD-2M1XA", "B1"]])
    assert status_of(transfer) == "captured"


@pytest.mark.parametrize(("amount", "currency"), [("45.000", "TND"), ("50.000", "EUR"), ("50.001", "TND")])
def test_another_amount_or_currency_is_a_mismatch_and_captures_nothing(transfer, amount, currency):
    result = import_rows([["2026-03-31", amount, currency, "JSR-0K3QD-2M1XA", "B1"]])

    assert result.counts == {"mismatch": 1}
    mismatch = line("B1")
    assert (mismatch.status, mismatch.donation_id) == ("mismatch", transfer.pk)
    assert status_of(transfer) == "pending"
    assert EntryGroup.objects.count() == 0


def test_no_reference_or_an_unknown_one_is_unmatched(transfer):
    result = import_rows([
        ["2026-03-31", "50", "TND", "VIREMENT MME BEN SALAH", "B1"],
        ["2026-03-31", "50", "TND", "JSR-ZZZZZ-ZZZZZ", "B2"],
    ])  # fmt: skip
    assert result.counts == {"unmatched": 2}
    assert [(ln.status, ln.donation_id) for ln in BankStatementLine.objects.order_by("line_number")] == [
        ("unmatched", None),
        ("unmatched", None),
    ]
    assert status_of(transfer) == "pending"


def test_a_card_pledge_reference_in_a_transfer_is_a_mismatch(campaign):
    card = make_pledge(campaign, "25", "EUR", provider="testpay")
    import_rows([["2026-03-31", "25", "EUR", card.reference, "B1"]])
    assert line("B1").status == "mismatch"
    assert status_of(card) == "pending"


def test_a_second_payment_for_a_paid_pledge_is_a_duplicate(transfer):
    result = import_rows([
        ["2026-03-31", "50", "TND", "JSR-0K3QD-2M1XA", "B1"],
        ["2026-04-01", "50", "TND", "JSR-0K3QD-2M1XA encore", "B2"],
    ])  # fmt: skip
    assert result.counts == {"matched": 1, "duplicate": 1}
    assert (line("B1").status, line("B2").status) == ("matched", "duplicate")
    assert EntryGroup.objects.filter(kind="donation.captured").count() == 1


def test_the_same_file_twice_is_refused(transfer):
    rows = [["2026-03-31", "50", "TND", "JSR-0K3QD-2M1XA", "B1"]]
    import_rows(rows)
    with pytest.raises(ApplicationError) as caught:
        import_rows(rows)
    assert (caught.value.code, str(caught.value.message)) == (
        "statement_duplicate",
        "This file was already imported. Each statement file is imported once.",
    )
    assert (BankStatement.objects.count(), BankStatementLine.objects.count()) == (1, 1)


def test_each_bank_reference_is_booked_once_across_statements(transfer):
    import_rows([["2026-03-31", "50", "TND", "JSR-0K3QD-2M1XA", "B1"]])
    second = import_rows([
        ["2026-03-31", "50", "TND", "JSR-0K3QD-2M1XA", "B1"],
        ["2026-04-01", "70", "TND", "other", "B2"],
    ])  # fmt: skip
    assert second.counts == {"skipped": 1, "unmatched": 1}
    assert second.statement.skipped_lines == 1
    assert BankStatementLine.objects.filter(bank_reference="B1").count() == 1
    assert EntryGroup.objects.filter(kind="donation.captured").count() == 1


def test_debits_are_skipped(transfer):
    result = import_rows([["2026-03-31", "-12,000", "TND", "FRAIS BANCAIRES", "B1"]], sep=";")
    assert result.counts == {"skipped": 1}
    assert BankStatementLine.objects.count() == 0


def test_a_failing_line_does_not_lose_the_others(tnd_campaign, transfer, monkeypatch):
    other = make_pledge(tnd_campaign, "70", "TND", provider="bank_transfer", expires_in=timedelta(days=14))
    real_capture = statements.donation_capture

    def capture(**kwargs):
        if kwargs["donation_id"] == transfer.pk:
            raise RuntimeError("the database went away for this line")
        return real_capture(**kwargs)

    monkeypatch.setattr(statements, "donation_capture", capture)
    result = import_rows([
        ["2026-03-31", "50", "TND", "JSR-0K3QD-2M1XA", "B1"],
        ["2026-03-31", "70", "TND", other.reference, "B2"],
    ])  # fmt: skip

    assert result.counts == {"unmatched": 1, "matched": 1}
    failed = line("B1")
    assert (failed.status, failed.donation_id) == ("unmatched", transfer.pk)  # kept for review, with its pledge
    assert (status_of(transfer), status_of(other)) == ("pending", "captured")


# --- Review -----------------------------------------------------------------------------------------------------


def test_matching_an_unmatched_line_to_a_pledge_of_its_amount_captures(transfer, user):
    import_rows([["2026-03-31", "50", "TND", "VIREMENT MME BEN SALAH", "B1"]])

    matched = bank_line_match(line_id=line("B1").pk, reference="jsr 0k3qd 2m1xa", acting_user=user, note="Called her")

    assert (matched.status, matched.donation_id, matched.note, matched.resolved_by_id) == (
        "matched", transfer.pk, "Called her", user.pk,
    )  # fmt: skip
    assert status_of(transfer) == "captured"
    audit = AuditEvent.objects.get(action="payments.statement_line.matched")
    assert audit.changes == {
        "status": {"old": "unmatched", "new": "matched"},
        "note": "Called her",
        "donation": transfer.reference,
    }


def test_a_mismatch_can_never_capture_another_amount(transfer, user):
    import_rows([["2026-03-31", "45", "TND", "JSR-0K3QD-2M1XA", "B1"]])

    with pytest.raises(ApplicationError) as caught:
        bank_line_match(line_id=line("B1").pk, reference="", acting_user=user)

    assert caught.value.code == "line_amount_differs"
    assert str(caught.value.message) == (
        "Pledge JSR-0K3QD-2M1XA is for TND50.000 but this line is TND45.000. A different amount is never booked: "
        "resolve the line by hand instead."
    )
    assert (line("B1").status, status_of(transfer)) == ("mismatch", "pending")
    assert EntryGroup.objects.count() == 0


def test_matching_an_unknown_reference_is_refused(transfer, user):
    import_rows([["2026-03-31", "50", "TND", "nothing", "B1"]])
    with pytest.raises(ApplicationError) as caught:
        bank_line_match(line_id=line("B1").pk, reference="JSR-ZZZZZ-ZZZZZ", acting_user=user)
    assert caught.value.code == "line_no_pledge"


def test_resolving_by_hand_needs_a_note_and_books_nothing(transfer, user):
    import_rows([["2026-03-31", "45", "TND", "JSR-0K3QD-2M1XA", "B1"]])
    with pytest.raises(ApplicationError) as caught:
        bank_line_resolve(line_id=line("B1").pk, note="  ", acting_user=user)
    assert caught.value.code == "note_required"

    resolved = bank_line_resolve(line_id=line("B1").pk, note="45 TND sent back to the donor", acting_user=user)

    assert (resolved.status, resolved.note) == ("resolved", "45 TND sent back to the donor")
    assert status_of(transfer) == "pending"
    assert AuditEvent.objects.filter(action="payments.statement_line.resolved").count() == 1


def test_ignoring_a_line_and_settled_lines_are_final(transfer, user):
    import_rows([["2026-03-31", "9", "TND", "INTERETS", "B1"]])
    ignored = bank_line_ignore(line_id=line("B1").pk, acting_user=user)
    assert ignored.status == "ignored"

    with pytest.raises(ApplicationError) as caught:
        bank_line_resolve(line_id=ignored.pk, note="changed my mind", acting_user=user)
    assert (caught.value.code, str(caught.value.message)) == ("line_final", "This line is already settled (Ignored).")
    assert line("B1").status == "ignored"
