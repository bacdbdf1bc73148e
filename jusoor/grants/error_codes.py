from enum import StrEnum


class GrantErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    INVALID_TRANSITION = "invalid_transition"
    NOT_LIVE = "demo_day_not_live"
    SCORE_OUT_OF_SCALE = "score_out_of_scale"
    RECUSED = "juror_recused"
    NOT_A_JUROR = "not_a_juror"
    CRITERION_INVALID = "criterion_invalid"
    PITCH_INVALID = "pitch_invalid"
    AMOUNT_INVALID = "amount_invalid"
    OUTSIDE_RANGE = "grant_outside_range"
    BEYOND_ENVELOPE = "grant_beyond_envelope"
    ALREADY_AWARDED = "grant_already_awarded"
    SCHEDULE_INVALID = "tranche_schedule_invalid"
    SCHEDULE_LOCKED = "tranche_schedule_locked"
    REPORT_NOT_APPROVED = "tranche_report_not_approved"
    REPORT_INVALID = "report_invalid"
    ALREADY_DECIDED = "already_decided"
    AGREEMENT_REQUIRED = "agreement_required"
    MATCHING_INVALID = "matching_invalid"
    BUSY = "busy"
