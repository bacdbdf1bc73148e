"""The programme's team: managers, reviewers (with a capacity), coaches and jury members.

People are added by the e-mail address of an existing account; one person can hold several roles. A programme
keeps at least one manager on its team.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.programmes.error_codes import ProgrammeErrorCode
from jusoor.programmes.models import Programme, ProgrammeMember, ProgrammeRole
from jusoor.programmes.services.programmes import error

MAX_CAPACITY = 10_000


def _lock(programme: Programme) -> Programme:
    return Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)


def _check_capacity(role: str, capacity: Any) -> int | None:
    if role != ProgrammeRole.REVIEWER or capacity in (None, ""):
        return None
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= MAX_CAPACITY:
        raise error(
            _("A reviewer's capacity is a whole number from 1 to %(most)d.") % {"most": MAX_CAPACITY},
            ProgrammeErrorCode.CAPACITY_INVALID,
            "capacity",
        )
    return capacity


@transaction.atomic
def team_member_add(
    *, programme: Programme, acting_user: Any, email: str, role: str, capacity: int | None = None
) -> ProgrammeMember:
    """Give the account with this e-mail a role on the programme's team (a reviewer may get a capacity)."""
    programme = _lock(programme)
    if role not in ProgrammeRole.values:
        raise error(_("Choose a role from the list."), ProgrammeErrorCode.ROLE_INVALID, "role")
    capacity = _check_capacity(role, capacity)
    email = (email or "").strip()
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        raise error(
            _("No active account uses this e-mail address. Ask the person to sign up first."),
            ProgrammeErrorCode.USER_NOT_FOUND,
            "email",
        )
    if ProgrammeMember.objects.filter(programme=programme, user=user, role=role).exists():
        raise error(
            _("%(person)s already holds this role on the team.") % {"person": user},
            ProgrammeErrorCode.ALREADY_MEMBER,
            "email",
        )
    member = ProgrammeMember.objects.create(programme=programme, user=user, role=role, capacity=capacity)
    audit_log(
        actor=acting_user,
        action="programmes.team.member_added",
        target=programme,
        changes={"user": {"old": None, "new": user.pk}, "role": {"old": None, "new": role}, "capacity": capacity},
    )
    return member


@transaction.atomic
def team_member_set_capacity(
    *, programme: Programme, acting_user: Any, member_id: int, capacity: int | None
) -> ProgrammeMember:
    """Change how many applications a reviewer takes in one call (empty: no limit)."""
    programme = _lock(programme)
    member = ProgrammeMember.objects.filter(programme=programme, pk=member_id, role=ProgrammeRole.REVIEWER).first()
    if member is None:
        raise error(_("This reviewer is not on the team."), ProgrammeErrorCode.MEMBER_NOT_FOUND)
    capacity = _check_capacity(ProgrammeRole.REVIEWER, capacity)
    if member.capacity == capacity:
        return member
    old = member.capacity
    member.capacity = capacity
    member.save(update_fields=["capacity"])
    audit_log(
        actor=acting_user,
        action="programmes.team.capacity_changed",
        target=programme,
        changes={"user": member.user_id, "capacity": {"old": old, "new": capacity}},
    )
    return member


@transaction.atomic
def team_member_remove(*, programme: Programme, acting_user: Any, member_id: int) -> None:
    """Take a role away from someone on the team; the last manager stays."""
    programme = _lock(programme)
    member = ProgrammeMember.objects.filter(programme=programme, pk=member_id).first()
    if member is None:
        raise error(_("This person is not on the team."), ProgrammeErrorCode.MEMBER_NOT_FOUND)
    if (
        member.role == ProgrammeRole.MANAGER
        and not ProgrammeMember.objects.filter(programme=programme, role=ProgrammeRole.MANAGER)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise error(_("A programme keeps at least one manager on its team."), ProgrammeErrorCode.LAST_MANAGER)
    member.delete()
    audit_log(
        actor=acting_user,
        action="programmes.team.member_removed",
        target=programme,
        changes={"user": {"old": member.user_id, "new": None}, "role": {"old": member.role, "new": None}},
    )
