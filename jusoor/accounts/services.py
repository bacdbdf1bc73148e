from __future__ import annotations

from typing import Any

from django.db import transaction

from jusoor.accounts.models import Role, RoleGrant, User
from jusoor.common.audit import audit_log, diff

PROFILE_FIELDS = ("full_name", "preferred_language", "country_of_residence", "phone", "commune")


@transaction.atomic
def profile_update(*, user: User, acting_user: Any, **values: Any) -> User:
    """Change the profile fields given in `values`; records one audit row with old and new values."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {sorted(unknown)}")
    user = User.objects.select_for_update().get(pk=user.pk)
    old = {field: getattr(user, field) for field in values}
    changes = diff(old, values)
    if not changes:
        return user
    for field, value in values.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=sorted(changes))
    audit_log(actor=acting_user, action="accounts.profile.updated", target=user, changes=changes)
    return user


@transaction.atomic
def role_grant(*, user: User, role: Role, acting_user: Any) -> RoleGrant:
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, defaults={"granted_by": acting_user})
    if created:
        audit_log(
            actor=acting_user,
            action="accounts.role.granted",
            target=user,
            changes={"role": {"old": None, "new": str(role)}},
        )
    return grant


@transaction.atomic
def role_revoke(*, user: User, role: Role, acting_user: Any) -> bool:
    deleted, _ = RoleGrant.objects.filter(user=user, role=role).delete()
    if deleted:
        audit_log(
            actor=acting_user,
            action="accounts.role.revoked",
            target=user,
            changes={"role": {"old": str(role), "new": None}},
        )
    return bool(deleted)
