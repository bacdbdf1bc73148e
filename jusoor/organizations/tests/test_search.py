"""Organisation search: the SQL folding, the search columns (services/search_index.py) and the search itself
(selectors/directory.py) in Arabic and French, on real PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jusoor.accounts.models import Role
from jusoor.organizations.models import Organization, OrganizationKind
from jusoor.organizations.selectors.directory import organization_directory
from jusoor.organizations.services.search_index import organization_reindex
from jusoor.territories.folding import _FOLD_PAIRS, fold_search_text

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


@pytest.fixture
def kind() -> OrganizationKind:
    return OrganizationKind.objects.create(
        slug="association", label={"ar": "جمعية", "fr": "Association", "en": "Association"}
    )


def _org(kind: OrganizationKind, **fields: Any) -> Organization:
    fields.setdefault("country", "TN")
    fields.setdefault("status", Organization.Status.VERIFIED)
    return Organization.objects.create(kind=kind, **fields)


def _search(q: str) -> list[str]:
    """The names (Arabic, else French) found for `q`, best first."""
    return [org.name_ar or org.name_fr for org in organization_directory(viewer=ANONYMOUS, q=q)]


@pytest.fixture
def directory(kind: OrganizationKind) -> None:
    """A small directory with Arabic-only, French-only and bilingual names, then indexed."""
    _org(kind, name_fr="Association des jeunes de Hammamet")
    _org(kind, name_fr="Amicale des anciens de Médenine")
    _org(kind, name_fr="Coopérative agricole de Kelâat el-Andalous")
    _org(kind, name_ar="جمعيّة الأمل")
    _org(kind, name_ar="جمعية مـدنين للتنمية")
    _org(kind, name_ar="ودادية أريانة")
    _org(kind, name_fr="Association Al Amal")
    _org(kind, name_ar="تعاونية الزيتون", name_fr="Coopérative de l’olivier", acronym="COOPOL")
    _org(
        kind,
        name_fr="Réseau associatif",
        registration_number="2011-0456",
        description="Soutien scolaire dans les quartiers.",
    )
    organization_reindex()


# --- Folding ---------------------------------------------------------------------------------------------------
def _sql_fold(text: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT jusoor_fold(%s)", [text])
        return cursor.fetchone()[0]


def test_sql_folding_equals_the_python_folding_on_every_character_of_its_table():
    characters = "".join(_FOLD_PAIRS.values()) + "ـًٌٍَُِّْ" + "ABCXYZabcxyz0123456789 -'" + "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"

    assert [_sql_fold(character) for character in characters] == [
        fold_search_text(character) for character in characters
    ]


def test_sql_folding_examples():
    assert _sql_fold("Kelâat Côte d’Azur ŒUVRE") == "kelaat cote d'azur oeuvre"
    assert _sql_fold("جَمْعِيَّة الأمل مـدنين إلى آفاق") == "جمعيه الامل مدنين الي افاق"


# --- Search columns --------------------------------------------------------------------------------------------
def test_reindex_writes_the_folded_names_and_the_weighted_vector(kind):
    organization = _org(
        kind,
        name_ar="جمعيّة الأمل",
        name_fr="Association l’Espoir",
        name_en="Hope Association",
        acronym="AE",
        registration_number="2011-0456",
        description="Aide scolaire. دعم مدرسي",
    )

    assert organization_reindex(organization_ids=[organization.pk]) == 1

    organization.refresh_from_db()
    assert organization.search_text == "جمعيه الامل association l'espoir hope association ae"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, positions::text, weights::text FROM unnest(%s::tsvector) ORDER BY lexeme",
            [organization.search_vector],
        )
        lexemes = cursor.fetchall()
    assert lexemes == [
        ("-0456", "{10}", "{B}"),
        ("0456", "{12}", "{B}"),
        ("2011", "{9,11}", "{B,B}"),
        ("ae", "{8}", "{B}"),
        ("aid", "{15}", "{C}"),
        ("associ", "{3,7}", "{A,A}"),
        ("espoir", "{5}", "{A}"),
        ("hop", "{6}", "{A}"),
        ("scolair", "{16}", "{C}"),
        ("امل", "{2}", "{A}"),
        ("جمع", "{1}", "{A}"),
        ("دعم", "{13}", "{C}"),
        ("مدرس", "{14}", "{C}"),
    ]


def test_reindex_all_then_again_rewrites_only_changed_rows(kind):
    first = _org(kind, name_fr="Amicale de Médenine")
    second = _org(kind, name_ar="جمعية الأمل")

    assert organization_reindex() == 2
    assert organization_reindex() == 0

    Organization.objects.filter(pk=second.pk).update(name_ar="جمعية الأمل الجديد")
    assert organization_reindex() == 1
    assert organization_reindex(organization_ids=[first.pk, second.pk]) == 0
    assert organization_reindex(organization_ids=[]) == 0
    second.refresh_from_db()
    assert second.search_text == "جمعيه الامل الجديد"


def test_reindex_of_some_ids_leaves_the_others(kind):
    indexed = _org(kind, name_fr="Amicale de Médenine")
    untouched = _org(kind, name_fr="Association de Hammamet")

    assert organization_reindex(organization_ids=[indexed.pk]) == 1

    assert dict(Organization.objects.values_list("pk", "search_text")) == {
        indexed.pk: "amicale de medenine",
        untouched.pk: "",
    }


# --- French and Latin-script names -----------------------------------------------------------------------------
def test_variant_spelling_found_by_trigram_similarity(directory):
    assert _search("Hamamet") == ["Association des jeunes de Hammamet"]
    assert _search("hammamet") == ["Association des jeunes de Hammamet"]


def test_generic_words_with_a_variant_spelling_and_any_word_order(directory):
    assert _search("Association Hamamet") == ["Association des jeunes de Hammamet"]
    assert _search("Hamamet jeunes") == ["Association des jeunes de Hammamet"]
    assert _search("جمعية مدنين") == ["جمعية مـدنين للتنمية"]
    # A generic word alone is searched by full text only; shorter documents rank first.
    assert _search("association") == ["Association Al Amal", "Association des jeunes de Hammamet", "Réseau associatif"]


def test_french_without_accents_or_case(directory):
    assert _search("Medenine") == ["Amicale des anciens de Médenine"]
    assert _search("MÉDENINE") == ["Amicale des anciens de Médenine"]
    assert _search("Kelaat") == ["Coopérative agricole de Kelâat el-Andalous"]
    assert _search("cooperative agricole") == ["Coopérative agricole de Kelâat el-Andalous"]


def test_french_stemming_and_apostrophes(directory):
    assert _search("anciennes amicales") == ["Amicale des anciens de Médenine"]
    assert _search("l'olivier") == ["تعاونية الزيتون"]
    assert _search("olivier") == ["تعاونية الزيتون"]


def test_acronym_registration_number_and_description(directory):
    assert _search("coopol") == ["تعاونية الزيتون"]
    assert _search("2011-0456") == ["Réseau associatif"]
    assert _search("0456") == ["Réseau associatif"]
    assert _search("scolaire") == ["Réseau associatif"]


# --- Arabic names ----------------------------------------------------------------------------------------------
def test_arabic_with_or_without_shadda_and_hamza(directory):
    assert _search("جمعية الامل") == ["جمعيّة الأمل"]
    assert _search("جمعيّة الأمل") == ["جمعيّة الأمل"]
    assert _search("جَمْعِيَّةُ الأَمَلِ") == ["جمعيّة الأمل"]


def test_arabic_tatweel_teh_marbuta_and_alef_variants(directory):
    assert _search("مدنين") == ["جمعية مـدنين للتنمية"]
    assert _search("مـــدنين") == ["جمعية مـدنين للتنمية"]
    assert _search("التنميه") == ["جمعية مـدنين للتنمية"]
    assert _search("اريانة") == ["ودادية أريانة"]
    assert _search("آريانه") == ["ودادية أريانة"]


def test_arabic_stems_find_prefixed_words(directory):
    assert _search("الزيتون") == ["تعاونية الزيتون"]
    assert _search("زيتون") == ["تعاونية الزيتون"]
    assert _search("امل") == ["جمعيّة الأمل"]


def test_arabic_query_finds_arabic_names_only_and_french_query_french_names_only(directory):
    assert _search("الأمل") == ["جمعيّة الأمل"]
    assert _search("Amal") == ["Association Al Amal"]
    assert _search("مدنين") == ["جمعية مـدنين للتنمية"]
    assert _search("Médenine") == ["Amicale des anciens de Médenine"]


def test_queries_without_words_find_nothing(directory):
    assert _search("!!!") == []
    assert _search("'") == []
    assert _search("zzzzzz") == []


def test_ranking_puts_name_matches_before_description_matches(kind):
    in_description = _org(kind, name_fr="Réseau des quartiers", description="Accès à l'eau potable.")
    in_name = _org(kind, name_fr="Association pour l'eau potable")
    organization_reindex()

    found = list(organization_directory(viewer=ANONYMOUS, q="eau potable"))

    assert found == [in_name, in_description]
    assert getattr(found[0], "rank") > getattr(found[1], "rank")  # noqa: B009  (annotated, unknown to mypy)


def test_an_unindexed_organisation_is_not_found(kind):
    _org(kind, name_fr="Amicale de Médenine")

    assert _search("Medenine") == []


# --- Plan shape ------------------------------------------------------------------------------------------------
def test_search_condition_is_a_bitmap_or_of_both_gin_indexes(directory, role_grant_factory):
    # The selector finds the candidates in one query (the last it runs); its plan must OR the two GIN bitmaps.
    # A verifier sees every status, so only the search condition can use an index; on this tiny table sequential
    # and plain index scans are switched off to see the indexed plan (bench/registry.py shows it on 300,000 rows).
    verifier = role_grant_factory(role=Role.VERIFIER).user
    with CaptureQueriesContext(connection) as queries:
        organization_directory(viewer=verifier, q="Medenine")
    candidates_sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + candidates_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "WITH matches AS MATERIALIZED" in candidates_sql
    assert "BitmapOr" in plan
    assert "Bitmap Index Scan on organization_search_vector" in plan
    assert "Bitmap Index Scan on organization_search_trgm" in plan
