"""Platform-wide permission rules (django-rules). Names follow `<app>.<verb>_<model>`.

Views, templates ({% has_perm %}) and the API all ask these same rules.
"""

from __future__ import annotations

from typing import Any

import rules

from jusoor.accounts.models import Role
from jusoor.accounts.selectors import user_roles


def has_role(role: Role) -> Any:
    @rules.predicate(name=f"has_role:{role.value}")
    def predicate(user: Any) -> bool:
        return bool(user.is_authenticated) and role in user_roles(user)

    return predicate


is_platform_admin = rules.is_superuser | has_role(Role.PLATFORM_ADMIN)
is_programme_manager = has_role(Role.PROGRAMME_MANAGER)
is_reviewer = has_role(Role.REVIEWER)
is_coach = has_role(Role.COACH)
is_finance_officer = has_role(Role.FINANCE_OFFICER)
is_donor = has_role(Role.DONOR)
is_municipality_official = has_role(Role.MUNICIPALITY_OFFICIAL)


@rules.predicate
def is_self(user: Any, other: Any) -> bool:
    return other is not None and user.is_authenticated and user.pk == other.pk


rules.add_perm("accounts.change_profile", rules.is_authenticated & is_self)
rules.add_perm("accounts.view_user", is_platform_admin)
rules.add_perm("accounts.grant_role", is_platform_admin)
rules.add_perm("common.view_auditevent", is_platform_admin)
rules.add_perm("finance.view_dashboard", is_platform_admin | is_finance_officer)
