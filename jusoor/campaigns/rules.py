"""Who may do what with campaigns. Names follow `campaigns.<verb>_<model>`.

The object is a Campaign, or the Organization for `campaigns.add_campaign`. Reviewers are campaign moderators
(the platform's or a federation's: role `moderator`), verification officers and platform administrators.
Statuses are checked by the services, not here.
"""

from __future__ import annotations

from typing import Any

import rules

from jusoor.accounts.models import Role
from jusoor.accounts.rules import has_role, is_finance_officer, is_platform_admin
from jusoor.campaigns.models import Campaign
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.organizations.rules import is_verifier
from jusoor.organizations.selectors.memberships import user_organization_roles


def _team_role(user: Any, obj: Campaign | Organization | None) -> str | None:
    if obj is None or not getattr(user, "is_authenticated", False):
        return None
    organization_id = obj.organization_id if isinstance(obj, Campaign) else obj.pk
    return user_organization_roles(user).get(organization_id)


@rules.predicate
def is_team_admin(user: Any, obj: Campaign | Organization | None) -> bool:
    """An owner or administrator of the organisation that carries the campaign."""
    return _team_role(user, obj) in {MembershipRole.OWNER, MembershipRole.ADMIN}


@rules.predicate
def is_team_member(user: Any, obj: Campaign | Organization | None) -> bool:
    return _team_role(user, obj) is not None


@rules.predicate
def is_public_campaign(user: Any, campaign: Campaign | None) -> bool:
    return campaign is not None and campaign.is_public


# Platform or federation moderators review campaigns; verification officers and platform admins may too.
is_campaign_reviewer = is_verifier | has_role(Role.MODERATOR)

rules.add_perm("campaigns.add_campaign", is_team_admin)
rules.add_perm("campaigns.change_campaign", is_team_admin)
rules.add_perm("campaigns.submit_campaign", is_team_admin)
rules.add_perm("campaigns.review_campaign", is_campaign_reviewer)
rules.add_perm("campaigns.publish_campaign", is_team_admin | is_campaign_reviewer)
rules.add_perm("campaigns.view_campaign", is_public_campaign | is_team_member | is_campaign_reviewer)
rules.add_perm("campaigns.post_update", is_team_member)
rules.add_perm("campaigns.follow_campaign", rules.is_authenticated & is_public_campaign)
rules.add_perm("campaigns.view_campaign_dashboard", is_team_admin | is_finance_officer | is_platform_admin)
rules.add_perm("campaigns.report_campaign", is_team_admin)
rules.add_perm("campaigns.close_campaign", is_campaign_reviewer)
