"""Incubation: cohorts of selected organisations, the activities planned for them (registrations, attendance,
feedback), coaching (assignments, logged and confirmed sessions), milestones and territorial coaching teams.

Titles of activities are written once, in the language given with them (`language`): they are short, dated, local
labels, so one column plus its language beats three columns that would stay empty.
"""

from jusoor.incubation.models.activities import (
    Activity,
    AgeBand,
    Attendance,
    Feedback,
    Registration,
    Sex,
)
from jusoor.incubation.models.coaching import CoachAssignment, CoachingSession, Milestone
from jusoor.incubation.models.cohorts import Cohort, CohortMembership
from jusoor.incubation.models.teams import LocalTeam, LocalTeamMember

__all__ = [
    "Activity",
    "AgeBand",
    "Attendance",
    "CoachAssignment",
    "CoachingSession",
    "Cohort",
    "CohortMembership",
    "Feedback",
    "LocalTeam",
    "LocalTeamMember",
    "Milestone",
    "Registration",
    "Sex",
]
