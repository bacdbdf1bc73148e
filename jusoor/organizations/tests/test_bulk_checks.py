"""Checking rows: messages with row numbers and column names, lookups in any language, duplicates."""

import pytest
from django.utils import translation

from jusoor.organizations.bulk.checks import check_file
from jusoor.organizations.bulk.messages import issue_message
from jusoor.organizations.bulk.parsing import parse_upload
from jusoor.organizations.services.search_index import organization_reindex
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.organizations.tests.test_bulk_support import csv_bytes, make_references, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def refs():
    return make_references()


def check(*rows, language="en"):
    with translation.override(language):
        result = check_file(parse_upload(csv_bytes(rows)))
        messages = [(i.row, i.field, i.level, issue_message(i.as_dict())) for i in result.issues]
    return result, messages


def test_a_valid_row_is_normalised_with_ids_resolved(refs):
    result, messages = check(
        row(
            name_en="Hope",
            acronym="AEM",
            kind="Coopérative",
            registry="TN-RNE",
            registration_number="1234567a",
            founded_on="15/03/2012",
            themes="santé; Education ;health",
            members_count="1 200",
            volunteers_count="35",
            contact_email="Contact@Example.ORG",
            contact_phone="+216 75 640 000",
            website="example.org",
            description="Aide aux familles",
            primary_language="",
        )
    )
    assert messages == []
    assert result.rows == [
        {
            "row": 2,
            "ok": True,
            "name_ar": "جمعية الأمل",
            "name_fr": "Association Espoir",
            "name_en": "Hope",
            "acronym": "AEM",
            "description": "Aide aux familles",
            "contact_email": "Contact@example.org",
            "website": "https://example.org",
            "primary_language": "ar",
            "kind_id": refs["cooperative"].pk,
            "registry": "tn-rne",
            "registration_number": "1234567A",
            "founded_on": "2012-03-15",
            "country": "TN",
            "territory_id": refs["medenine"].pk,
            "theme_ids": [refs["health"].pk, refs["education"].pk],
            "members_count": 1200,
            "volunteers_count": 35,
            "contact_phone": "+21675640000",
        }
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"kind": "جمعية"}, "association"),
        ({"kind": "ASSOCIATION"}, "association"),
        ({"kind": "cooperative"}, "cooperative"),
        ({"kind": "تعاضدية"}, "cooperative"),
    ],
)
def test_kind_by_identifier_or_label_in_any_language(refs, values, expected):
    result, messages = check(row(**values))
    assert messages == []
    assert result.rows[0]["kind_id"] == refs[expected].pk


@pytest.mark.parametrize(
    ("value", "expected"), [("fr", "fr"), ("Français", "fr"), ("arabe", "ar"), ("العربية", "ar"), ("English", "en")]
)
def test_primary_language_by_code_or_name(refs, value, expected):
    result, messages = check(row(primary_language=value))
    assert (messages, result.rows[0]["primary_language"]) == ([], expected)


@pytest.mark.parametrize(
    ("values", "territory", "country"),
    [
        ({"territory": "TN-82"}, "medenine", "TN"),
        ({"territory": "tn-82", "country": ""}, "medenine", "TN"),
        ({"territory": "52"}, "medenine", "TN"),  # INS code of the governorate
        ({"territory": "5231"}, "djerba", "TN"),
        ({"territory": "Djerba - Houmt Souk"}, "djerba", "TN"),
        ({"territory": "جربة حومة السوق", "country": "Tunisie"}, "djerba", "TN"),
        ({"territory": "01.051.01.09", "country": "MA"}, "ajdir_north", "MA"),
    ],
)
def test_territory_by_code_alternate_code_or_name(refs, values, territory, country):
    result, messages = check(row(**values))
    assert messages == []
    assert (result.rows[0]["territory_id"], result.rows[0]["country"]) == (refs[territory].pk, country)


def test_a_name_shared_by_a_governorate_and_a_town_chooses_the_governorate_with_a_warning(refs):
    result, messages = check(row(territory="مدنين"), row(territory="Medenine", name_fr="Autre"))
    assert [row["territory_id"] for row in result.rows] == [refs["medenine"].pk] * 2
    assert messages[0] == (
        2,
        "territory",
        "warning",
        "“مدنين” names several territories; Medenine (TN-82) was chosen. Give a code to choose another one.",
    )
    assert result.rows[0]["ok"] is True


def test_a_name_shared_at_the_same_level_is_an_error_listing_the_codes(refs):
    result, messages = check(row(territory="Ajdir", country="MA"))
    assert messages == [
        (
            2,
            "territory",
            "error",
            "“Ajdir” names several territories (01.051.01.09, 03.561.03.01). Give the code of the right one.",
        )
    ]
    assert result.rows[0]["ok"] is False


def test_every_problem_has_its_row_number_and_column(refs):
    result, messages = check(
        row(),
        row(
            name_ar="",
            name_fr="",
            kind="club",
            registry="tn-rne",
            registration_number="12AB",
            founded_on="2012-31-12",
            territory="Atlantis",
            themes="health;sport;culture",
            members_count="-3",
            contact_email="not-an-email",
            contact_phone="75 640 000",
            website="http://",
            primary_language="de",
        ),
        row(registration_number="1234567A", country="Narnia", territory=""),
        row(acronym="A" * 31, founded_on="2999-01-01", contact_phone="+216 12", country="", territory=""),
    )
    assert messages == [
        (3, "", "error", "Give the organisation's name in at least one language."),
        (3, "primary_language", "error", "Unknown language “de”: use ar, fr or en."),
        (3, "kind", "error", "Unknown kind of organisation: “club”."),
        (3, "registration_number", "error", "This number does not have the expected format (for example 1234567A)."),
        (3, "founded_on", "error", "Write the date as YYYY-MM-DD or DD/MM/YYYY."),
        (3, "territory", "error", "Unknown territory: “Atlantis”. Give its code or its name."),
        (3, "themes", "error", "Unknown themes: “sport”, “culture”."),
        (3, "members_count", "error", "Enter a whole number, 0 or more."),
        (3, "contact_email", "error", "Enter a valid e-mail address."),
        (
            3,
            "contact_phone",
            "error",
            "Enter the phone number in international format, starting with + and the country code.",
        ),
        (3, "website", "error", "Enter a valid web address."),
        (4, "registry", "error", "Say which registry this number belongs to."),
        (4, "country", "error", "Unknown country: “Narnia”."),
        (5, "acronym", "error", "This value is too long (30 characters at most)."),
        (5, "founded_on", "error", "The founding date is in the future."),
        (5, "country", "error", "Give the country or the territory."),
        (5, "contact_phone", "error", "This phone number is not valid."),
    ]
    assert [r["ok"] for r in result.rows] == [True, False, False, False]
    assert (result.error_count, result.warning_count) == (17, 0)


def test_a_territory_of_another_country_is_reported_as_such(refs):
    _result, messages = check(row(country="MA", territory="TN-82"))
    assert messages == [(2, "territory", "error", "The territory TN-82 is not in this country (MA).")]


def test_garbled_text_is_an_error(refs):
    _result, messages = check(row(name_ar="Ø¬Ù…Ø¹ÙŠØ©"))
    assert messages == [
        (
            2,
            "name_ar",
            "error",
            "This text looks garbled: it was probably converted with the wrong encoding before. "
            "Correct it in the file.",
        )
    ]


def test_duplicate_registration_against_the_database_and_earlier_rows(refs):
    existing = OrganizationFactory(registry="tn-rne", registration_number="1234567A", name_fr="Déjà là")
    result, messages = check(
        row(registry="tn-rne", registration_number="1234567A"),
        row(registry="tn-rne", registration_number="7654321B", name_fr="B", name_ar=""),
        row(registry="tn-rne", registration_number="7654321b", name_fr="C", name_ar=""),
        row(registry="ma-ice", registration_number="7654321B", name_fr="D", name_ar=""),  # another registry
    )
    assert messages == [
        (
            2,
            "registration_number",
            "error",
            "An organisation with this registration number is already registered: Déjà là.",
        ),
        (4, "registration_number", "error", "Row 3 already has this registration number."),
        (
            5,
            "registration_number",
            "error",
            "This number does not have the expected format (for example 001234567000089).",
        ),
    ]
    assert result.issues[0].params == {"name": "Déjà là", "id": existing.pk}


def test_a_very_similar_name_in_the_same_territory_is_a_warning(refs):
    existing = OrganizationFactory(
        name_ar="جمعية الأمل للتنمية", name_fr="Association Espoir pour le Développement", territory=refs["medenine"]
    )
    OrganizationFactory(name_fr="Association Espoir pour le developpement", territory=refs["djerba"])
    organization_reindex()  # as the services do: the comparison starts from the indexed names
    result, messages = check(
        row(name_ar="", name_fr="association espoir pour le developpement"),  # same territory: warned
        row(name_ar="جمعيه الامل للتنميه", name_fr="", territory="TN-82"),  # hamza and teh marbuta folded
        row(name_ar="", name_fr="Association Espoir pour le développement rural et durable à Médenine"),  # not close
        row(name_ar="", name_fr="Association Espoir pour le développement", territory="5211"),  # other territory
    )
    message = (
        "The name is very close to that of Association Espoir pour le Développement, already registered in the "
        "same territory. Check that it is not the same organisation."
    )
    assert messages == [(2, "", "warning", message), (3, "", "warning", message)]
    assert result.issues[0].params["id"] == existing.pk
    assert all(r["ok"] for r in result.rows)


def test_the_same_name_twice_in_the_file_and_place_is_a_warning(refs):
    _result, messages = check(row(), row(name_ar="", name_fr="ASSOCIATION ESPOIR"), row(territory="5231"))
    assert messages == [(3, "", "warning", "Row 2 has the same name in the same territory.")]


def test_references_and_duplicates_cost_a_fixed_number_of_queries(refs, django_assert_max_num_queries):
    parsed = parse_upload(
        csv_bytes(
            [row(name_fr=f"Association {i}", registry="tn-rne", registration_number=f"{i:07d}A") for i in range(300)]
        )
    )
    with django_assert_max_num_queries(15):
        result = check_file(parsed)
    assert result.error_count == 0
