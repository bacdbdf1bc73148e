"""Permission matrix: every role of the brief × every incubation permission."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from jusoor.incubation.tests.factories import CoachingSessionFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "applicant_admin", "other_admin", "coach", "other_coach", "manager", "facilitator"]

# permission, object name → the roles allowed (others are refused)
MATRIX = {
    ("incubation.add_cohort", "programme"): {"manager"},
    ("incubation.view_cohort", "cohort"): {"manager", "coach", "other_coach"},
    ("incubation.list_activities", "programme"): {"manager", "coach", "other_coach"},
    ("incubation.plan_activity", "programme"): {"manager"},
    ("incubation.change_activity", "activity"): {"manager"},
    ("incubation.view_activity", "activity"): {"manager", "coach", "other_coach", "facilitator"},
    ("incubation.register_activity", "activity"): {"manager", "facilitator"},
    ("incubation.check_in_activity", "activity"): {"manager", "coach", "other_coach", "facilitator"},
    ("incubation.view_feedback", "activity"): {"manager", "facilitator"},
    ("incubation.assign_coach", "programme"): {"manager"},
    ("incubation.log_session", "assignment"): {"coach"},
    ("incubation.list_sessions", "programme"): {"manager", "coach", "other_coach"},
    ("incubation.view_session", "session"): {"manager", "coach", "applicant_admin"},
    ("incubation.confirm_session", "session"): {"applicant_admin"},
    ("incubation.correct_session", "session"): {"coach"},
    ("incubation.add_milestone", "programme"): {"manager", "coach", "other_coach"},
    ("incubation.view_timeline", "applicant"): {"applicant_admin", "manager", "coach", "other_coach"},
    ("incubation.view_timeline", "other_organization"): {"other_admin"},
    ("incubation.manage_local_team", "team"): {"manager"},
    ("incubation.view_local_team", "team"): {"manager", "coach", "other_coach"},
}


@pytest.fixture
def world(request, programme, cohort, activity, assignment, applicant, other_organization, coach):
    from jusoor.incubation.tests.factories import LocalTeamFactory

    return {
        "programme": programme,
        "cohort": cohort,
        "activity": activity,
        "assignment": assignment,
        "session": CoachingSessionFactory(programme=programme, coach=coach, organization=applicant),
        "applicant": applicant,
        "other_organization": other_organization,
        "team": LocalTeamFactory(programme=programme, territory=activity.territory),
    }


@pytest.fixture
def users(request, applicant_admin, other_admin, coach, other_coach, manager, facilitator):
    return {
        "anonymous": AnonymousUser(),
        "applicant_admin": applicant_admin,
        "other_admin": other_admin,
        "coach": coach,
        "other_coach": other_coach,
        "manager": manager,
        "facilitator": facilitator,
    }


@pytest.mark.parametrize(("permission", "target"), list(MATRIX))
def test_permission_matrix(world, users, permission, target):
    allowed = {role for role in ROLES if users[role].has_perm(permission, world[target])}
    assert allowed == MATRIX[permission, target]


def test_platform_programme_manager_manages_every_programme(world):
    from jusoor.accounts.models import Role
    from jusoor.accounts.tests.factories import RoleGrantFactory, UserFactory

    user = UserFactory()
    RoleGrantFactory(user=user, role=Role.PROGRAMME_MANAGER)
    assert user.has_perm("incubation.plan_activity", world["programme"])
    assert user.has_perm("incubation.view_timeline", world["applicant"])
    assert not user.has_perm("incubation.confirm_session", world["session"])


def test_local_team_roles(world, users):
    from jusoor.incubation.models import LocalTeamMember
    from jusoor.incubation.tests.factories import CoachingSessionFactory as Sessions

    team = world["team"]
    LocalTeamMember.objects.create(team=team, user=users["facilitator"], name="Coach certifié", role="coach")
    LocalTeamMember.objects.create(team=team, user=users["other_admin"], name="Élue", role="official")
    session = Sessions(programme=team.programme, coach=users["facilitator"], organization=None, local_team=team)
    assert users["facilitator"].has_perm("incubation.log_team_session", team)
    assert not users["other_admin"].has_perm("incubation.log_team_session", team)
    assert users["other_admin"].has_perm("incubation.view_local_team", team)
    assert users["other_admin"].has_perm("incubation.confirm_session", session)
    assert not users["facilitator"].has_perm("incubation.confirm_session", session)
