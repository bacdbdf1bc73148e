from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from jusoor.accounts.models import ROLES_REQUIRING_2FA, RoleGrant, User
from jusoor.common.models import AuditEvent


def user_roles(user: Any) -> frozenset[str]:
    """The platform roles a user holds, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_jusoor_roles", None)
    if cached is None:
        cached = frozenset(RoleGrant.objects.filter(user_id=user.pk).values_list("role", flat=True))
        user._jusoor_roles = cached
    return cached


def user_requires_2fa(user: Any) -> bool:
    """Platform staff and holders of finance or admin roles must use two-factor authentication."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or user_roles(user) & ROLES_REQUIRING_2FA)


def user_has_2fa(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def user_role_grants(*, user: User) -> list[RoleGrant]:
    return list(RoleGrant.objects.filter(user=user).order_by("role"))


def audit_event_list(*, viewer: Any, action: str = "", target_type: str = "", actor: str = "") -> QuerySet[AuditEvent]:
    """Audit events, newest first, optionally filtered. The view checks `common.view_auditevent`."""
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action__startswith=action)
    if target_type:
        events = events.filter(target_type=target_type)
    if actor:
        events = events.filter(actor__email__iexact=actor)
    return events


def audit_target_types() -> list[str]:
    return list(AuditEvent.objects.values_list("target_type", flat=True).distinct().order_by("target_type"))
