"""Conflicts of interest declared by reviewers. (Conflicts derived from the registry are read, not written:
`jusoor.reviews.selectors.conflicts`.)

Declaring a conflict removes the reviewer's reviews of that organisation's applications still under review, scores
included: a conflicted reviewer neither reviews nor sees the application.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.organizations.models import Organization
from jusoor.reviews.error_codes import ReviewErrorCode
from jusoor.reviews.models import ConflictDeclaration, ReviewAssignment
from jusoor.reviews.selectors.reviews import REVIEWABLE_STATUSES
from jusoor.reviews.services.common import error


@transaction.atomic
def conflict_declare(
    *, reviewer: Any, organization: Organization, reason: str, acting_user: Any
) -> ConflictDeclaration:
    reason = (reason or "").strip()
    if not reason:
        raise error(_("Say briefly why you are in conflict."), ReviewErrorCode.REASON_REQUIRED, "reason")
    declaration, created = ConflictDeclaration.objects.get_or_create(
        reviewer=reviewer, organization=organization, defaults={"reason": reason}
    )
    if not created:
        return declaration
    removed = list(
        ReviewAssignment.objects.filter(
            reviewer=reviewer,
            application__organization=organization,
            application__status__in=REVIEWABLE_STATUSES,
        ).values_list("application_id", flat=True)
    )
    ReviewAssignment.objects.filter(reviewer=reviewer, application_id__in=removed).delete()
    audit_log(
        actor=acting_user,
        action="reviews.conflict.declared",
        target=declaration,
        changes={
            "reviewer": {"old": None, "new": reviewer.pk},
            "organization": {"old": None, "new": organization.pk},
            "reason": {"old": None, "new": reason},
            "removed_reviews_of_applications": {"old": removed, "new": []},
        },
    )
    return declaration


@transaction.atomic
def conflict_withdraw(*, declaration: ConflictDeclaration, acting_user: Any) -> None:
    audit_log(
        actor=acting_user,
        action="reviews.conflict.withdrawn",
        target=declaration,
        changes={"reason": {"old": declaration.reason, "new": None}},
    )
    declaration.delete()
