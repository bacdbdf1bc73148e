import pytest

from jusoor.common.audit import audit_log, diff
from jusoor.common.models import AuditEvent


def test_diff_keeps_only_changed_fields():
    assert diff({"a": 1, "b": "x"}, {"a": 2, "b": "x"}) == {"a": {"old": 1, "new": 2}}


@pytest.mark.django_db
def test_audit_log_records_actor_target_and_changes(user):
    event = audit_log(actor=user, action="accounts.profile.updated", target=user, changes={"x": {"old": 1, "new": 2}})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == user
    assert stored.action == "accounts.profile.updated"
    assert stored.target_type == "accounts.user"
    assert stored.target_id == str(user.pk)
    assert stored.changes == {"x": {"old": 1, "new": 2}}


@pytest.mark.django_db
def test_audit_log_of_an_anonymous_actor_has_no_actor(user):
    from django.contrib.auth.models import AnonymousUser

    event = audit_log(actor=AnonymousUser(), action="accounts.profile.updated", target=user)
    assert event.actor is None
