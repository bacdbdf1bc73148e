"""Who may do what with Demo Days and seed grants. Names follow `grants.<verb>_<model>`.

Objects: a Programme (`award_grant`, `view_programme_grants`), a DemoDay, a Pitch (`score_pitch`) or a Grant.
Programme managers (and platform admins / programme-manager role) set up Demo Days, award, approve reports and
release tranches; the programme's jury members score; a juror in conflict with the pitching organisation (declared
recusal, or member of it) may not score that pitch. Owners and administrators of the granted organisation see
their grants and submit reports. Statuses are checked by the services, not here.
"""

from __future__ import annotations

from typing import Any

import rules

from jusoor.grants.models import Grant, Pitch
from jusoor.grants.selectors import juror_is_recused
from jusoor.organizations.models import MembershipRole
from jusoor.organizations.selectors.memberships import user_organization_roles
from jusoor.programmes.rules import is_juror, is_manager


def _programme_holder(obj: Any) -> Any:
    """A Pitch answers through its Demo Day; other objects carry `programme_id` themselves."""
    return obj.demo_day if isinstance(obj, Pitch) else obj


@rules.predicate
def manages(user: Any, obj: Any = None) -> bool:
    return bool(is_manager(user, _programme_holder(obj)))


@rules.predicate
def sits_on_jury(user: Any, obj: Any = None) -> bool:
    return bool(is_juror(user, _programme_holder(obj)))


@rules.predicate
def is_recused(user: Any, pitch: Pitch | None = None) -> bool:
    if not isinstance(pitch, Pitch) or not getattr(user, "is_authenticated", False):
        return False
    return juror_is_recused(demo_day=pitch.demo_day, juror=user, organization_id=pitch.organization_id)


@rules.predicate
def is_grantee_admin(user: Any, grant: Grant | None = None) -> bool:
    """An owner or administrator of the granted organisation."""
    if not isinstance(grant, Grant):
        return False
    return user_organization_roles(user).get(grant.organization_id) in {MembershipRole.OWNER, MembershipRole.ADMIN}


rules.add_perm("grants.setup_demo_day", manages)
rules.add_perm("grants.view_demo_day", manages | sits_on_jury)
rules.add_perm("grants.score_demo_day", sits_on_jury)
rules.add_perm("grants.score_pitch", sits_on_jury & ~is_recused)
rules.add_perm("grants.recuse_demo_day", sits_on_jury | manages)
rules.add_perm("grants.view_ranking", manages)
rules.add_perm("grants.award_grant", manages)
rules.add_perm("grants.view_programme_grants", manages)
rules.add_perm("grants.manage_grant", manages)
rules.add_perm("grants.view_grant", manages | is_grantee_admin)
rules.add_perm("grants.submit_report", is_grantee_admin)
rules.add_perm("grants.decide_report", manages)
rules.add_perm("grants.release_tranche", manages)
