from __future__ import annotations

from enum import StrEnum


class ReviewErrorCode(StrEnum):
    LABEL_REQUIRED = "label_required"
    WEIGHT_INVALID = "weight_invalid"
    SCALE_INVALID = "scale_invalid"
    RUBRIC_LOCKED = "rubric_locked"
    NOT_A_REVIEWER = "not_a_reviewer"
    CONFLICT = "conflict_of_interest"
    ALREADY_ASSIGNED = "already_assigned"
    CAPACITY_REACHED = "capacity_reached"
    NOT_ASSIGNED = "not_assigned"
    ALREADY_SUBMITTED = "already_submitted"
    REVIEW_CLOSED = "review_closed"
    UNKNOWN_CRITERION = "unknown_criterion"
    SCORE_OUT_OF_SCALE = "score_out_of_scale"
    SCORES_MISSING = "scores_missing"
    REASON_REQUIRED = "reason_required"
    DECISION_INVALID = "decision_invalid"
