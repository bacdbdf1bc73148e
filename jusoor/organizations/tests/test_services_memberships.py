from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import Invitation, Membership, MembershipRole
from jusoor.organizations.services.memberships import (
    invitation_accept,
    invitation_create,
    membership_change_role,
    membership_remove,
    ownership_transfer,
)
from jusoor.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_membership(user_factory):
    return MembershipFactory(user=user_factory(email="owner@example.org"), role=MembershipRole.OWNER)


def roles(organization):
    return dict(Membership.objects.filter(organization=organization).values_list("user__email", "role"))


def test_invitation_mail_then_accept_with_the_right_address(
    owner_membership, user_factory, django_capture_on_commit_callbacks
):
    organization = owner_membership.organization
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            organization=organization,
            email="New@Example.org",
            role=MembershipRole.ADMIN,
            acting_user=owner_membership.user,
            base_url="https://jusoor.example",
        )
    assert invitation.email == "new@example.org"
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert f"https://jusoor.example/ar/organisations/invitations/{invitation.token}/" in mail.outbox[0].body
    newcomer = user_factory(email="new@example.org")
    invitation_accept(token=invitation.token, user=newcomer)
    assert roles(organization) == {"owner@example.org": "owner", "new@example.org": "admin"}
    with pytest.raises(ApplicationError) as error:
        invitation_accept(token=invitation.token, user=newcomer)
    assert error.value.code == "invitation_invalid"


def test_invitation_for_another_address_or_expired_is_refused(owner_membership, user_factory):
    organization = owner_membership.organization
    invitation = invitation_create(
        organization=organization,
        email="a@example.org",
        role=MembershipRole.MEMBER,
        acting_user=owner_membership.user,
        base_url="",
    )
    with pytest.raises(ApplicationError) as error:
        invitation_accept(token=invitation.token, user=user_factory(email="b@example.org"))
    assert error.value.code == "invitation_email"
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ApplicationError) as error:
        invitation_accept(token=invitation.token, user=user_factory(email="a@example.org"))
    assert error.value.code == "invitation_invalid"
    assert roles(organization) == {"owner@example.org": "owner"}


def test_inviting_a_member_again_is_refused(owner_membership):
    with pytest.raises(ApplicationError) as error:
        invitation_create(
            organization=owner_membership.organization,
            email="OWNER@example.org",
            role=MembershipRole.MEMBER,
            acting_user=owner_membership.user,
            base_url="",
        )
    assert error.value.code == "already_member"


def test_the_last_owner_cannot_leave_or_be_demoted(owner_membership):
    organization, owner = owner_membership.organization, owner_membership.user
    with pytest.raises(ApplicationError) as error:
        membership_remove(organization=organization, user_id=owner.pk, acting_user=owner)
    assert error.value.code == "last_owner"
    with pytest.raises(ApplicationError):
        membership_change_role(
            organization=organization, user_id=owner.pk, role=MembershipRole.ADMIN, acting_user=owner
        )
    assert roles(organization) == {"owner@example.org": "owner"}


def test_transfer_then_the_former_owner_can_leave(owner_membership, user_factory):
    organization, owner = owner_membership.organization, owner_membership.user
    member = MembershipFactory(organization=organization, user=user_factory(email="m@example.org")).user
    ownership_transfer(organization=organization, to_user_id=member.pk, acting_user=owner)
    assert roles(organization) == {"owner@example.org": "admin", "m@example.org": "owner"}
    membership_remove(organization=organization, user_id=owner.pk, acting_user=owner)
    assert roles(organization) == {"m@example.org": "owner"}


def test_only_an_owner_can_transfer(owner_membership, user_factory):
    organization = owner_membership.organization
    admin = MembershipFactory(organization=organization, user=user_factory(email="a@example.org"), role="admin").user
    with pytest.raises(ApplicationError):
        ownership_transfer(organization=organization, to_user_id=admin.pk, acting_user=admin)
    assert roles(organization) == {"owner@example.org": "owner", "a@example.org": "admin"}
