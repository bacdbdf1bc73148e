"""The organisation directory (selectors/directory.py): visibility, filters, sorting, errors and query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from jusoor.accounts.models import Role
from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import Organization, OrganizationKind, SDGGoal, Theme
from jusoor.organizations.selectors import directory
from jusoor.organizations.selectors.directory import organization_directory
from jusoor.organizations.services.search_index import organization_reindex
from jusoor.territories.models import Territory

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()
Status = Organization.Status


@pytest.fixture
def kinds() -> dict[str, OrganizationKind]:
    return {
        slug: OrganizationKind.objects.create(slug=slug, label={"ar": ar, "fr": fr, "en": en})
        for slug, ar, fr, en in [
            ("association", "جمعية", "Association", "Association"),
            ("cooperative", "تعاونية", "Coopérative", "Cooperative"),
        ]
    }


@pytest.fixture
def themes() -> dict[str, Theme]:
    return {
        slug: Theme.objects.create(slug=slug, label={"ar": ar, "fr": fr, "en": en})
        for slug, ar, fr, en in [
            ("environment", "البيئة", "Environnement", "Environment"),
            ("youth", "الشباب", "Jeunesse", "Youth"),
        ]
    }


@pytest.fixture
def goals() -> dict[int, SDGGoal]:
    label = {"ar": "هدف", "fr": "Objectif", "en": "Goal"}
    return {
        number: SDGGoal.objects.create(number=number, title=label, short=label, color="#C5192D") for number in (4, 5)
    }


def _territory(code: str, kind: str, name: str, parent: Territory | None = None) -> Territory:
    return Territory.objects.create(
        code=code,
        code_system="iso3166-2",
        country="TN",
        kind=kind,
        parent=parent,
        name_ar=name,
        name_fr=name,
        name_en=name,
    )


@pytest.fixture
def places() -> dict[str, Territory]:
    """Two test governorates: G1 with municipalities M11 and M12, G2 with M21."""
    g1 = _territory("XT-G1", "governorate", "Gouvernorat un")
    g2 = _territory("XT-G2", "governorate", "Gouvernorat deux")
    return {
        "G1": g1,
        "M11": _territory("XT-M11", "municipality", "Municipalité onze", g1),
        "M12": _territory("XT-M12", "municipality", "Municipalité douze", g1),
        "G2": g2,
        "M21": _territory("XT-M21", "municipality", "Municipalité vingt-et-un", g2),
    }


_clock = timezone.now() - timedelta(days=1)


def _org(kinds: dict[str, OrganizationKind], name_fr: str, *, kind: str = "association", **fields: Any) -> Organization:
    """An organisation created one minute after the previous one (so `newest` is the creation order reversed)."""
    global _clock  # noqa: PLW0603  (a test-local clock)
    _clock += timedelta(minutes=1)
    fields.setdefault("country", "TN")
    fields.setdefault("status", Status.VERIFIED)
    organization = Organization.objects.create(kind=kinds[kind], name_fr=name_fr, **fields)
    Organization.objects.filter(pk=organization.pk).update(created_at=_clock)
    return organization


def _names(queryset: Any) -> list[str]:
    return [organization.name_fr or organization.name_ar for organization in queryset]


# --- Visibility ------------------------------------------------------------------------------------------------
@pytest.fixture
def every_status(kinds) -> None:
    for status in (Status.UNVERIFIED, Status.PENDING, Status.VERIFIED, Status.SUSPENDED):
        _org(kinds, f"Amicale {status}", status=status)
    organization_reindex()


def test_anonymous_visitors_see_pending_and_verified_organisations_only(every_status):
    assert _names(organization_directory(viewer=ANONYMOUS)) == ["Amicale verified", "Amicale pending"]
    assert _names(organization_directory(viewer=ANONYMOUS, q="amicale")) == ["Amicale verified", "Amicale pending"]


def test_ordinary_users_see_public_organisations_only(every_status, user):
    assert _names(organization_directory(viewer=user)) == ["Amicale verified", "Amicale pending"]
    assert _names(organization_directory(viewer=user, q="suspended")) == []


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.PLATFORM_ADMIN])
def test_verifiers_and_platform_admins_see_every_status(every_status, role_grant_factory, role):
    viewer = role_grant_factory(role=role).user

    assert _names(organization_directory(viewer=viewer)) == [
        "Amicale suspended",
        "Amicale verified",
        "Amicale pending",
        "Amicale unverified",
    ]
    assert _names(organization_directory(viewer=viewer, q="suspended")) == ["Amicale suspended"]


def test_verified_only(every_status, role_grant_factory):
    verifier = role_grant_factory(role=Role.VERIFIER).user

    assert _names(organization_directory(viewer=ANONYMOUS, verified_only=True)) == ["Amicale verified"]
    assert _names(organization_directory(viewer=verifier, verified_only=True, q="amicale")) == ["Amicale verified"]


# --- Filters ---------------------------------------------------------------------------------------------------
def test_territory_includes_what_is_inside_it_and_where_organisations_work(kinds, places):
    in_m11 = _org(kinds, "Seated in M11", territory=places["M11"])
    _org(kinds, "Seated in G1", territory=places["G1"])
    works_in_m12 = _org(kinds, "Seated in M21, works in M12", territory=places["M21"])
    works_in_m12.operating_territories.set([places["M12"], places["G1"]])
    _org(kinds, "Seated in G2", territory=places["G2"])
    _org(kinds, "Nowhere")
    in_m11.operating_territories.set([places["M12"]])  # also listed once, not twice

    assert _names(organization_directory(viewer=ANONYMOUS, territory_code="XT-G1")) == [
        "Seated in M21, works in M12",
        "Seated in G1",
        "Seated in M11",
    ]
    assert _names(organization_directory(viewer=ANONYMOUS, territory_code="XT-M12")) == [
        "Seated in M21, works in M12",
        "Seated in M11",
    ]
    assert _names(organization_directory(viewer=ANONYMOUS, territory_code="XT-G2")) == [
        "Seated in G2",
        "Seated in M21, works in M12",
    ]
    assert _names(organization_directory(viewer=ANONYMOUS, territory_code="XT-M21")) == ["Seated in M21, works in M12"]
    assert organization_directory(viewer=ANONYMOUS, territory_code="XT-G1").count() == 3


def test_country_kind_theme_and_goal_filters(kinds, themes, goals):
    tunisian = _org(kinds, "Tunisian association")
    tunisian.themes.set([themes["environment"], themes["youth"]])
    tunisian.sdg_goals.set([goals[4]])
    moroccan = _org(kinds, "Moroccan cooperative", kind="cooperative", country="MA")
    moroccan.themes.set([themes["environment"]])
    moroccan.sdg_goals.set([goals[4], goals[5]])
    _org(kinds, "French association", country="FR")

    assert _names(organization_directory(viewer=ANONYMOUS, country="MA")) == ["Moroccan cooperative"]
    assert _names(organization_directory(viewer=ANONYMOUS, country="tn")) == ["Tunisian association"]
    assert _names(organization_directory(viewer=ANONYMOUS, kind="association")) == [
        "French association",
        "Tunisian association",
    ]
    assert _names(organization_directory(viewer=ANONYMOUS, theme="environment")) == [
        "Moroccan cooperative",
        "Tunisian association",
    ]
    assert _names(organization_directory(viewer=ANONYMOUS, theme="youth")) == ["Tunisian association"]
    assert _names(organization_directory(viewer=ANONYMOUS, sdg=4)) == ["Moroccan cooperative", "Tunisian association"]
    assert _names(organization_directory(viewer=ANONYMOUS, sdg=5)) == ["Moroccan cooperative"]
    assert _names(organization_directory(viewer=ANONYMOUS, sdg=17)) == []
    assert _names(organization_directory(viewer=ANONYMOUS, theme="environment", kind="cooperative", sdg=4)) == [
        "Moroccan cooperative"
    ]


def test_search_within_filters(kinds, places, themes):
    _org(kinds, "Association des jeunes de Hammamet", territory=places["M11"]).themes.set([themes["youth"]])
    _org(kinds, "Amicale de Hammamet", territory=places["M21"]).themes.set([themes["youth"]])
    _org(kinds, "Association de Hammamet", territory=places["M11"])
    organization_reindex()

    assert _names(organization_directory(viewer=ANONYMOUS, q="Hamamet", territory_code="XT-G1", theme="youth")) == [
        "Association des jeunes de Hammamet"
    ]
    assert organization_directory(viewer=ANONYMOUS, q="Hamamet", territory_code="XT-G1").count() == 2


def test_nul_characters_are_dropped_not_an_error(kinds):
    _org(kinds, "Amicale de Hammamet")
    organization_reindex()

    assert _names(organization_directory(viewer=ANONYMOUS, q="Ham\x00amet", kind="associ\x00ation")) == [
        "Amicale de Hammamet"
    ]


def test_blank_query_lists_everything(kinds):
    _org(kinds, "First")
    _org(kinds, "Second")

    assert _names(organization_directory(viewer=ANONYMOUS, q="   ")) == ["Second", "First"]


# --- Sorting ---------------------------------------------------------------------------------------------------
def test_sort_by_name_in_the_current_language_then_the_others(kinds):
    _org(kinds, "Zitouna", name_ar="أ الزيتونة")
    _org(kinds, "Amal", name_ar="ي الأمل")
    _org(kinds, "", name_ar="ب بدون اسم فرنسي")

    with translation.override("fr"):
        in_french = _names(organization_directory(viewer=ANONYMOUS, sort="name"))
    with translation.override("ar"):
        in_arabic = [org.name_ar for org in organization_directory(viewer=ANONYMOUS, sort="name")]

    assert in_french == ["Amal", "Zitouna", "ب بدون اسم فرنسي"]
    assert in_arabic == ["أ الزيتونة", "ب بدون اسم فرنسي", "ي الأمل"]


def test_sort_newest_and_relevance_without_a_query_is_newest(kinds):
    _org(kinds, "Older")
    _org(kinds, "Newer")

    assert _names(organization_directory(viewer=ANONYMOUS, sort="newest")) == ["Newer", "Older"]
    assert _names(organization_directory(viewer=ANONYMOUS, sort="relevance")) == ["Newer", "Older"]


def test_sort_a_search_by_relevance_name_or_newest(kinds):
    _org(kinds, "Hammamet")
    _org(kinds, "Réseau des quartiers de Hammamet")
    _org(kinds, "Association pour Hammamet et ses environs")
    organization_reindex()

    with translation.override("fr"):
        by_relevance = _names(organization_directory(viewer=ANONYMOUS, q="Hammamet"))
        by_name = _names(organization_directory(viewer=ANONYMOUS, q="Hammamet", sort="name"))
        newest = _names(organization_directory(viewer=ANONYMOUS, q="Hammamet", sort="newest"))

    assert by_relevance[0] == "Hammamet"
    assert sorted(by_relevance) == sorted(by_name)
    assert by_name == ["Association pour Hammamet et ses environs", "Hammamet", "Réseau des quartiers de Hammamet"]
    assert newest == [
        "Association pour Hammamet et ses environs",
        "Réseau des quartiers de Hammamet",
        "Hammamet",
    ]


def test_a_broad_search_ranks_and_counts_a_bounded_number_of_candidates(kinds, monkeypatch):
    monkeypatch.setattr(directory, "SEARCH_CANDIDATES", 3)
    for number in range(5):
        _org(kinds, f"Amicale numéro {number}")
    _org(kinds, "Amicale des anciens")
    organization_reindex()

    assert organization_directory(viewer=ANONYMOUS, q="amicale").count() == 4  # "more than 3"
    assert _names(organization_directory(viewer=ANONYMOUS, q="anciens")) == ["Amicale des anciens"]
    assert organization_directory(viewer=ANONYMOUS, q="anciens").count() == 1


# --- Errors ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        ({"territory_code": "XT-NOPE"}, "unknown_territory", "This territory does not exist."),
        ({"kind": "guild"}, "unknown_kind", "This kind of organisation does not exist."),
        ({"theme": "astrology"}, "unknown_theme", "This theme does not exist."),
        ({"country": "DE"}, "unknown_country", "This country is not covered."),
        ({"sdg": 0}, "unknown_sdg", "The sustainable development goals are numbered from 1 to 17."),
        ({"sdg": 18}, "unknown_sdg", "The sustainable development goals are numbered from 1 to 17."),
        ({"sdg": True}, "unknown_sdg", "The sustainable development goals are numbered from 1 to 17."),
        ({"sort": "popularity"}, "invalid_sort", "This sort order does not exist."),
        ({"sort": "popularity", "q": "amal"}, "invalid_sort", "This sort order does not exist."),
    ],
)
def test_unknown_filter_values_raise_an_application_error(kinds, places, themes, arguments, code, message):
    with translation.override("en"), pytest.raises(ApplicationError) as raised:
        organization_directory(viewer=ANONYMOUS, **arguments)

    assert raised.value.code == code
    assert raised.value.message == message
    assert raised.value.status == 400


# --- Query counts ----------------------------------------------------------------------------------------------
def _directory_with(kinds, themes, places, count: int) -> None:
    for number in range(count):
        organization = _org(kinds, f"Association numéro {number} de Hammamet", territory=places["M11"])
        organization.themes.set([themes["environment"], themes["youth"]])
    organization_reindex()


def _render(queryset: Any) -> list[tuple[str, str, str, list[str]]]:
    return [
        (org.name_fr, org.kind.slug, org.territory.code, [theme.slug for theme in org.themes.all()])
        for org in queryset[:20]
    ]


@pytest.mark.parametrize("rows", [5, 20])
def test_a_page_with_kinds_territories_and_themes_takes_two_queries(
    kinds, themes, places, rows, django_assert_num_queries
):
    _directory_with(kinds, themes, places, rows)
    queryset = organization_directory(viewer=ANONYMOUS, kind="association")

    with django_assert_num_queries(2):
        page = _render(queryset)
    with django_assert_num_queries(1):
        total = queryset.count()

    assert len(page) == rows
    assert total == rows
    assert page[0][1:] == ("association", "XT-M11", ["environment", "youth"])


@pytest.mark.parametrize("rows", [5, 20])
def test_a_search_finds_candidates_in_one_query_then_a_page_takes_two(
    kinds, themes, places, rows, django_assert_num_queries
):
    _directory_with(kinds, themes, places, rows)

    with django_assert_num_queries(1):
        queryset = organization_directory(viewer=ANONYMOUS, q="Hamamet")
    with django_assert_num_queries(2):
        page = _render(queryset)
    with django_assert_num_queries(1):
        total = queryset.count()

    assert len(page) == rows
    assert total == rows
    assert page[0][1:] == ("association", "XT-M11", ["environment", "youth"])
