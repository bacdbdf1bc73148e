import pytest

from jusoor.accounts.demo import demo_users_load
from jusoor.organizations.demo import ORGANIZATIONS, demo_organizations_load
from jusoor.organizations.models import BoardMember, Membership, MembershipRole, Organization, Registry
from jusoor.organizations.services.reference import reference_load

# Seed 001: the 11 twinned municipalities, as (key, Arabic name of the territory, French name, governorate).
TWINNED = [
    ("TUNIS", "تونس العاصمة", "Tunis", "TN-11"),
    ("CARTHAGE", "قرطاج", "Carthage", "TN-11"),
    ("SOLIMAN", "سليمان", "Soliman", "TN-21"),
    ("RAS-JEBEL", "راس الجبل", "Ras Djebel", "TN-23"),
    ("TESTOUR", "تستور", "Testour", "TN-31"),
    ("MAHDIA", "المهدية", "Mahdia", "TN-53"),
    ("SOUSSE", "سوسة", "Sousse", "TN-51"),
    ("MONASTIR", "المنستير", "Monastir", "TN-52"),
    ("HAMMAMET", "الحمامات", "Hammamet", "TN-21"),
    ("ARIANA", "أريانة", "L'Ariana Ville", "TN-12"),
    ("BARDO", "باردو", "Le Bardo", "TN-11"),
]


@pytest.fixture
def demo(territories):
    reference_load()
    demo_users_load(password="demo-pass-123")  # noqa: S106
    return demo_organizations_load()


def _demo_rows():
    return Organization.objects.filter(registry=Registry.OTHER, registration_number__startswith="DEMO-")


def test_loads_every_demo_organisation(demo):
    assert len(demo) == len(ORGANIZATIONS) == _demo_rows().count()
    assert len({organization.pk for organization in demo}) == len(demo)


def test_second_load_updates_in_place(demo):
    before = {o.registration_number: (o.pk, o.updated_at) for o in _demo_rows()}
    memberships = Membership.objects.count()
    board = BoardMember.objects.count()

    again = demo_organizations_load()

    assert {o.registration_number: (o.pk, o.updated_at) for o in _demo_rows()} == before
    assert [o.pk for o in again] == [o.pk for o in demo]
    assert Membership.objects.count() == memberships
    assert BoardMember.objects.count() == board


def test_a_changed_row_is_restored_by_the_next_load(demo):
    Organization.objects.filter(registration_number="DEMO-FR-FTCR").update(name_fr="Autre nom", status="pending")
    demo_organizations_load()
    ftcr = Organization.objects.get(registration_number="DEMO-FR-FTCR")
    assert ftcr.name_fr == "Fédération des Tunisiens pour une Citoyenneté des deux Rives"
    assert ftcr.status == Organization.Status.VERIFIED
    assert ftcr.status_changed_at is not None


def test_the_eleven_twinned_municipalities_are_on_their_territories(demo):
    for key, name_ar, name_fr, governorate in TWINNED:
        organization = Organization.objects.select_related("territory__parent", "kind").get(
            registration_number=f"DEMO-TN-MUN-{key}"
        )
        assert organization.kind.slug == "municipality"
        assert organization.country == "TN"
        territory = organization.territory
        assert territory.kind == "municipality", key
        assert (territory.name_ar, territory.name_fr) == (name_ar, name_fr), key
        assert territory.parent.code == governorate, key
    assert _demo_rows().filter(kind__slug="municipality", country="TN").count() == 11


def test_every_demo_organisation_has_an_arabic_and_a_french_name(demo):
    for organization in _demo_rows():
        assert organization.name_ar.strip(), organization.registration_number
        assert organization.name_fr.strip(), organization.registration_number
        assert organization.description.strip(), organization.registration_number
        assert organization.territory_id is not None, organization.registration_number
        assert organization.themes.exists(), organization.registration_number
        assert organization.sdg_goals.exists(), organization.registration_number


def test_facts_from_the_seeds(demo):
    ftcr = Organization.objects.get(registration_number="DEMO-FR-FTCR")
    assert (ftcr.kind.slug, ftcr.country, ftcr.territory.code, ftcr.primary_language) == (
        "diaspora-association",
        "FR",
        "FR-75C",
        "fr",
    )
    medenine = Organization.objects.get(registration_number="DEMO-TN-ENFANTS-LUNE-MEDENINE")
    assert medenine.name_ar == "جمعية أطفال القمر مدنين"
    assert (medenine.territory.name_ar, medenine.territory.parent.code) == ("مدنين", "TN-82")
    aswak = Organization.objects.get(registration_number="DEMO-MA-ASWAK-KISSAR")
    assert aswak.kind.slug == "local-development-company"
    # Kissar is the HCP commune "Guisser", province of Settat (not Rhamna).
    assert (aswak.territory.code, aswak.territory.parent.code) == ("06.461.17.07", "MA-SET")
    assert list(aswak.board.values_list("full_name", "role")) == [("محمد ياسين الداودي", "president")]
    ruche = Organization.objects.get(registration_number="DEMO-MA-RUCHE-RHAMNA")
    assert ruche.territory.code == "MA-REH"
    assert set(ruche.themes.values_list("slug", flat=True)) >= {
        "health",
        "socio-cultural-sport",
        "environment",
        "income-generating-activities",
        "education",
    }
    rhamna = _demo_rows().filter(territory__parent__code="MA-REH")
    assert rhamna.filter(kind__slug="association").count() >= 3
    assert rhamna.filter(kind__slug="cooperative").count() >= 2
    mcise = Organization.objects.get(registration_number="DEMO-MA-MCISE")
    assert set(mcise.operating_territories.values_list("code", flat=True)) == {
        "MA-01",
        "MA-02",
        "MA-05",
        "MA-06",
        "MA-09",
    }
    tamuri_regions = {
        o.territory.parent.code for o in _demo_rows().filter(description__contains="TAMURI").exclude(pk=mcise.pk)
    }
    assert tamuri_regions == {"MA-01", "MA-02", "MA-05", "MA-06", "MA-09"}


def test_statuses_are_mostly_verified(demo):
    statuses = list(_demo_rows().values_list("status", flat=True))
    assert statuses.count("verified") > len(statuses) / 2
    assert "pending" in statuses
    assert "unverified" in statuses


def test_demo_users_own_some_organisations_and_search_is_indexed(demo):
    owners = set(
        Membership.objects.filter(role=MembershipRole.OWNER, organization__in=_demo_rows()).values_list(
            "user__email", "organization__registration_number"
        )
    )
    assert ("manager@jusoor.demo", "DEMO-MA-MCISE") in owners
    assert ("mairie@jusoor.demo", "DEMO-TN-MUN-HAMMAMET") in owners
    assert not _demo_rows().filter(search_text="").exists()


def test_without_demo_users_no_membership_is_made(territories):
    reference_load()
    demo_organizations_load()
    assert not Membership.objects.exists()
