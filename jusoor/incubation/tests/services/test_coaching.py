from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.incubation.models import CoachAssignment, CoachingSession, LocalTeamMember, Milestone
from jusoor.incubation.services.coaching import (
    coach_assign,
    coaching_session_confirm,
    coaching_session_correct,
    coaching_session_dispute,
    coaching_session_log,
    milestone_add,
)
from jusoor.incubation.services.teams import local_team_create, local_team_member_add
from jusoor.incubation.tests.factories import CoachingSessionFactory

pytestmark = pytest.mark.django_db


def _log(**overrides):
    data = {
        "date": timezone.localdate() - timedelta(days=1),
        "duration_minutes": 90,
        "modality": "online",
        "topics": "Plan de plaidoyer",
        "agreed": "Rédiger la note",
        "next_steps": "Revoir le budget",
    }
    data.update(overrides)
    return data


def test_assign_only_a_coach_of_the_programme(programme, manager, coach, facilitator, applicant):
    with pytest.raises(ApplicationError) as raised:
        coach_assign(programme=programme, coach=facilitator, organization=applicant, acting_user=manager)
    assert raised.value.code == "not_a_coach"
    assert CoachAssignment.objects.count() == 0
    first = coach_assign(programme=programme, coach=coach, organization=applicant, acting_user=manager)
    again = coach_assign(programme=programme, coach=coach, organization=applicant, acting_user=manager)
    assert first.pk == again.pk
    assert AuditEvent.objects.filter(action="incubation.coach.assigned").count() == 1


def test_assigned_coach_logs_a_session(programme, assignment, coach, applicant):
    session = coaching_session_log(programme=programme, coach=coach, organization=applicant, data=_log())
    assert (session.status, session.duration_minutes, session.modality, session.topics) == (
        "logged",
        90,
        "online",
        "Plan de plaidoyer",
    )
    assert AuditEvent.objects.get(action="incubation.coaching_session.logged").actor == coach


def test_coach_not_assigned_cannot_log(programme, assignment, other_coach, applicant):
    with pytest.raises(ApplicationError) as raised:
        coaching_session_log(programme=programme, coach=other_coach, organization=applicant, data=_log())
    assert (raised.value.code, str(raised.value.message)) == (
        "not_assigned",
        "You are not assigned to coach this organisation.",
    )
    assert CoachingSession.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": timezone.localdate() + timedelta(days=2)}, "date"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 721}, "duration_minutes"),
        ({"topics": "  "}, "topics"),
        ({"modality": "carrier pigeon"}, "modality"),
    ],
)
def test_bad_session_writes_nothing(programme, assignment, coach, applicant, overrides, field):
    with pytest.raises(ApplicationError) as raised:
        coaching_session_log(programme=programme, coach=coach, organization=applicant, data=_log(**overrides))
    assert list(raised.value.extra["fields"]) == [field]
    assert CoachingSession.objects.count() == 0


def test_only_the_coached_organisation_confirms(programme, coach, applicant, applicant_admin, other_admin):
    session = CoachingSessionFactory(programme=programme, coach=coach, organization=applicant)
    with pytest.raises(ApplicationError):
        coaching_session_confirm(session=session, acting_user=other_admin)
    with pytest.raises(ApplicationError):
        coaching_session_confirm(session=session, acting_user=coach)
    session.refresh_from_db()
    assert (session.status, session.confirmed_by) == ("logged", None)

    coaching_session_confirm(session=session, acting_user=applicant_admin)
    coaching_session_confirm(session=session, acting_user=applicant_admin)
    session.refresh_from_db()
    assert (session.status, session.confirmed_by) == ("confirmed", applicant_admin)
    assert session.confirmed_at is not None
    assert AuditEvent.objects.filter(action="incubation.coaching_session.confirmed").count() == 1
    with pytest.raises(ApplicationError) as raised:
        coaching_session_dispute(session=session, acting_user=applicant_admin, reason="Non")
    assert raised.value.code == "invalid_transition"


def test_dispute_then_correct_then_confirm(programme, coach, applicant, applicant_admin):
    session = CoachingSessionFactory(programme=programme, coach=coach, organization=applicant)
    with pytest.raises(ApplicationError) as raised:
        coaching_session_dispute(session=session, acting_user=applicant_admin, reason=" ")
    assert raised.value.code == "reason_required"
    coaching_session_dispute(session=session, acting_user=applicant_admin, reason="La séance a duré 60 minutes")
    session.refresh_from_db()
    assert (session.status, session.dispute_reason) == ("disputed", "La séance a duré 60 minutes")
    coaching_session_correct(session=session, coach=coach, data=_log(duration_minutes=60))
    session.refresh_from_db()
    assert (session.status, session.duration_minutes) == ("logged", 60)
    coaching_session_confirm(session=session, acting_user=applicant_admin)
    assert CoachingSession.objects.get().status == "confirmed"


def test_local_team_sessions_are_logged_by_its_certified_coach(programme, manager, coach, other_coach, morocco):
    with pytest.raises(ApplicationError) as raised:
        local_team_create(programme=programme, territory=morocco["rabat_region"], name="Kissar", acting_user=manager)
    assert raised.value.code == "not_a_commune"
    team = local_team_create(
        programme=programme, territory=morocco["rabat"], name="Équipe de Rabat", partner="SDL", acting_user=manager
    )
    local_team_member_add(team=team, name="", role="coach", acting_user=manager, user=coach)
    official = local_team_member_add(team=team, name="Fatima", role="official", acting_user=manager)
    assert official.user is None
    with pytest.raises(ApplicationError):
        coaching_session_log(programme=programme, coach=other_coach, local_team=team, data=_log(topics="Posture"))
    session = coaching_session_log(programme=programme, coach=coach, local_team=team, data=_log(topics="Posture"))
    assert (session.local_team, session.organization) == (team, None)
    assert LocalTeamMember.objects.filter(team=team).count() == 2


def test_milestone(programme, manager, applicant):
    with pytest.raises(ApplicationError):
        milestone_add(
            programme=programme,
            organization=applicant,
            acting_user=manager,
            date=timezone.localdate(),
            label=" ",
            kind="pitch",
        )
    milestone = milestone_add(
        programme=programme,
        organization=applicant,
        acting_user=manager,
        date=timezone.localdate(),
        label="Pitch au Demo Day",
        kind="pitch",
    )
    assert Milestone.objects.get() == milestone


def test_logging_mails_the_organisation_admins_in_their_language(
    programme, assignment, coach, applicant, applicant_admin, mailoutbox, django_capture_on_commit_callbacks
):
    from jusoor.organizations.models import MembershipRole
    from jusoor.organizations.tests.factories import MembershipFactory

    MembershipFactory(organization=applicant, role=MembershipRole.MEMBER)  # members are not asked
    with django_capture_on_commit_callbacks(execute=True):
        coaching_session_log(programme=programme, coach=coach, organization=applicant, data=_log())
    assert [message.to for message in mailoutbox] == [[applicant_admin.email]]
    assert "Plan de plaidoyer" in mailoutbox[0].body
