from __future__ import annotations

from enum import StrEnum


class CampaignErrorCode(StrEnum):
    ORGANIZATION_NOT_VERIFIED = "organization_not_verified"
    TITLE_REQUIRED = "title_required"
    TERRITORY_REQUIRED = "territory_required"
    CURRENCY_INVALID = "currency_invalid"
    TIMEZONE_INVALID = "timezone_invalid"
    AMOUNT_INVALID = "amount_invalid"
    PRECISION = "too_many_decimals"
    LABEL_INVALID = "label_invalid"
    TOO_MANY_LINES = "too_many_budget_lines"
    GOAL_MISMATCH = "goal_mismatch"
    MINIMUM_GOAL_INVALID = "minimum_goal_invalid"
    STRETCH_GOAL_INVALID = "stretch_goal_invalid"
    DATES_INVALID = "dates_invalid"
    NOT_EDITABLE = "not_editable"
    LOCKED_AFTER_LIVE = "locked_after_live"
    INVALID_TRANSITION = "invalid_transition"
    BUDGET_REQUIRED = "budget_required"
    COMMENT_REQUIRED = "comment_required"
    CHECKLIST_INCOMPLETE = "checklist_incomplete"
    LEGAL_DOCUMENTS_MISSING = "legal_documents_missing"
    NOT_STARTED = "not_started"
    DEADLINE_PASSED = "deadline_passed"
    REPORT_REQUIRED = "report_required"
    NOT_PUBLIC = "not_public"
    UPDATE_INVALID = "update_invalid"
    IMAGE_NOT_FOUND = "image_not_found"
    TOO_MANY_IMAGES = "too_many_images"
