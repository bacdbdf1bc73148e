from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jusoor.organizations.models import Membership, Organization


def user_organization_roles(user: Any) -> dict[int, str]:
    """{organization id: role} for the user's memberships, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_jusoor_org_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user_id=user.pk).values_list("organization_id", "role"))
        user._jusoor_org_roles = cached
    return cached


def user_has_verified_membership(user: Any) -> bool:
    """Whether the user belongs to at least one verified organisation (a partner in the network)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_jusoor_partner", None)
    if cached is None:
        cached = Membership.objects.filter(user_id=user.pk, organization__status=Organization.Status.VERIFIED).exists()
        user._jusoor_partner = cached
    return cached


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user").order_by("role", "created_at")


def user_organizations(*, user: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(memberships__user=user).select_related("kind").order_by("name_fr", "name_ar")
