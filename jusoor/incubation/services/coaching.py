"""Coaching: coaches assigned to organisations, sessions logged by the coach and confirmed or disputed by the
organisation (or, for a local team's session, by one of the team's commune officials). Milestones."""

from __future__ import annotations

from datetime import date as date_type
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.mail import mail_queue
from jusoor.incubation.error_codes import IncubationErrorCode
from jusoor.incubation.models import CoachAssignment, CoachingSession, LocalTeam, LocalTeamMember, Milestone
from jusoor.incubation.services.base import error, invalid_transition
from jusoor.organizations.models import Membership, MembershipRole, Organization
from jusoor.programmes.models import Programme, ProgrammeMember, ProgrammeRole

Status = CoachingSession.Status
LOG_FIELDS = ("date", "duration_minutes", "modality", "topics", "agreed", "next_steps")


@transaction.atomic
def coach_assign(*, programme: Programme, coach: Any, organization: Organization, acting_user: Any) -> CoachAssignment:
    """Assign a coach of the programme's team to an organisation (again: nothing changes)."""
    if not ProgrammeMember.objects.filter(programme=programme, user=coach, role=ProgrammeRole.COACH).exists():
        raise error(_("This person is not a coach of the programme."), IncubationErrorCode.NOT_A_COACH, "coach")
    assignment, created = CoachAssignment.objects.get_or_create(
        programme=programme, coach=coach, organization=organization, defaults={"assigned_by": acting_user}
    )
    if created:
        audit_log(
            actor=acting_user,
            action="incubation.coach.assigned",
            target=assignment,
            changes={"coach": {"old": None, "new": coach.pk}, "organization": {"old": None, "new": organization.pk}},
        )
    return assignment


def _check_log(data: dict[str, Any]) -> dict[str, Any]:
    clean = {name: data.get(name) for name in LOG_FIELDS}
    for name in ("topics", "agreed", "next_steps"):
        clean[name] = (clean[name] or "").strip()
    if not isinstance(clean["date"], date_type):
        raise error(_("Give the date of the session."), IncubationErrorCode.FUTURE_DATE, "date")
    if clean["date"] > timezone.localdate():
        raise error(_("A session can be logged only once it has taken place."), IncubationErrorCode.FUTURE_DATE, "date")
    duration = clean["duration_minutes"]
    if not isinstance(duration, int) or not 1 <= duration <= 720:
        raise error(
            _("The duration is a number of minutes from 1 to 720."), IncubationErrorCode.DURATION, "duration_minutes"
        )
    if clean["modality"] not in CoachingSession.Modality.values:
        raise error(_("Choose a value from the list."), IncubationErrorCode.DURATION, "modality")
    if not clean["topics"]:
        raise error(_("Say which topics were covered."), IncubationErrorCode.TOPICS_REQUIRED, "topics")
    return clean


def _notify_logged(session: CoachingSession) -> None:
    """Mail the owners and administrators of the coached organisation (in their language): a session waits for them."""
    if session.organization_id is None:
        return
    memberships = Membership.objects.filter(
        organization_id=session.organization_id,
        role__in=[MembershipRole.OWNER, MembershipRole.ADMIN],
        user__is_active=True,
    ).select_related("user", "organization")
    for membership in memberships.order_by("id"):
        user = membership.user
        with translation.override(user.preferred_language or "ar"):
            context = {
                "session": session,
                "coach_name": str(session.coach),
                "organization_name": membership.organization.name,
                "session_date": date_format(session.date, "DATE_FORMAT"),
            }
        mail_queue(
            template_prefix="incubation/email/session_logged",
            to=user.email,
            language=user.preferred_language,
            context=context,
        )


def _is_team_coach(team: LocalTeam, user: Any) -> bool:
    return LocalTeamMember.objects.filter(team=team, user=user, role=LocalTeamMember.Role.COACH).exists()


@transaction.atomic
def coaching_session_log(
    *,
    programme: Programme,
    coach: Any,
    data: dict[str, Any],
    organization: Organization | None = None,
    local_team: LocalTeam | None = None,
) -> CoachingSession:
    """A coach logs a session with an organisation assigned to them (or with a local team they coach as its
    certified coach). The organisation then confirms or disputes it."""
    if (organization is None) == (local_team is None):
        raise ApplicationError(_("A session is with one organisation or one local team."), code="invalid")
    if (
        organization is not None
        and not CoachAssignment.objects.filter(programme=programme, coach=coach, organization=organization).exists()
    ):
        raise error(
            _("You are not assigned to coach this organisation."), IncubationErrorCode.NOT_ASSIGNED, "organization"
        )
    if local_team is not None and (local_team.programme_id != programme.pk or not _is_team_coach(local_team, coach)):
        raise error(_("You are not the certified coach of this team."), IncubationErrorCode.NOT_ASSIGNED, "local_team")
    clean = _check_log(data)
    session = CoachingSession.objects.create(
        programme=programme, organization=organization, local_team=local_team, coach=coach, **clean
    )
    audit_log(
        actor=coach,
        action="incubation.coaching_session.logged",
        target=session,
        changes={name: {"old": None, "new": value} for name, value in clean.items()},
    )
    _notify_logged(session)
    return session


@transaction.atomic
def coaching_session_correct(*, session: CoachingSession, coach: Any, data: dict[str, Any]) -> CoachingSession:
    """The coach corrects a session that is waiting for confirmation or was disputed; it waits again."""
    session = CoachingSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if session.coach_id != coach.pk:
        raise error(_("Only the coach who logged the session can correct it."), IncubationErrorCode.NOT_ASSIGNED)
    if session.status == Status.CONFIRMED:
        raise invalid_transition(session.get_status_display(), Status.LOGGED.label)
    clean = _check_log(data)
    changes = {name: {"old": getattr(session, name), "new": value} for name, value in clean.items()}
    changes["status"] = {"old": session.status, "new": Status.LOGGED}
    for name, value in clean.items():
        setattr(session, name, value)
    session.status = Status.LOGGED
    session.save(update_fields=[*clean, "status", "updated_at"])
    audit_log(actor=coach, action="incubation.coaching_session.corrected", target=session, changes=changes)
    _notify_logged(session)
    return session


def can_confirm(session: CoachingSession, user: Any) -> bool:
    """An owner or administrator of the session's organisation; for a local team, one of its commune officials."""
    if not getattr(user, "is_authenticated", False):
        return False
    if session.organization_id is not None:
        return Membership.objects.filter(
            organization_id=session.organization_id,
            user_id=user.pk,
            role__in=[MembershipRole.OWNER, MembershipRole.ADMIN],
        ).exists()
    return LocalTeamMember.objects.filter(
        team_id=session.local_team_id, user_id=user.pk, role=LocalTeamMember.Role.OFFICIAL
    ).exists()


def _decide(session: CoachingSession, *, acting_user: Any, target: str, reason: str = "") -> CoachingSession:
    session = CoachingSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    if not can_confirm(session, acting_user):
        raise error(
            _("Only the coached organisation's administrators can confirm or dispute this session."),
            IncubationErrorCode.NOT_ASSIGNED,
        )
    if session.status == target:
        return session
    if not session.can_transition_to(target):
        raise invalid_transition(session.get_status_display(), Status(target).label)
    changes: dict[str, Any] = {"status": {"old": session.status, "new": target}}
    session.status = target
    fields = ["status", "updated_at"]
    if target == Status.CONFIRMED:
        session.confirmed_by = acting_user
        session.confirmed_at = timezone.now()
        fields += ["confirmed_by", "confirmed_at"]
    else:
        changes["dispute_reason"] = {"old": session.dispute_reason, "new": reason}
        session.dispute_reason = reason
        fields.append("dispute_reason")
    session.save(update_fields=fields)
    audit_log(actor=acting_user, action=f"incubation.coaching_session.{target}", target=session, changes=changes)
    return session


@transaction.atomic
def coaching_session_confirm(*, session: CoachingSession, acting_user: Any) -> CoachingSession:
    return _decide(session, acting_user=acting_user, target=Status.CONFIRMED)


@transaction.atomic
def coaching_session_dispute(*, session: CoachingSession, acting_user: Any, reason: str) -> CoachingSession:
    reason = (reason or "").strip()
    if not reason:
        raise error(_("Say what is wrong in this log."), IncubationErrorCode.REASON_REQUIRED, "reason")
    return _decide(session, acting_user=acting_user, target=Status.DISPUTED, reason=reason)


@transaction.atomic
def milestone_add(
    *, programme: Programme, organization: Organization, acting_user: Any, date: date_type, label: str, kind: str
) -> Milestone:
    label = (label or "").strip()
    if not label:
        raise error(_("Name the milestone."), IncubationErrorCode.NAME_REQUIRED, "label")
    if kind not in Milestone.Kind.values:
        raise error(_("Choose a value from the list."), IncubationErrorCode.NAME_REQUIRED, "kind")
    milestone = Milestone.objects.create(
        programme=programme, organization=organization, date=date, label=label, kind=kind, created_by=acting_user
    )
    audit_log(
        actor=acting_user,
        action="incubation.milestone.added",
        target=milestone,
        changes={
            "date": {"old": None, "new": date},
            "label": {"old": None, "new": label},
            "kind": {"old": None, "new": kind},
        },
    )
    return milestone
