"""The verification state machine: unverified → pending → verified ⇄ suspended (pending → unverified on refusal).

One service per transition. Each locks the row, re-reads the state, returns quietly when the organisation is
already in the target state, writes with update_fields, records one audit row and notifies the organisation.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.mail import mail_queue
from jusoor.organizations.error_codes import OrganizationErrorCode
from jusoor.organizations.models import DocumentKind, Membership, MembershipRole, Organization

REQUIRED_DOCUMENTS = (DocumentKind.STATUTES, DocumentKind.REGISTRATION_PROOF)


def _notify(organization: Organization) -> None:
    recipients = list(
        Membership.objects.filter(
            organization=organization, role__in=[MembershipRole.OWNER, MembershipRole.ADMIN]
        ).select_related("user")
    )
    context = {"organization": organization, "status": organization.status, "reason": organization.status_reason}
    for membership in recipients:
        mail_queue(
            template_prefix="organizations/email/status_changed",
            to=membership.user.email,
            language=membership.user.preferred_language,
            context=context,
        )
    if organization.contact_email and organization.contact_email not in {m.user.email for m in recipients}:
        mail_queue(
            template_prefix="organizations/email/status_changed",
            to=organization.contact_email,
            language=organization.primary_language,
            context=context,
        )


def _transition(*, organization: Organization, acting_user: Any, target: str, reason: str, action: str) -> Organization:
    organization = Organization.objects.select_for_update(of=("self",)).select_related("kind").get(pk=organization.pk)
    if organization.status == target:
        return organization
    if not organization.can_transition_to(target):
        raise ApplicationError(
            _("This organisation cannot go from “%(old)s” to “%(new)s”.")
            % {"old": organization.get_status_display(), "new": Organization.Status(target).label},
            code=OrganizationErrorCode.INVALID_TRANSITION,
        )
    old_status, old_reason = organization.status, organization.status_reason
    organization.status = target
    organization.status_reason = reason
    organization.status_changed_at = timezone.now()
    organization.status_changed_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    organization.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by", "updated_at"])
    audit_log(
        actor=acting_user,
        action=action,
        target=organization,
        changes={
            "status": {"old": old_status, "new": target},
            "status_reason": {"old": old_reason, "new": reason},
        },
    )
    _notify(organization)
    return organization


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Give the reason for this decision."),
            code=OrganizationErrorCode.REASON_REQUIRED,
            extra={"fields": {"reason": [_("This field is required.")]}},
        )
    return reason


@transaction.atomic
def organization_submit(*, organization: Organization, acting_user: Any) -> Organization:
    """Ask for verification once the statutes and the proof of registration are uploaded."""
    present = set(organization.documents.values_list("kind", flat=True))
    missing = [kind for kind in REQUIRED_DOCUMENTS if kind not in present]
    if missing:
        raise ApplicationError(
            _("Upload these documents before asking for verification: %(documents)s.")
            % {"documents": ", ".join(str(DocumentKind(kind).label) for kind in missing)},
            code=OrganizationErrorCode.DOCUMENTS_MISSING,
        )
    return _transition(
        organization=organization,
        acting_user=acting_user,
        target=Organization.Status.PENDING,
        reason="",
        action="organizations.organization.submitted",
    )


@transaction.atomic
def organization_verify(*, organization: Organization, acting_user: Any, reason: str) -> Organization:
    return _transition(
        organization=organization,
        acting_user=acting_user,
        target=Organization.Status.VERIFIED,
        reason=_require_reason(reason),
        action="organizations.organization.verified",
    )


@transaction.atomic
def organization_refuse(*, organization: Organization, acting_user: Any, reason: str) -> Organization:
    """Send a pending request back to the organisation (status unverified) with the reason."""
    return _transition(
        organization=organization,
        acting_user=acting_user,
        target=Organization.Status.UNVERIFIED,
        reason=_require_reason(reason),
        action="organizations.organization.refused",
    )


@transaction.atomic
def organization_suspend(*, organization: Organization, acting_user: Any, reason: str) -> Organization:
    return _transition(
        organization=organization,
        acting_user=acting_user,
        target=Organization.Status.SUSPENDED,
        reason=_require_reason(reason),
        action="organizations.organization.suspended",
    )
