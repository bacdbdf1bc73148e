"""Who may do what with calls and applications. Names follow `calls.<verb>_<model>`.

The object is a Call (`view_call`, `change_call`, `apply`), a Programme (`add_call`) or an Application. Team roles
come from `jusoor.programmes.rules`. Reviewers do not see applications through these rules: the reviews app grants
them access to the applications assigned to them (and never to conflicted ones).
"""

from __future__ import annotations

from typing import Any

import rules

from jusoor.calls.models import Application, Call
from jusoor.organizations.models import MembershipRole
from jusoor.organizations.selectors.memberships import user_organization_roles
from jusoor.programmes.rules import is_manager, is_team_member

ADMIN_ROLES = frozenset({MembershipRole.OWNER, MembershipRole.ADMIN})
# Before a decision, the applicant can still take the application back.
WITHDRAWABLE = frozenset(
    status for status, targets in Application.TRANSITIONS.items() if Application.Status.WITHDRAWN in targets
)


def _applicant_role(user: Any, application: Application | None) -> str | None:
    if application is None or not getattr(user, "is_authenticated", False):
        return None
    return user_organization_roles(user).get(application.organization_id)


@rules.predicate
def is_published(user: Any, call: Call | None) -> bool:
    return call is not None and call.published


@rules.predicate
def is_open_call(user: Any, call: Call | None) -> bool:
    return call is not None and call.is_open


@rules.predicate
def is_some_organization_admin(user: Any) -> bool:
    """The user administers (owner or admin) at least one organisation, which could apply."""
    return any(role in ADMIN_ROLES for role in user_organization_roles(user).values())


@rules.predicate
def is_applicant_member(user: Any, application: Application | None) -> bool:
    return _applicant_role(user, application) is not None


@rules.predicate
def is_applicant_admin(user: Any, application: Application | None) -> bool:
    return _applicant_role(user, application) in ADMIN_ROLES


@rules.predicate
def is_draft(user: Any, application: Application | None) -> bool:
    return application is not None and application.status in Application.EDITABLE_STATUSES


@rules.predicate
def is_withdrawable(user: Any, application: Application | None) -> bool:
    return application is not None and application.status in WITHDRAWABLE


rules.add_perm("calls.add_call", is_manager)
rules.add_perm("calls.view_call", is_published | is_team_member)
rules.add_perm("calls.change_call", is_manager)
rules.add_perm("calls.apply", is_open_call & is_some_organization_admin)
rules.add_perm("calls.view_application", is_applicant_member | is_manager)
rules.add_perm("calls.change_application", is_applicant_admin & is_draft)
rules.add_perm("calls.withdraw_application", is_applicant_admin & is_withdrawable)
rules.add_perm("calls.decide_application", is_manager)
rules.add_perm("calls.list_applications", is_manager)
