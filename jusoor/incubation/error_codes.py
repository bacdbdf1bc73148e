from __future__ import annotations

from enum import StrEnum


class IncubationErrorCode(StrEnum):
    INVALID_TRANSITION = "invalid_transition"
    NO_SELECTED_APPLICATIONS = "no_selected_applications"
    NAME_REQUIRED = "name_required"
    DATES = "dates"
    CAPACITY = "capacity"
    ACTIVITY_FULL = "activity_full"
    ACTIVITY_CLOSED = "activity_closed"
    ALREADY_REGISTERED = "already_registered"
    NOT_HELD = "not_held"
    RATING = "rating"
    FEEDBACK_TWICE = "feedback_twice"
    WRONG_ACTIVITY = "wrong_activity"
    INVALID_LINK = "invalid_link"
    NOT_A_COACH = "not_a_coach"
    NOT_ASSIGNED = "not_assigned"
    DURATION = "duration"
    FUTURE_DATE = "future_date"
    TOPICS_REQUIRED = "topics_required"
    REASON_REQUIRED = "reason_required"
    NOT_A_COMMUNE = "not_a_commune"
    WRONG_PROGRAMME = "wrong_programme"
