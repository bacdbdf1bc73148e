from __future__ import annotations

from enum import StrEnum


class DonationErrorCode(StrEnum):
    NOT_LIVE = "campaign_not_live"
    AMOUNT_INVALID = "amount_invalid"
    AMOUNT_TOO_SMALL = "amount_too_small"
    PRECISION = "too_many_decimals"
    CURRENCY = "unsupported_currency"
    IDEMPOTENCY_REUSED = "idempotency_key_reused"
    INVALID_TRANSITION = "invalid_transition"
    AMOUNT_MISMATCH = "amount_mismatch"
    REFUND_TOO_LARGE = "refund_too_large"
    BUSY = "busy"
    POT_INVALID = "matching_pot_invalid"
    CHOICE_INVALID = "choice_invalid"
