from enum import StrEnum


class LedgerErrorCode(StrEnum):
    UNBALANCED = "unbalanced"
    ZERO_AMOUNT = "zero_amount"
    PRECISION = "too_many_decimals"
    CURRENCY = "unsupported_currency"
    CURRENCY_MISMATCH = "currency_mismatch"
    ALREADY_REVERSED = "already_reversed"
    EMPTY = "empty_group"
    RATE_INVALID = "invalid_rate"
