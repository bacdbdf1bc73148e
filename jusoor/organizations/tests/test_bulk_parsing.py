"""Reading uploads: encodings (detected or refused, never mojibake), delimiters, XLSX, limits, header."""

import datetime
import os

import pytest
from django.utils import translation

from jusoor.organizations.bulk import parsing
from jusoor.organizations.bulk.encoding import decode_csv, looks_double_encoded
from jusoor.organizations.bulk.parsing import FileRefusedError, parse_upload
from jusoor.organizations.tests.test_bulk_support import HEADER, csv_bytes, row, xlsx_bytes

ARABIC = "جمعية الأمل للتنمية بمدنين"
FRENCH = "Association l’Espoir à Médenine, élèves et familles"


def refusal(data: bytes, language: str = "en") -> FileRefusedError:
    with translation.override(language), pytest.raises(FileRefusedError) as caught:
        parse_upload(data)
    return caught.value


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["utf-8", "utf-8-bom"])
def test_utf8_with_or_without_bom_reads_arabic_and_accents(prefix):
    parsed = parse_upload(prefix + csv_bytes([row(name_ar=ARABIC, name_fr=FRENCH)]))
    assert parsed.encoding == "utf-8"
    assert parsed.columns == HEADER
    assert parsed.rows == [(2, {**dict.fromkeys(HEADER, ""), **row(name_ar=ARABIC, name_fr=FRENCH)})]


def test_windows_1256_arabic_csv_is_detected_and_read_correctly():
    data = csv_bytes([row(name_ar=ARABIC, name_fr="Association à Médenine")], delimiter=";", encoding="cp1256")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = parse_upload(data)
    assert parsed.encoding == "windows-1256"
    _number, cells = parsed.rows[0]
    assert (cells["name_ar"], cells["name_fr"]) == (ARABIC, "Association à Médenine")


def test_utf16_with_bom_from_excel_unicode_text_is_read():
    parsed = parse_upload(csv_bytes([row(name_ar=ARABIC)], delimiter="\t", encoding="utf-16"))
    assert parsed.encoding == "utf-16"
    assert parsed.rows[0][1]["name_ar"] == ARABIC


def test_latin1_with_capital_accents_is_refused_not_turned_into_mojibake():
    # É, À and Ô are Arabic letters in Windows-1256: reading this file as 1256 would give "ةcole".
    data = csv_bytes([row(name_ar="", name_fr="École Élite À Tunis, Ôrient")], encoding="latin-1")
    error = refusal(data)
    assert error.code == "file_encoding"
    assert "UTF-8" in str(error.message) and "Windows-1256" in str(error.message)


def test_garbage_bytes_are_refused():
    assert refusal(b"name_fr,kind\n" + os.urandom(4000)).code == "file_encoding"


def test_decoding_prefers_utf8_and_refuses_what_it_cannot_read_safely():
    assert decode_csv("é".encode()).encoding == "utf-8"
    assert decode_csv("café élève".encode("latin-1")).text == "café élève"  # same bytes in 1256: not mojibake
    with pytest.raises(ValueError):
        decode_csv("Straße Ærø".encode("latin-1"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("جمعية", False),
        ("Société Générale", False),
        ("Ø¬Ù…Ø¹ÙŠØ©", True),  # UTF-8 Arabic read as Windows-1252, saved again as UTF-8
        ("ط¬ظ…ط¹ظٹط©", True),  # the same read as Windows-1256
        ("SociÃ©tÃ©", True),
    ],
)
def test_double_encoded_values_are_recognised(value, expected):
    assert looks_double_encoded(value) is expected


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_delimiter_is_found_from_the_header(delimiter):
    data = csv_bytes([row(name_fr="Association, culture; loisirs")], delimiter=delimiter)
    parsed = parse_upload(data)
    assert parsed.rows[0][1]["name_fr"] == "Association, culture; loisirs"
    assert parsed.rows[0][1]["kind"] == "association"


def test_blank_rows_are_skipped_and_row_numbers_are_spreadsheet_rows():
    text = "name_fr,kind,country\r\n\r\nA,association,TN\r\n,,\r\nB,association,TN\r\n"
    parsed = parse_upload(text.encode())
    assert [(number, cells["name_fr"]) for number, cells in parsed.rows] == [(3, "A"), (5, "B")]


def test_header_names_are_forgiving_but_unknown_columns_are_refused():
    parsed = parse_upload(b"Name FR;KIND;country\nA;association;TN\n")
    assert parsed.columns == ["name_fr", "kind", "country"]
    error = refusal(b"name_fr,kind,country,nmae_ar\nA,association,TN,x\n")
    assert (error.code, str(error.message)) == (
        "file_columns",
        "Unknown columns: nmae_ar. Use the column names of the template.",
    )


def test_missing_and_repeated_columns_are_refused():
    assert str(refusal(b"acronym,country\nA,TN\n").message) == (
        "Columns are missing: name_ar / name_fr / name_en, kind."
    )
    assert str(refusal(b"name_fr,kind,kind,country\nA,a,b,TN\n").message) == (
        "These columns appear more than once: kind."
    )
    assert refusal(b"foo,bar\n1,2\n").code == "file_header"


def test_export_only_columns_are_ignored():
    parsed = parse_upload(b"id,url,name_fr,kind,territory,territory_name,status\n1,http://x,A,association,TN-82,M,ok\n")
    assert parsed.rows[0][1] == {"name_fr": "A", "kind": "association", "territory": "TN-82"}


def test_values_beyond_the_header_are_flagged():
    parsed = parse_upload(b"name_fr,kind,country\nA,association,TN,surprise\nB,association,TN,\n")
    assert parsed.overflowing_rows == {2}


def test_empty_files_and_headers_without_rows_are_refused():
    assert refusal(b"").code == "file_empty"
    assert refusal(b"\xef\xbb\xbf\r\n").code == "file_empty"
    assert refusal(b"name_fr,kind,country\n").code == "file_no_rows"


def test_size_and_row_limits(monkeypatch):
    assert refusal(b"x" * (parsing.MAX_BYTES + 1)).code == "file_too_large"
    monkeypatch.setattr(parsing, "MAX_ROWS", 3)
    data = csv_bytes([row() for _ in range(4)])
    error = refusal(data)
    assert (error.code, str(error.message)) == (
        "file_too_many_rows",
        "The file has more than 3 rows. Split it into several files.",
    )
    assert len(parse_upload(csv_bytes([row() for _ in range(3)])).rows) == 3


def test_default_limits_are_twenty_thousand_rows_and_ten_megabytes():
    assert (parsing.MAX_ROWS, parsing.MAX_BYTES) == (20_000, 10 * 1024 * 1024)


def test_xlsx_is_read_by_content_with_dates_and_numbers_as_text():
    values = dict.fromkeys(HEADER, None) | {
        "name_ar": ARABIC,
        "kind": "association",
        "founded_on": datetime.datetime(2012, 3, 15),  # noqa: DTZ001  (spreadsheets have no time zone)
        "members_count": 120.0,
        "registration_number": 1234567,
        "territory": "TN-82",
    }
    parsed = parse_upload(xlsx_bytes([[values[name] for name in HEADER]]))
    assert (parsed.file_format, parsed.encoding) == ("xlsx", "")
    number, cells = parsed.rows[0]
    assert number == 2
    assert (cells["name_ar"], cells["founded_on"], cells["members_count"], cells["registration_number"]) == (
        ARABIC,
        "2012-03-15",
        "120",
        "1234567",
    )


def test_old_xls_and_broken_xlsx_are_refused_with_what_to_do():
    assert refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600).code == "file_xls"
    assert refusal(b"PK\x03\x04 not really a zip").code == "file_xlsx"
