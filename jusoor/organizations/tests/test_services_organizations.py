import pytest

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.organizations.models import Membership, Organization
from jusoor.organizations.services.organizations import organization_create, organization_update
from jusoor.organizations.tests.factories import OrganizationKindFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def base_data(**overrides):
    data = {
        "name_ar": "جمعية أطفال مدنين",
        "name_fr": "Association des enfants de Médenine",
        "primary_language": "ar",
        "kind": OrganizationKindFactory(),
        "country": "TN",
    }
    data.update(overrides)
    return data


def test_create_makes_the_creator_owner_indexes_and_audits(user):
    health = ThemeFactory()
    organization = organization_create(acting_user=user, data=base_data(themes=[health]))
    assert list(Membership.objects.filter(organization=organization).values_list("user_id", "role")) == [
        (user.pk, "owner")
    ]
    organization.refresh_from_db()
    assert organization.status == "unverified"
    assert "مدنين" in organization.search_text
    assert list(organization.themes.values_list("slug", flat=True)) == ["health"]
    event = AuditEvent.objects.get()
    assert event.action == "organizations.organization.created"
    assert event.changes["name_fr"] == {"old": None, "new": "Association des enfants de Médenine"}


def test_create_without_any_name_is_refused_and_writes_nothing(user):
    with pytest.raises(ApplicationError) as error:
        organization_create(acting_user=user, data=base_data(name_ar="", name_fr=""))
    assert error.value.code == "name_required"
    assert Organization.objects.count() == 0
    assert Membership.objects.count() == 0


def test_duplicate_registration_is_refused(user):
    organization_create(acting_user=user, data=base_data(registry="tn-rne", registration_number="1234567A"))
    with pytest.raises(ApplicationError) as error:
        organization_create(
            acting_user=user, data=base_data(name_fr="Autre", registry="tn-rne", registration_number="1234567A")
        )
    assert error.value.code == "duplicate_registration"
    assert str(error.value.message) == "An organisation with this registration number is already registered."
    assert Organization.objects.count() == 1


def test_update_records_only_changes_and_reindexes(user):
    organization = organization_create(acting_user=user, data=base_data())
    AuditEvent.objects.all().delete()
    organization_update(
        organization=organization, acting_user=user, data={"name_fr": "Enfants de Médenine", "acronym": ""}
    )
    organization.refresh_from_db()
    assert organization.name_fr == "Enfants de Médenine"
    assert "enfants de medenine" in organization.search_text
    event = AuditEvent.objects.get()
    assert event.changes == {"name_fr": {"old": "Association des enfants de Médenine", "new": "Enfants de Médenine"}}


def test_update_without_change_writes_no_audit(user):
    organization = organization_create(acting_user=user, data=base_data())
    AuditEvent.objects.all().delete()
    organization_update(organization=organization, acting_user=user, data={"name_fr": organization.name_fr})
    assert AuditEvent.objects.count() == 0


def test_territory_must_be_in_the_organisations_country(user):
    from jusoor.territories.models import Territory

    tunis = Territory.objects.create(
        code="TN-11",
        code_system="iso3166-2",
        country="TN",
        kind="governorate",
        name_ar="تونس",
        name_fr="Tunis",
        name_en="Tunis",
    )
    with pytest.raises(ApplicationError) as error:
        organization_create(acting_user=user, data=base_data(country="FR", territory=tunis))
    assert error.value.extra["fields"] == {"territory": ["This territory is not in the organisation's country."]}
    assert Organization.objects.count() == 0
