from __future__ import annotations

from enum import StrEnum


class PaymentErrorCode(StrEnum):
    INVALID_SIGNATURE = "invalid_signature"
    INVALID_PAYLOAD = "invalid_payload"
    UNKNOWN_PROVIDER = "unknown_provider"
    RATE_LIMITED = "rate_limited"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    CARD_INVALID = "card_invalid"
    SESSION_CLOSED = "session_closed"
    STATEMENT_DUPLICATE = "statement_duplicate"
    STATEMENT_INVALID = "statement_invalid"
    LINE_FINAL = "line_final"
    LINE_AMOUNT_DIFFERS = "line_amount_differs"
    LINE_NO_PLEDGE = "line_no_pledge"
    NOTE_REQUIRED = "note_required"
