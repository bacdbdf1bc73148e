"""Receipts: PDF content in the donor's language (Arabic right to left, shaped), gapless numbering, who may
download them, and the donor's yearly summary."""

from __future__ import annotations

import re
import zlib
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jusoor.common.exceptions import ApplicationError
from jusoor.donations.links import donation_token
from jusoor.donations.models import Donation, Receipt
from jusoor.donations.receipts import receipt_html, receipt_pdf, year_summary_pdf
from jusoor.donations.reports import donor_year_summary, receipt_get
from jusoor.donations.services.capture import donation_capture
from jusoor.donations.services.pledge import donation_pledge
from jusoor.donations.services.refunds import donation_refund
from jusoor.donations.tests.conftest import make_campaign
from jusoor.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


# --- Reading the PDF back ---------------------------------------------------------------------------------------
# No PDF library is installed, so the tests read WeasyPrint's output directly: its objects (plain or inside object
# streams), each font's ToUnicode map (glyph id → the text of its cluster) and the TJ operators of the page, which
# draw glyphs in visual order (left to right), one text run per text position.
def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    objects: dict[int, tuple[bytes, bytes | None]] = {}
    for match in re.finditer(rb"(?<![0-9])(\d+) 0 obj", pdf):
        start = match.end()
        stream_at, end_at = pdf.find(b"stream", start), pdf.find(b"endobj", start)
        if stream_at != -1 and stream_at < end_at:
            head = pdf[start:stream_at]
            length = int(re.search(rb"/Length (\d+)", head)[1])
            data_start = stream_at + len(b"stream")
            data_start += 2 if pdf[data_start : data_start + 2] == b"\r\n" else 1
            data = pdf[data_start : data_start + length]
            objects[int(match[1])] = (head, zlib.decompress(data) if b"/FlateDecode" in head else data)
        else:
            objects[int(match[1])] = (pdf[start:end_at], None)
    for head, data in list(objects.values()):
        if data is not None and b"/ObjStm" in head:
            count, first = int(re.search(rb"/N (\d+)", head)[1]), int(re.search(rb"/First (\d+)", head)[1])
            numbers = [int(value) for value in data[:first].split()]
            pairs = list(zip(numbers[0::2], numbers[1::2], strict=True))
            for index, (number, offset) in enumerate(pairs):
                end = first + pairs[index + 1][1] if index + 1 < count else len(data)
                objects[number] = (data[first + offset : end], None)
    return objects


def _to_unicode(cmap: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for glyph, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            mapping[int(glyph, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            for offset, glyph in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[glyph] = chr(int(text, 16) + offset)
    return mapping


def pdf_runs(pdf: bytes) -> list[list[tuple[str, int, str]]]:
    """[[(font, glyph id, text), …] per text run, glyphs in visual order]."""
    objects = _objects(pdf)
    fonts = {}
    for number, (head, _data) in objects.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if found:
            fonts[number] = _to_unicode(objects[int(found[1])][1] or b"")
    names = {}
    for head, _data in objects.values():
        for name, number in re.findall(rb"/([A-Za-z0-9+_-]+) (\d+) 0 R", head):
            if int(number) in fonts:
                names[name.decode()] = fonts[int(number)]
    runs: list[list[tuple[str, int, str]]] = []
    operators = rb"/([A-Za-z0-9+_-]+) [\d.]+ Tf|(Tm|Td|TD|T\*)\b|\[(.*?)\] ?TJ|<([0-9a-fA-F]*)> ?Tj"
    for head, data in objects.values():
        if not data or b"BT" not in data or b"/ObjStm" in head:
            continue
        font = ""
        for token in re.finditer(operators, data, re.S):
            if token[1]:
                font = token[1].decode()
            elif token[2]:
                runs.append([])
            else:
                strings = re.findall(rb"<([0-9a-fA-F]*)>", token[3]) if token[3] is not None else [token[4]]
                for chunk in strings:
                    for index in range(0, len(chunk), 4):
                        glyph = int(chunk[index : index + 4], 16)
                        runs[-1].append((font, glyph, names[font].get(glyph, "\ufffd")))
    return [run for run in runs if run]


def visual(run: list[tuple[str, int, str]]) -> str:
    return "".join(text for _font, _glyph, text in run)


def right_to_left(run: list[tuple[str, int, str]]) -> str:
    """A run read from right to left: the logical order of an Arabic run."""
    return "".join(text for _font, _glyph, text in reversed(run))


def glyphs_of(run: list[tuple[str, int, str]], word: str, letter: str) -> list[int]:
    """The glyph ids drawing `letter` inside `word` in an Arabic run."""
    text = right_to_left(run)
    assert word in text
    clusters = list(reversed(run))
    position, found = 0, []
    start = text.index(word)
    for _font, glyph, cluster in clusters:
        if start <= position < start + len(word) and cluster == letter:
            found.append(glyph)
        position += len(cluster)
    return found


def run_containing(runs, text, *, rtl=False):
    matches = [run for run in runs if text in (right_to_left(run) if rtl else visual(run))]
    assert matches, f"{text!r} not found in {[visual(run) for run in runs]}"
    return matches[0]


# --- Content ---------------------------------------------------------------------------------------------------
def test_arabic_receipt_is_right_to_left_with_shaped_letters(captured_donation):
    donation = captured_donation(amount="20", currency="EUR", language="ar", name="سامي بن علي")
    receipt = receipt_get(reference=donation.reference)

    html = receipt_html(receipt)
    pdf = receipt_pdf(receipt)

    assert '<html lang="ar" dir="rtl">' in html
    assert pdf.startswith(b"%PDF-")
    runs = pdf_runs(pdf)
    # Drawn right to left: reading the glyphs from the right gives the words in order.
    organization = run_containing(runs, "جمعية أطفال مدنين", rtl=True)
    assert right_to_left(organization) == "جمعية أطفال مدنين"
    assert right_to_left(run_containing(runs, "مكتبة لأطفال مدنين", rtl=True)) == "مكتبة لأطفال مدنين"
    donor = run_containing(runs, "سامي بن علي", rtl=True)
    assert right_to_left(donor) == "سامي بن علي"
    # Shaped: the same letter is drawn with its contextual form, e.g. ع initial in علي, medial in جمعية,
    # ي final in سامي, medial in جمعية; unshaped text would use one glyph per letter.
    assert glyphs_of(donor, "علي", "ع") != glyphs_of(organization, "جمعية", "ع")
    assert glyphs_of(donor, "سامي", "ي") != glyphs_of(organization, "جمعية", "ي")
    # Amounts keep Western digits and their own left-to-right order inside the Arabic page.
    texts = [visual(run) for run in runs]
    assert any("20,00" in text for text in texts)
    assert any("67,000" in text for text in texts)
    assert receipt.label in texts


def test_french_receipt_gives_both_amounts_the_rate_and_its_date(captured_donation):
    donation = captured_donation(amount="20", currency="EUR", language="fr", name="Karim Trabelsi")
    Donation.objects.filter(pk=donation.pk).update(rate_day=datetime(2026, 3, 2).date())  # noqa: DTZ001
    receipt = receipt_get(reference=donation.reference)

    html = receipt_html(receipt)
    texts = [visual(run) for run in pdf_runs(receipt_pdf(receipt))]

    assert '<html lang="fr" dir="ltr">' in html
    for expected in (
        receipt.label,
        donation.reference,
        "Karim Trabelsi",
        "20,00\xa0€",
        "67,000\xa0DT",
        "1 EUR = 3,35 TND",
        "2 mars 2026",
        "Une bibliothèque pour les enfants de Médenine",
        "Association des enfants de Médenine",
    ):
        assert expected in texts, expected
    assert any("1234567A" in text for text in texts)


def test_same_currency_receipt_has_no_conversion_and_hides_an_anonymous_donor(captured_donation):
    donation = captured_donation(
        amount="150.500", currency="TND", language="en", name="Secret Person", anonymous_to_organization=True
    )
    receipt = receipt_get(reference=donation.reference)

    html = receipt_html(receipt)
    texts = [visual(run) for run in pdf_runs(receipt_pdf(receipt))]

    assert "TND150.500" in texts
    assert "Anonymous" in texts
    assert "Secret Person" not in html
    assert donation.email not in html
    assert "Exchange rate" not in html
    assert "no goods or services were given in return" in html


def test_receipt_lists_refunds_and_what_was_kept(captured_donation):
    donation = captured_donation(amount="100", currency="TND", language="en")
    donation_refund(donation=donation, amount=Decimal("30"), reason="asked by the donor")
    receipt = receipt_get(reference=donation.reference)

    html = receipt_html(receipt)
    texts = [visual(run) for run in pdf_runs(receipt_pdf(receipt))]

    assert "TND100.000" in texts
    assert "TND30.000" in texts
    assert "Amount kept after refunds: TND70.000" in " ".join(texts)
    assert "refunded in full" not in html


# --- Numbering -------------------------------------------------------------------------------------------------
def test_receipt_numbers_are_gapless_per_organisation(captured_donation, verified_org, live_campaign, medenine):
    second_campaign = make_campaign(organization=verified_org, territory=medenine, title_fr="Deuxième")
    other_org = OrganizationFactory()
    other_campaign = make_campaign(organization=other_org, territory=medenine)
    # A capture refused (wrong amount) takes no number.
    pending = donation_pledge(
        campaign=second_campaign,
        amount=Decimal("10"),
        currency="TND",
        email="x@example.org",
        country_of_residence="TN",
        provider="testpay",
        expires_in=timezone.timedelta(hours=1),
    )
    with pytest.raises(ApplicationError, match="differs"):
        donation_capture(
            donation_id=pending.pk, provider="testpay", provider_payment_id="p-1", amount=Decimal("11"), currency="TND"
        )

    first = captured_donation(campaign=live_campaign)
    other_first = captured_donation(campaign=other_campaign)
    second = captured_donation(campaign=second_campaign)
    third = captured_donation(campaign=live_campaign)
    other_second = captured_donation(campaign=other_campaign)

    numbers = {d.reference: d.receipt.number for d in (first, second, third, other_first, other_second)}
    assert [numbers[d.reference] for d in (first, second, third)] == [1, 2, 3]
    assert [numbers[d.reference] for d in (other_first, other_second)] == [1, 2]
    assert Receipt.objects.filter(donation=pending).count() == 0
    year = timezone.localdate().year
    assert first.receipt.label == f"{verified_org.pk:04d}-{year}-000001"


# --- Who may download -------------------------------------------------------------------------------------------
EXPECTED_RECEIPT_STATUS = {
    "anonymous": 302,
    "plain_user": 403,
    "donor": 200,
    "org_member": 403,
    "org_admin": 200,
    "org_owner": 200,
    "other_org_admin": 403,
    "finance": 200,
    "finance_no_2fa": 302,
    "platform_admin": 200,
}


@pytest.mark.parametrize(("who", "status"), EXPECTED_RECEIPT_STATUS.items())
def test_receipt_download_permissions(client, people, captured_donation, who, status):
    donation = captured_donation(donor=people["donor"], email=people["donor"].email)
    if people[who] is not None:
        client.force_login(people[who])

    response = client.get(reverse("donations:receipt", args=[donation.reference]))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert response.content.startswith(b"%PDF-")
    elif who == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/")
    elif who == "finance_no_2fa":
        assert response["Location"] == "/en/accounts/2fa/totp/activate/"


def test_guest_donor_opens_the_receipt_with_the_signed_link_only(client, captured_donation):
    donation = captured_donation()
    other = captured_donation()

    own = client.get(reverse("donations:receipt_token", args=[donation.reference, donation_token(donation.reference)]))
    someone_elses = client.get(
        reverse("donations:receipt_token", args=[donation.reference, donation_token(other.reference)])
    )
    forged = client.get(reverse("donations:receipt_token", args=[donation.reference, "not-a-token"]))

    assert own.status_code == 200
    assert own.content.startswith(b"%PDF-")
    assert own["Content-Disposition"] == f'inline; filename="receipt-{donation.receipt.label}.pdf"'
    assert someone_elses.status_code == 404
    assert forged.status_code == 404


def test_a_pledge_not_yet_paid_has_no_receipt(client, live_campaign):
    pending = donation_pledge(
        campaign=live_campaign,
        amount=Decimal("10"),
        currency="TND",
        email="x@example.org",
        country_of_residence="TN",
        provider="testpay",
        expires_in=timezone.timedelta(hours=1),
    )
    url = reverse("donations:receipt_token", args=[pending.reference, donation_token(pending.reference)])
    assert client.get(url).status_code == 404


# --- Yearly summary ---------------------------------------------------------------------------------------------
def _received_on(donation: Donation, when: datetime) -> None:
    Donation.objects.filter(pk=donation.pk).update(captured_at=timezone.make_aware(when))


def test_yearly_summary_totals_per_currency(client, people, captured_donation, django_assert_num_queries):
    donor = people["donor"]
    tnd = captured_donation(amount="100", donor=donor, email=donor.email)
    eur = captured_donation(amount="20", currency="EUR", donor=donor, email=donor.email)
    refunded = captured_donation(amount="50", donor=donor, email=donor.email)
    donation_refund(donation=refunded, amount=Decimal("10"), reason="mistake")
    last_year = captured_donation(amount="7", donor=donor, email=donor.email)
    strangers = captured_donation(amount="999")
    for donation in (tnd, eur, refunded, strangers):
        _received_on(donation, datetime(2025, 5, 1, 12))  # noqa: DTZ001
    _received_on(last_year, datetime(2024, 12, 31, 23, 30))  # noqa: DTZ001  # still 2024 in Tunis

    with django_assert_num_queries(2):
        summary = donor_year_summary(donor=donor, year=2025)

    assert [d.reference for d in summary.donations] == [tnd.reference, eur.reference, refunded.reference]
    assert summary.totals == [("EUR", Decimal("20.000")), ("TND", Decimal("140.000"))]
    assert summary.years == [2025, 2024]
    assert year_summary_pdf(summary, donor=donor, language="ar").startswith(b"%PDF-")

    client.force_login(donor)
    page = client.get(reverse("donations:year_summary", args=[2025]))
    pdf = client.get(reverse("donations:year_summary_pdf", args=[2025]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "TND140.000" in content and "€20.00" in content
    assert strangers.reference not in content and "TND999.000" not in content
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_yearly_summary_needs_an_account_and_a_plausible_year(client, people):
    response = client.get(reverse("donations:year_summary", args=[2025]))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    client.force_login(people["plain_user"])
    assert client.get(reverse("donations:year_summary", args=[2025])).status_code == 200
    assert client.get(reverse("donations:year_summary", args=[1850])).status_code == 404
