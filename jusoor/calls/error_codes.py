from __future__ import annotations

from enum import StrEnum


class CallErrorCode(StrEnum):
    TITLE_REQUIRED = "title_required"
    DATES_INVALID = "dates_invalid"
    COUNTRY_INVALID = "country_invalid"
    AMOUNT_INVALID = "amount_invalid"
    PRECISION = "too_many_decimals"
    REVIEW_SETTINGS_INVALID = "review_settings_invalid"
    NO_QUESTIONS = "no_questions"
    FORM_LOCKED = "form_locked"
    LABEL_INVALID = "label_invalid"
    KIND_INVALID = "kind_invalid"
    CHOICES_INVALID = "choices_invalid"
    WORD_LIMIT_INVALID = "word_limit_invalid"
    NOT_ORGANIZATION_ADMIN = "not_organization_admin"
    ALREADY_APPLIED = "already_applied"
    CALL_NOT_OPEN = "call_not_open"
    DEADLINE_PASSED = "deadline_passed"
    NOT_EDITABLE = "not_editable"
    ANSWER_INVALID = "answer_invalid"
    ANSWERS_MISSING = "answers_missing"
    INVALID_TRANSITION = "invalid_transition"
    REASON_REQUIRED = "reason_required"
