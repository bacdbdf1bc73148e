from enum import StrEnum


class OrganizationErrorCode(StrEnum):
    INVALID_TRANSITION = "invalid_transition"
    DOCUMENTS_MISSING = "documents_missing"
    REASON_REQUIRED = "reason_required"
    DUPLICATE_REGISTRATION = "duplicate_registration"
    UPLOAD_TOO_LARGE = "upload_too_large"
    UPLOAD_TYPE = "upload_type"
    LAST_OWNER = "last_owner"
    ALREADY_MEMBER = "already_member"
    INVITATION_INVALID = "invitation_invalid"
    INVITATION_EMAIL = "invitation_email"
    NOT_A_MEMBER = "not_a_member"
