import pytest
from django.core.exceptions import ValidationError

from jusoor.accounts.models import Role, RoleGrant, User
from jusoor.accounts.services import profile_update, role_grant, role_revoke
from jusoor.accounts.tests.factories import UserFactory
from jusoor.common.models import AuditEvent


@pytest.mark.django_db
def test_profile_update_saves_and_audits_old_and_new_values():
    user = UserFactory(full_name="Salma", preferred_language="fr", country_of_residence="FR", phone="")
    profile_update(user=user, acting_user=user, full_name="سلمى", preferred_language="ar", phone="+21671123456")
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language, user.phone) == ("سلمى", "ar", "+21671123456")
    event = AuditEvent.objects.get()
    assert event.action == "accounts.profile.updated"
    assert event.actor_id == user.pk
    assert event.changes == {
        "full_name": {"old": "Salma", "new": "سلمى"},
        "phone": {"old": "", "new": "+21671123456"},
        "preferred_language": {"old": "fr", "new": "ar"},
    }


@pytest.mark.django_db
def test_profile_update_without_change_writes_no_audit_row():
    user = UserFactory(full_name="Salma")
    profile_update(user=user, acting_user=user, full_name="Salma")
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_profile_update_with_a_too_long_name_changes_nothing():
    user = UserFactory(full_name="Salma")
    with pytest.raises(ValidationError):
        profile_update(user=user, acting_user=user, full_name="x" * 151)
    assert User.objects.get(pk=user.pk).full_name == "Salma"
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_role_grant_and_revoke_are_idempotent_and_audited():
    admin, user = UserFactory(), UserFactory()
    role_grant(user=user, role=Role.COACH, acting_user=admin)
    role_grant(user=user, role=Role.COACH, acting_user=admin)
    assert list(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == ["coach"]
    assert role_revoke(user=user, role=Role.COACH, acting_user=admin) is True
    assert role_revoke(user=user, role=Role.COACH, acting_user=admin) is False
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "accounts.role.granted",
        "accounts.role.revoked",
    ]
