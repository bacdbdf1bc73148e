"""Who may do what with organisations. Names follow `organizations.<verb>_<model>`.

Pages, templates and the API all ask these rules (`user.has_perm(name, organization)`).
"""

from __future__ import annotations

from typing import Any

import rules

from jusoor.accounts.models import Role
from jusoor.accounts.rules import has_role, is_platform_admin
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.organizations.selectors.memberships import user_has_verified_membership, user_organization_roles


def _role_in(user: Any, organization: Organization | None) -> str | None:
    if organization is None or not getattr(user, "is_authenticated", False):
        return None
    return user_organization_roles(user).get(organization.pk)


@rules.predicate
def is_org_owner(user: Any, organization: Organization | None) -> bool:
    return _role_in(user, organization) == MembershipRole.OWNER


@rules.predicate
def is_org_admin(user: Any, organization: Organization | None) -> bool:
    return _role_in(user, organization) in {MembershipRole.OWNER, MembershipRole.ADMIN}


@rules.predicate
def is_org_member(user: Any, organization: Organization | None) -> bool:
    return _role_in(user, organization) is not None


@rules.predicate
def is_public_organization(user: Any, organization: Organization | None) -> bool:
    return organization is not None and organization.is_public


@rules.predicate
def is_partner(user: Any) -> bool:
    return user_has_verified_membership(user)


is_verifier = is_platform_admin | has_role(Role.VERIFIER)

rules.add_perm("organizations.add_organization", rules.is_authenticated)
rules.add_perm("organizations.view_organization", is_public_organization | is_org_member | is_verifier)
rules.add_perm("organizations.change_organization", is_org_admin | is_platform_admin)
rules.add_perm("organizations.view_private_contact", is_org_member | is_partner | is_verifier)
rules.add_perm("organizations.view_documents", is_org_admin | is_verifier)
rules.add_perm("organizations.upload_document", is_org_admin)
rules.add_perm("organizations.submit_organization", is_org_admin)
rules.add_perm("organizations.verify_organization", is_verifier)
rules.add_perm("organizations.view_membership", is_org_member | is_platform_admin)
rules.add_perm("organizations.invite_member", is_org_admin)
rules.add_perm("organizations.change_membership", is_org_admin)
rules.add_perm("organizations.transfer_ownership", is_org_owner)
rules.add_perm("organizations.leave_organization", is_org_member)
rules.add_perm("organizations.import_organizations", is_verifier)
rules.add_perm("organizations.export_organizations", rules.always_allow)
