"""Memberships: invitations by e-mail, roles, ownership transfer, leaving. An organisation always keeps an owner."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.mail import mail_queue
from jusoor.organizations.error_codes import OrganizationErrorCode
from jusoor.organizations.models import Invitation, Membership, MembershipRole, Organization

INVITATION_DAYS = 14


def _owners(organization: Organization) -> Any:
    return Membership.objects.select_for_update().filter(organization=organization, role=MembershipRole.OWNER)


def _invitation_path(invitation: Invitation) -> str:
    with translation.override(invitation.organization.primary_language):
        return reverse("invitation_accept", kwargs={"token": invitation.token})


@transaction.atomic
def invitation_create(
    *, organization: Organization, email: str, role: MembershipRole, acting_user: Any, base_url: str
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ApplicationError(
            _("This person is already a member of the organisation."), code=OrganizationErrorCode.ALREADY_MEMBER
        )
    # A new invitation to the same address replaces the open one.
    Invitation.objects.filter(organization=organization, email=email, accepted_at__isnull=True).delete()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=acting_user,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit_log(
        actor=acting_user,
        action="organizations.invitation.created",
        target=organization,
        changes={"invitation": {"old": None, "new": f"{email} ({role})"}},
    )
    mail_queue(
        template_prefix="organizations/email/invitation",
        to=email,
        language=organization.primary_language,
        context={
            "organization": organization,
            "inviter": acting_user,
            "role": invitation.get_role_display(),
            "url": base_url + _invitation_path(invitation),
            "days": INVITATION_DAYS,
        },
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: Any) -> Membership:
    invitation = Invitation.objects.select_for_update().select_related("organization").filter(token=token).first()
    if invitation is None or not invitation.is_open:
        raise ApplicationError(
            _("This invitation is no longer valid. Ask for a new one."), code=OrganizationErrorCode.INVITATION_INVALID
        )
    if invitation.email.lower() != user.email.lower():
        raise ApplicationError(
            _("This invitation was sent to another e-mail address. Log in with that address to accept it."),
            code=OrganizationErrorCode.INVITATION_EMAIL,
        )
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    if created:
        audit_log(
            actor=user,
            action="organizations.membership.joined",
            target=invitation.organization,
            changes={"member": {"old": None, "new": f"{user.email} ({membership.role})"}},
        )
    return membership


def _membership_of(organization: Organization, user_id: int) -> Membership:
    membership = Membership.objects.select_for_update().filter(organization=organization, user_id=user_id).first()
    if membership is None:
        raise ApplicationError(_("This person is not a member."), code=OrganizationErrorCode.NOT_A_MEMBER)
    return membership


def _keep_an_owner(organization: Organization, leaving: Membership) -> None:
    if leaving.role == MembershipRole.OWNER and _owners(organization).exclude(pk=leaving.pk).count() == 0:
        raise ApplicationError(
            _("The organisation must keep an owner: transfer the ownership first."),
            code=OrganizationErrorCode.LAST_OWNER,
        )


@transaction.atomic
def membership_change_role(
    *, organization: Organization, user_id: int, role: MembershipRole, acting_user: Any
) -> Membership:
    """Owners and admins change roles; making someone owner is a transfer (see ownership_transfer)."""
    membership = _membership_of(organization, user_id)
    if membership.role == role:
        return membership
    if MembershipRole.OWNER in {role, membership.role}:
        _keep_an_owner(organization, membership)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_log(
        actor=acting_user,
        action="organizations.membership.role_changed",
        target=organization,
        changes={"role": {"old": f"{membership.user.email}: {old}", "new": f"{membership.user.email}: {role}"}},
    )
    return membership


@transaction.atomic
def ownership_transfer(*, organization: Organization, to_user_id: int, acting_user: Any) -> Membership:
    """The acting owner hands ownership to another member and becomes an administrator."""
    current = _membership_of(organization, acting_user.pk)
    if current.role != MembershipRole.OWNER:
        raise ApplicationError(_("Only an owner can transfer the ownership."), code="permission_denied")
    target = _membership_of(organization, to_user_id)
    if target.pk == current.pk:
        return current
    target.role = MembershipRole.OWNER
    target.save(update_fields=["role", "updated_at"])
    current.role = MembershipRole.ADMIN
    current.save(update_fields=["role", "updated_at"])
    audit_log(
        actor=acting_user,
        action="organizations.ownership.transferred",
        target=organization,
        changes={"owner": {"old": acting_user.email, "new": target.user.email}},
    )
    return target


@transaction.atomic
def membership_remove(*, organization: Organization, user_id: int, acting_user: Any) -> None:
    """Remove a member (or leave, when user_id is the acting user). The last owner cannot go."""
    membership = _membership_of(organization, user_id)
    _keep_an_owner(organization, membership)
    email, role = membership.user.email, membership.role
    membership.delete()
    audit_log(
        actor=acting_user,
        action="organizations.membership.left" if user_id == acting_user.pk else "organizations.membership.removed",
        target=organization,
        changes={"member": {"old": f"{email} ({role})", "new": None}},
    )
