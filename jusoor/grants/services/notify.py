"""Mail to the owners and administrators of a granted organisation, each in their language (after commit)."""

from __future__ import annotations

from typing import Any

from jusoor.common.mail import mail_queue
from jusoor.grants.models import Grant
from jusoor.organizations.models import Membership, MembershipRole


def notify_grantees(*, grant: Grant, template_prefix: str, context: dict[str, Any]) -> None:
    members = Membership.objects.filter(
        organization_id=grant.organization_id, role__in=[MembershipRole.OWNER, MembershipRole.ADMIN]
    ).select_related("user")
    for membership in members:
        user = membership.user
        mail_queue(
            template_prefix=template_prefix,
            to=user.email,
            language=user.preferred_language or grant.organization.primary_language,
            context={"grant": grant, **context},
        )
