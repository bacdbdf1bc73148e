"""The exchange-rate page: who may see it and record rates (finance officers and platform administrators, with
two-factor authentication), a day's rate through the form, and the all-or-nothing CSV import. Every refusal
checks that nothing was written."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jusoor.common.models import AuditEvent
from jusoor.finance.models import ExchangeRate
from jusoor.finance.services import exchange_rate_set

pytestmark = pytest.mark.django_db

D = Decimal
DAY = datetime.date(2026, 3, 2)
RATES_URL = "/en/finance/rates/"
IMPORT_URL = "/en/finance/rates/import/"
BOM = b"\xef\xbb\xbf"
NOT_CSV = "This file is not a CSV file in UTF-8. Save the rates as CSV (UTF-8)."


@pytest.fixture
def people(db) -> dict[str, Any]:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from jusoor.accounts.models import Role
    from jusoor.accounts.tests.factories import RoleGrantFactory, UserFactory
    from jusoor.organizations.models import MembershipRole
    from jusoor.organizations.tests.factories import MembershipFactory

    def with_totp(user: Any) -> Any:
        TOTP.activate(user, generate_totp_secret())
        return user

    return {
        "anonymous": None,
        "plain_user": UserFactory(),
        "org_admin": MembershipFactory(role=MembershipRole.ADMIN).user,
        "finance_no_2fa": RoleGrantFactory(role=Role.FINANCE_OFFICER).user,
        "finance": with_totp(RoleGrantFactory(role=Role.FINANCE_OFFICER).user),
        "platform_admin": with_totp(RoleGrantFactory(role=Role.PLATFORM_ADMIN).user),
    }


def snapshot() -> tuple[list[tuple[Any, ...]], int]:
    rates = list(ExchangeRate.objects.order_by("base", "quote", "day").values_list("base", "quote", "day", "rate"))
    return rates, AuditEvent.objects.count()


def rate_form(**overrides: str) -> dict[str, str]:
    values = {"day": "2026-03-02", "base": "EUR", "quote": "TND", "rate": "3.3512", "source": "BCT fixing"}
    values.update(overrides)
    return values


def csv_file(content: bytes | str, name: str = "rates.csv") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def flash(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Who may do what ----------------------------------------------------------------------------------------
ACCESS = {
    "anonymous": 302,
    "plain_user": 403,
    "org_admin": 403,
    "finance_no_2fa": 302,
    "finance": 200,
    "platform_admin": 200,
}


def _assert_redirects(response: Any, who: str) -> None:
    if who == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/")
    if who == "finance_no_2fa":
        assert response["Location"] == "/en/accounts/2fa/totp/activate/"


@pytest.mark.parametrize(("who", "status"), ACCESS.items())
def test_rates_page_access(client, people, who, status):
    if people[who] is not None:
        client.force_login(people[who])

    response = client.get(RATES_URL)

    assert response.status_code == status
    _assert_redirects(response, who)


@pytest.mark.parametrize(("who", "status"), [(who, status) for who, status in ACCESS.items() if status != 200])
def test_recording_and_importing_are_refused_without_the_permission(client, people, who, status):
    exchange_rate_set(base="EUR", quote="TND", day=DAY, rate=D("3.3"), source="", acting_user=None)
    before = snapshot()
    if people[who] is not None:
        client.force_login(people[who])

    set_response = client.post(RATES_URL, rate_form())
    import_response = client.post(IMPORT_URL, {"file": csv_file("day,base,quote,rate\n2026-03-03,EUR,TND,3.4\n")})

    assert (set_response.status_code, import_response.status_code) == (status, status)
    _assert_redirects(set_response, who)
    _assert_redirects(import_response, who)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["finance", "platform_admin"])
def test_finance_staff_record_and_import_rates(client, people, who):
    client.force_login(people[who])

    set_response = client.post(RATES_URL, rate_form())
    import_response = client.post(IMPORT_URL, {"file": csv_file("day,base,quote,rate\n2026-03-03,EUR,TND,3.4\n")})

    assert (set_response.status_code, set_response["Location"]) == (302, RATES_URL)
    assert (import_response.status_code, import_response["Location"]) == (302, RATES_URL)
    assert snapshot() == (
        [("EUR", "TND", DAY, D("3.35120000")), ("EUR", "TND", DAY + datetime.timedelta(days=1), D("3.40000000"))],
        2,
    )
    assert set(AuditEvent.objects.values_list("actor", flat=True)) == {people[who].pk}


def test_import_url_takes_posts_only(client, people):
    client.force_login(people["finance"])
    assert client.get(IMPORT_URL).status_code == 405


# --- A day's rate through the form --------------------------------------------------------------------------
def test_recording_then_correcting_a_rate(client, people):
    officer = people["finance"]
    client.force_login(officer)

    response = client.post(RATES_URL, rate_form())

    assert response.status_code == 302
    assert flash(response) == ["Rate recorded: 1 EUR = 3.3512 TND on 2026-03-02."]
    rate = ExchangeRate.objects.get()
    assert (rate.base, rate.quote, rate.day, rate.rate, rate.source, rate.created_by) == (
        "EUR",
        "TND",
        DAY,
        D("3.35120000"),
        "BCT fixing",
        officer,
    )
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.changes) == (
        officer,
        "finance.exchange_rate.set",
        {"rate": {"old": None, "new": "3.3512"}},
    )

    # The same day again corrects it (a decimal comma is read as a decimal point); the same value changes nothing.
    client.post(RATES_URL, rate_form(rate="3,36"))
    client.post(RATES_URL, rate_form(rate="3.36"))
    assert list(ExchangeRate.objects.values_list("rate", flat=True)) == [D("3.36000000")]
    assert [e.changes["rate"] for e in AuditEvent.objects.order_by("id")] == [
        {"old": None, "new": "3.3512"},
        {"old": "3.35120000", "new": "3.36"},
    ]
    page = client.get(RATES_URL)
    assert page.context["overview"].latest[0].rate == "3.36"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"rate": "0"}, "rate", "The rate must be a positive number with at most 8 decimals."),
        ({"rate": "-3.4"}, "rate", "The rate must be a positive number with at most 8 decimals."),
        ({"rate": "3.123456789"}, "rate", "The rate must be a positive number with at most 8 decimals."),
        ({"rate": "abc"}, "rate", "Enter a number."),
        ({"rate": "Infinity"}, "rate", "Enter a number."),
        ({"rate": "NaN"}, "rate", "Enter a number."),
        ({"base": "DZD"}, "base", "This currency is not supported: DZD."),
        ({"quote": "XXX"}, "quote", "This currency is not supported: XXX."),
        ({"quote": "EUR"}, "quote", "A rate needs two different currencies."),
        ({"day": "2026-02-30"}, "day", "Enter a valid date."),
    ],
)
def test_bad_rates_are_shown_on_the_form_and_nothing_is_written(client, people, overrides, field, message):
    client.force_login(people["finance"])
    before = snapshot()

    response = client.post(RATES_URL, rate_form(**overrides))

    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert snapshot() == before


# --- Importing a file ---------------------------------------------------------------------------------------
def test_import_with_semicolons_a_bom_and_decimal_commas(client, people):
    officer = people["finance"]
    exchange_rate_set(base="EUR", quote="TND", day=DAY, rate=D("3.35"), source="", acting_user=officer)
    content = BOM + (
        b"Day;Base;Quote;Rate;Source\r\n"
        b"2026-03-02;EUR;TND;3,36;BCT\r\n"  # corrects the day's rate
        b"03/03/2026;eur;tnd;3,37;BCT\r\n"
        b"\r\n"
        b"2026-03-03;MAD;TND;0,3105;Bank Al-Maghrib\r\n"
    )
    client.force_login(officer)

    response = client.post(IMPORT_URL, {"file": csv_file(content)})

    assert response.status_code == 302 and response["Location"] == RATES_URL
    assert flash(response) == ["Rates imported. New: 2. Corrected: 1. Unchanged: 0."]
    assert snapshot()[0] == [
        ("EUR", "TND", DAY, D("3.36000000")),
        ("EUR", "TND", datetime.date(2026, 3, 3), D("3.37000000")),
        ("MAD", "TND", datetime.date(2026, 3, 3), D("0.31050000")),
    ]
    assert dict(ExchangeRate.objects.filter(base="MAD").values_list("source", "created_by")) == {
        "Bank Al-Maghrib": officer.pk
    }
    events = AuditEvent.objects.filter(action="finance.exchange_rate.set").order_by("id")
    assert [(e.actor_id, e.changes["rate"]) for e in events] == [
        (officer.pk, {"old": None, "new": "3.35"}),
        (officer.pk, {"old": "3.35000000", "new": "3.36"}),
        (officer.pk, {"old": None, "new": "3.37"}),
        (officer.pk, {"old": None, "new": "0.3105"}),
    ]


def test_importing_the_same_values_again_writes_nothing(client, people):
    content = "day,base,quote,rate,source\n2026-03-02,EUR,TND,3.35,BCT\n2026-03-02,USD,TND,3.1,BCT\n"
    client.force_login(people["finance"])
    client.post(IMPORT_URL, {"file": csv_file(content)}, follow=True)
    before = snapshot()
    assert before[1] == 2

    response = client.post(IMPORT_URL, {"file": csv_file(content.replace("3.35", "3.3500"))})

    assert response.status_code == 302
    assert flash(response) == ["Rates imported. New: 0. Corrected: 0. Unchanged: 2."]
    assert snapshot() == before


def test_one_bad_line_imports_nothing_and_every_problem_is_listed(client, people):
    exchange_rate_set(base="EUR", quote="TND", day=DAY, rate=D("3.35"), source="", acting_user=None)
    before = snapshot()
    content = (
        "day,base,quote,rate\n"
        "2026-03-03,EUR,TND,3.37\n"  # 2: fine, but not imported either
        "2026-13-01,EUR,TND,3.37\n"  # 3
        "2026-03-04,EUR,DZD,3.37\n"  # 4
        "2026-03-04,EUR,TND,0\n"  # 5
        "2026-03-05,EUR,TND,-1\n"  # 6
        "2026-03-06,EUR,TND,3.123456789\n"  # 7
        "2026-03-07,EUR,TND,abc\n"  # 8
        "2026-03-08,TND,TND,1\n"  # 9
        "2026-03-03,EUR,TND,3.38\n"  # 10: the same pair and day as line 2
        "2026-03-09,EUR,TND,3,37\n"  # 11: a decimal comma in a comma-separated file
    )
    client.force_login(people["finance"])

    response = client.post(IMPORT_URL, {"file": csv_file(content)})

    assert response.status_code == 400
    assert response.context["import_form"].errors == {"file": ["Nothing was imported: 9 lines have problems."]}
    assert response.context["import_errors"] == [
        "Line 3: The day is not a date (expected 2026-03-31 or 31/03/2026).",
        "Line 4: This currency is not supported: DZD.",
        "Line 5: The rate must be a positive number with at most 8 decimals.",
        "Line 6: The rate must be a positive number with at most 8 decimals.",
        "Line 7: The rate must be a positive number with at most 8 decimals.",
        "Line 8: The rate is not a number.",
        "Line 9: A rate needs two different currencies.",
        "Line 10: This pair and day already appear on line 2.",
        "Line 11: This line has more cells than the header row.",
    ]
    assert "Line 4: This currency is not supported: DZD." in response.content.decode()
    assert snapshot() == before


def test_a_decimal_comma_read_as_a_source_is_refused(client, people):
    client.force_login(people["finance"])
    response = client.post(IMPORT_URL, {"file": csv_file("day,base,quote,rate,source\n2026-03-02,EUR,TND,3,35\n")})
    assert response.status_code == 400
    assert response.context["import_errors"] == [
        "Line 2: The source is only digits: is the rate written with a decimal comma? Separate the columns with ;."
    ]
    assert ExchangeRate.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", NOT_CSV),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", NOT_CSV),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", NOT_CSV),  # an XLSX workbook
        ("day,base,quote,rate\n2026-03-02,EUR,TND,3.35\n".encode("utf-16"), NOT_CSV),
        ("day;base;quote;rate\n02/03/2026;EUR;TND;3,35;Société\n".encode("latin-1"), NOT_CSV),
        (b"date,from,to,rate\n2026-03-02,EUR,TND,3.35\n", "The header row lacks these columns: day, base, quote. "
         "Expected: day, base, quote, rate, source."),
        (b"\n\n  \n", "The file is empty."),
        (b"day,base,quote,rate\n", "The file has no lines besides the header."),
    ],
)  # fmt: skip
def test_files_that_are_not_rate_csv_files_are_refused(client, people, content, message):
    client.force_login(people["finance"])

    response = client.post(IMPORT_URL, {"file": csv_file(content, name="rates.csv")})

    assert response.status_code == 400
    assert response.context["import_form"].errors == {"file": [message]}
    assert snapshot() == ([], 0)


def test_an_empty_upload_is_refused_by_the_form(client, people):
    client.force_login(people["finance"])
    response = client.post(IMPORT_URL, {"file": csv_file(b"")})
    assert response.status_code == 400
    assert response.context["import_form"].errors == {"file": ["The submitted file is empty."]}


# --- The list -----------------------------------------------------------------------------------------------
def test_the_page_lists_the_latest_rate_of_each_pair_and_the_missing_ones(client, people):
    for day, base, quote, rate in [
        (DAY, "EUR", "TND", "3.35"),
        (DAY + datetime.timedelta(days=1), "EUR", "TND", "3.36"),
        (DAY, "USD", "TND", "3.1"),
        (DAY, "TND", "MAD", "3.2"),
        (DAY, "EUR", "MAD", "100"),
    ]:
        exchange_rate_set(base=base, quote=quote, day=day, rate=D(rate), source="BCT", acting_user=None)
    client.force_login(people["finance"])

    response = client.get(RATES_URL)

    overview = response.context["overview"]
    assert [(row.base, row.quote, row.rate, row.day) for row in overview.latest] == [
        ("EUR", "MAD", "100", DAY),
        ("EUR", "TND", "3.36", DAY + datetime.timedelta(days=1)),
        ("TND", "MAD", "3.2", DAY),
        ("USD", "TND", "3.1", DAY),
    ]
    assert overview.missing == [  # a pair known in one direction serves both
        ("USD", "MAD"),
        ("USD", "EUR"),
        ("CAD", "TND"),
        ("CAD", "MAD"),
        ("CAD", "EUR"),
    ]
    content = response.content.decode()
    assert "style=" not in content and "<script>" not in content


def test_the_page_runs_a_fixed_number_of_queries(client, people, django_assert_num_queries):
    client.force_login(people["finance"])
    client.get(RATES_URL)
    # session, user, roles, the TOTP check, the rates, the user's model permissions (2, asked by the menu)
    with django_assert_num_queries(7):
        response = client.get(RATES_URL)
    assert response.status_code == 200
    for index, quote in enumerate(["TND", "MAD", "USD", "CAD"]):
        exchange_rate_set(base="EUR", quote=quote, day=DAY, rate=D(index + 2), source="", acting_user=None)
    with CaptureQueriesContext(connection) as after:
        client.get(RATES_URL)
    assert len(after) == 7


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fr", "ltr")])
def test_the_page_renders_in_each_language(client, people, language, direction):
    client.force_login(people["platform_admin"])
    response = client.get(RATES_URL.replace("/en/", f"/{language}/", 1))
    content = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}" dir="{direction}">' in content
    assert "style=" not in content
    assert f'name="day" value="{timezone.localdate().isoformat()}"' in content  # ISO for <input type="date">
