"""Check one answer against its question's kind; every check raises an ApplicationError on the field `q<id>`.

What each kind takes and stores (in `Answer.value`):
- short text: a string, at most 300 characters; long text: a string within the word limit (20,000 characters);
- number: a Decimal, an int or a string ("1500.5"), stored as a string;
- single choice: one choice value; multiple choice: a list of distinct choice values;
- date: a `date` or an ISO string ("2026-03-31"), stored as ISO;
- budget: rows [{"label": …, "amount": …}] (50 at most), each amount ≥ 0 with at most the programme currency's
  decimals, stored with amounts as strings; rows with neither label nor amount are dropped;
- file: a PDF, PNG, JPEG or WebP file of 10 MB at most, checked by its content (the value keeps its name).
An empty answer (None, "", [], no rows) is `EMPTY`: the stored answer is removed (a draft may be incomplete).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jusoor.calls.error_codes import CallErrorCode
from jusoor.calls.models import Question
from jusoor.common.exceptions import ApplicationError
from jusoor.common.money import precision, quantize
from jusoor.common.uploads import DOCUMENT_TYPES, SniffedType, check_upload

EMPTY = object()
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 20000
MAX_BUDGET_ROWS = 50
MAX_FILE_BYTES = 10 * 1024 * 1024
NUMBER_LIMIT = Decimal("1e15")

Kind = Question.Kind


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def _error(question: Question, message: str) -> ApplicationError:
    return ApplicationError(
        message, code=CallErrorCode.ANSWER_INVALID, extra={"fields": {field_name(question): [message]}}
    )


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    return number if number.is_finite() else None


def _text(question: Question, value: Any) -> Any:
    text = str(value).replace("\x00", "").strip()
    if not text:
        return EMPTY
    if question.kind == Kind.SHORT_TEXT:
        if "\n" in text or len(text) > SHORT_TEXT_MAX:
            return _fail(question, _("Write one line of at most %(count)d characters.") % {"count": SHORT_TEXT_MAX})
        return text
    if len(text) > LONG_TEXT_MAX:
        return _fail(question, _("Write at most %(count)d characters.") % {"count": LONG_TEXT_MAX})
    words = len(text.split())
    if question.word_limit and words > question.word_limit:
        return _fail(
            question,
            ngettext(
                "Write at most %(limit)d word (you wrote %(count)d).",
                "Write at most %(limit)d words (you wrote %(count)d).",
                question.word_limit,
            )
            % {"limit": question.word_limit, "count": words},
        )
    return text


def _fail(question: Question, message: str) -> Any:
    raise _error(question, message)


def _number(question: Question, value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return EMPTY
    number = _decimal(value)
    if number is None or abs(number) >= NUMBER_LIMIT:
        return _fail(question, _("Enter a number, such as 1500 or 12.5."))
    if number != number.quantize(Decimal("0.001")):
        return _fail(question, _("Enter a number with at most 3 decimal places."))
    # Plain notation: "100", never "1E+2".
    return format(number.normalize() if number == number.to_integral() else number, "f")


def _single_choice(question: Question, value: Any) -> Any:
    if isinstance(value, list | tuple):
        if len(value) > 1:
            return _fail(question, _("Choose only one answer."))
        value = value[0] if value else ""
    choice = str(value).strip()
    if not choice:
        return EMPTY
    if choice not in [item["value"] for item in question.choices]:
        return _fail(question, _("Choose one of the answers offered."))
    return choice


def _multiple_choice(question: Question, value: Any) -> Any:
    allowed = [choice["value"] for choice in question.choices]
    values = [str(item).strip() for item in (value if isinstance(value, list | tuple) else [value])]
    values = [item for item in values if item]
    if not values:
        return EMPTY
    if len(set(values)) != len(values) or any(item not in allowed for item in values):
        return _fail(question, _("Choose among the answers offered, each at most once."))
    return [choice for choice in allowed if choice in values]


def _date(question: Question, value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return EMPTY
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return _fail(question, _("Enter a date such as 2026-03-31."))


def _budget(question: Question, value: Any, currency: str) -> Any:
    if not isinstance(value, list | tuple):
        return _fail(question, _("Give the budget as lines, each with a label and an amount."))
    rows = []
    for row in value:
        label = " ".join(str((row or {}).get("label") or "").split()) if isinstance(row, dict) else ""
        raw_amount = row.get("amount") if isinstance(row, dict) else None
        if not label and _is_empty(raw_amount if not isinstance(raw_amount, str) else raw_amount.strip()):
            continue
        if not label or len(label) > 200:  # noqa: PLR2004
            return _fail(question, _("Each budget line needs a label of at most 200 characters."))
        amount = _decimal(raw_amount) if not _is_empty(raw_amount) else None
        if amount is None or amount < 0 or amount >= NUMBER_LIMIT:
            return _fail(question, _("Each budget line needs an amount of zero or more."))
        if quantize(amount, currency) != amount:
            places = precision(currency)
            return _fail(
                question,
                ngettext(
                    "Amounts in %(currency)s have at most %(places)d decimal place.",
                    "Amounts in %(currency)s have at most %(places)d decimal places.",
                    places,
                )
                % {"currency": currency, "places": places},
            )
        rows.append({"label": label, "amount": str(quantize(amount, currency))})
    if len(rows) > MAX_BUDGET_ROWS:
        return _fail(question, _("A budget has at most %(count)d lines.") % {"count": MAX_BUDGET_ROWS})
    return rows or EMPTY


def _file(question: Question, value: Any) -> Any:
    return _fail(question, _("Upload the file with the form."))


_CLEANERS = {
    Kind.SHORT_TEXT: _text,
    Kind.LONG_TEXT: _text,
    Kind.NUMBER: _number,
    Kind.SINGLE_CHOICE: _single_choice,
    Kind.MULTIPLE_CHOICE: _multiple_choice,
    Kind.DATE: _date,
    Kind.FILE: _file,
}


def clean_answer(question: Question, value: Any, *, currency: str) -> Any:
    """The value to store for `question`, `EMPTY`, or ApplicationError."""
    if _is_empty(value):
        return EMPTY
    if question.kind == Kind.BUDGET:
        return _budget(question, value, currency)
    return _CLEANERS[Kind(question.kind)](question, value)


def check_file(question: Question, upload: UploadedFile) -> SniffedType:
    try:
        return check_upload(upload, allowed=DOCUMENT_TYPES, max_bytes=MAX_FILE_BYTES, size=upload.size or 0)
    except ApplicationError as error:
        raise _error(question, str(error.message)) from error


def budget_total(rows: list[dict[str, str]]) -> Decimal:
    return sum((Decimal(row["amount"]) for row in rows), Decimal(0))
