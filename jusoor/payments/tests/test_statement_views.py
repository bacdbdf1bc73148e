"""Bank statement pages: who may see them (2FA for finance roles), upload, review with and without htmx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile

from jusoor.accounts.models import Role
from jusoor.accounts.tests.factories import RoleGrantFactory, UserFactory
from jusoor.donations.models import Donation
from jusoor.payments.models import BankStatement, BankStatementLine
from jusoor.payments.services.statements import bank_statement_import
from jusoor.payments.tests.conftest import make_pledge

pytestmark = pytest.mark.django_db

LIST_URL = "/en/payments/statements/"
REVIEW_URL = "/en/payments/statements/review/"
CSV = (
    b"date;amount;currency;label;bank_reference\r\n"
    b"2026-03-31;50,000;TND;VIR JSR-0K3QD-2M1XA;B1\r\n"
    b"2026-03-31;45,000;TND;VIR JSR-0K3QD-2M1XA bis;B2\r\n"
    b"2026-04-01;12,000;TND;MME BEN SALAH;B3\r\n"
)


@pytest.fixture
def transfer(tnd_campaign) -> Donation:
    donation = make_pledge(tnd_campaign, "50", "TND", provider="bank_transfer", expires_in=timedelta(days=14))
    Donation.objects.filter(pk=donation.pk).update(reference="JSR-0K3QD-2M1XA")
    donation.refresh_from_db()
    return donation


@pytest.fixture
def statement(transfer):
    return bank_statement_import(filename="mars.csv", content=CSV.replace(b"B1", b"B0"), acting_user=None).statement


def with_role(role: Role | None, *, two_factor: bool = True):
    user = RoleGrantFactory(role=role).user if role else UserFactory()
    if two_factor:
        TOTP.activate(user, generate_totp_secret())
    return user


def upload(client, content=CSV, name="mars.csv"):
    return client.post(LIST_URL, {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")})


# --- Permissions ------------------------------------------------------------------------------------------------


def pages(statement):
    line = statement.lines.get(bank_reference="B3")
    return [
        ("get", LIST_URL),
        ("get", REVIEW_URL),
        ("get", f"/en/payments/statements/{statement.pk}/"),
        ("post", f"/en/payments/statements/lines/{line.pk}/"),
    ]


def call(client, method, url):
    return client.post(url, {"action": "ignore"}) if method == "post" else client.get(url)


def test_anonymous_visitors_are_sent_to_the_login_page(client, statement):
    for method, url in pages(statement):
        response = call(client, method, url)
        assert (response.status_code, response["Location"]) == (302, f"/en/accounts/login/?next={url}")
    assert statement.lines.get(bank_reference="B3").status == "unmatched"


@pytest.mark.parametrize("role", [None, Role.DONOR, Role.REVIEWER, Role.PROGRAMME_MANAGER])
def test_other_users_are_refused_and_nothing_changes(client, statement, role):
    client.force_login(with_role(role))
    for method, url in pages(statement):
        assert call(client, method, url).status_code == 403
    assert upload(client, CSV.replace(b"B", b"C")).status_code == 403
    assert statement.lines.get(bank_reference="B3").status == "unmatched"
    assert BankStatement.objects.count() == 1


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.PLATFORM_ADMIN])
def test_finance_roles_must_set_up_two_factor_authentication_first(client, statement, role):
    client.force_login(with_role(role, two_factor=False))
    for method, url in pages(statement):
        response = call(client, method, url)
        assert (response.status_code, response["Location"]) == (302, "/en/accounts/2fa/totp/activate/")
    assert statement.lines.get(bank_reference="B3").status == "unmatched"


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.PLATFORM_ADMIN])
def test_finance_roles_with_two_factor_authentication_may_use_the_pages(client, statement, role):
    client.force_login(with_role(role))
    for method, url in pages(statement)[:3]:
        assert call(client, method, url).status_code == 200
    _method, line_url = pages(statement)[3]
    assert client.post(line_url, {"action": "ignore"}).status_code == 302
    assert statement.lines.get(bank_reference="B3").status == "ignored"


def test_a_superuser_is_a_platform_admin(client, statement):
    admin = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    assert client.get(LIST_URL).status_code == 200


# --- Upload and review ------------------------------------------------------------------------------------------


@pytest.fixture
def finance(client):
    officer = with_role(Role.FINANCE_OFFICER)
    client.force_login(officer)
    return officer


def test_upload_imports_matches_and_shows_the_statement(client, finance, transfer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)

    statement = BankStatement.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/en/payments/statements/{statement.pk}/")
    assert statement.uploaded_by == finance
    page = client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "Statement imported. Donations confirmed: 1. Lines to review: 2. Lines skipped: 0." in content
    assert [(ln.bank_reference, ln.status) for ln in statement.lines.all()] == [
        ("B1", "matched"),
        ("B2", "duplicate"),
        ("B3", "unmatched"),
    ]
    transfer.refresh_from_db()
    assert transfer.status == "captured"


def test_uploading_the_same_file_again_is_refused_on_the_page(client, finance, transfer):
    upload(client)
    response = upload(client, name="copy.csv")
    assert response.status_code == 400
    assert "This file was already imported. Each statement file is imported once." in response.content.decode()
    assert BankStatement.objects.count() == 1


def test_a_bad_file_lists_its_problems(client, finance):
    response = upload(client, b"date,amount,currency,label,bank_reference\n2026-13-45,x,EUR,a,B1\n")
    assert response.status_code == 400
    content = response.content.decode()
    assert "The statement was not imported: 1 line has a problem." in content
    assert "Line 2: the date is not a date" in content
    assert BankStatement.objects.count() == 0


def test_review_page_lists_the_lines_left_over(client, finance, statement):
    response = client.get(REVIEW_URL)
    assert response.status_code == 200
    assert [ln.bank_reference for ln in response.context["lines"]] == ["B2", "B3"]  # B0 matched, hence gone


def test_review_action_with_htmx_swaps_the_row(client, finance, tnd_campaign, statement):
    other = make_pledge(tnd_campaign, "12", "TND", provider="bank_transfer", expires_in=timedelta(days=14))
    line = statement.lines.get(bank_reference="B3")

    response = client.post(
        f"/en/payments/statements/lines/{line.pk}/",
        {"action": "match", "reference": other.reference, "note": "", "next": REVIEW_URL},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates if t.name.startswith("payments/")] == ["payments/_line_row.html"]
    assert f'id="line-{line.pk}"' in response.content.decode()
    line.refresh_from_db()
    other.refresh_from_db()
    assert (line.status, line.donation_id, other.status) == ("matched", other.pk, "captured")


def test_a_refused_action_shows_why_and_changes_nothing(client, finance, statement, transfer):
    line = statement.lines.get(bank_reference="B2")  # 45 TND for a 50 TND pledge already paid
    response = client.post(f"/en/payments/statements/lines/{line.pk}/", {"action": "resolve", "note": ""})
    assert (response.status_code, response["Location"]) == (302, f"/en/payments/statements/{statement.pk}/")
    assert "Say in a note how this line was resolved." in client.get(response["Location"]).content.decode()
    line.refresh_from_db()
    assert line.status == "duplicate"


def test_next_must_stay_on_the_site(client, finance, statement):
    line = statement.lines.get(bank_reference="B3")
    response = client.post(
        f"/en/payments/statements/lines/{line.pk}/", {"action": "ignore", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/en/payments/statements/{statement.pk}/"


def test_unknown_statement_is_404(client, finance):
    assert client.get("/en/payments/statements/999999/").status_code == 404
    assert client.post("/en/payments/statements/lines/999999/", {"action": "ignore"}).status_code == 404


def test_pages_render_in_arabic_right_to_left(client, finance, statement):
    response = client.get(f"/ar/payments/statements/{statement.pk}/")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert BankStatementLine.objects.count() == 3
