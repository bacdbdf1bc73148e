"""Create, edit and publish calls; build their application form from typed questions.

`data` for `call_create`/`call_update` holds model fields (`title_ar` … `description_en`, `primary_language`,
`opens_at`, `closes_at`, the eligibility columns `eligible_countries`, `minimum_age_months`, `require_verified`,
`max_requested`, and the review settings `reviewers_per_application`, `blind_review`, `same_commune_conflict`,
`disagreement_threshold`) and relation lists (`eligible_kinds`, `eligible_territories`). Omitted keys keep their value.

A question's label, help text and choice labels are {"ar": …, "fr": …, "en": …} with at least one language. The form
is frozen once an application has been submitted: the answers must keep meaning what they meant.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jusoor.calls.error_codes import CallErrorCode
from jusoor.calls.models import Answer, Application, Call, Question
from jusoor.common.audit import audit_log, diff
from jusoor.common.exceptions import ApplicationError
from jusoor.common.i18nfield import LANGUAGE_CODES
from jusoor.common.money import precision, quantize
from jusoor.programmes.models import Programme
from jusoor.territories.models import Country

TEXT_FIELDS = tuple(f"{name}_{code}" for name in ("title", "description") for code in ("ar", "fr", "en"))
FIELDS = (
    *TEXT_FIELDS,
    "primary_language",
    "opens_at",
    "closes_at",
    "eligible_countries",
    "minimum_age_months",
    "require_verified",
    "max_requested",
    "reviewers_per_application",
    "blind_review",
    "same_commune_conflict",
    "disagreement_threshold",
)
RELATIONS = ("eligible_kinds", "eligible_territories")
CHOICE_KINDS = frozenset({Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE})
MAX_CHOICES = 30
MAX_LABEL = 500


def _error(message: str, code: str, field: str = "__all__") -> ApplicationError:
    return ApplicationError(message, code=code, extra={"fields": {field: [message]}})


# --- Calls ---------------------------------------------------------------------------------------------------------


def _split(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    unknown = set(data) - {*FIELDS, *RELATIONS}
    if unknown:
        raise ValueError(f"call data: unknown keys {sorted(unknown)}")
    fields = {key: value for key, value in data.items() if key in FIELDS}
    for key in TEXT_FIELDS:
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    if "eligible_countries" in fields:
        fields["eligible_countries"] = sorted({str(code).upper() for code in fields["eligible_countries"] or []})
    relations = {key: list(value) for key, value in data.items() if key in RELATIONS}
    return fields, relations


def _validate(call: Call, currency: str) -> None:
    if not any(getattr(call, f"title_{code}").strip() for code in LANGUAGE_CODES):
        raise _error(_("Give the call's title in at least one language."), CallErrorCode.TITLE_REQUIRED, "title_fr")
    if call.opens_at is None or call.closes_at is None or call.closes_at <= call.opens_at:
        raise _error(_("The call must close after it opens."), CallErrorCode.DATES_INVALID, "closes_at")
    unknown = [code for code in call.eligible_countries if code not in Country.values]
    if unknown:
        raise _error(
            _("These countries are not covered: %(codes)s.") % {"codes": ", ".join(unknown)},
            CallErrorCode.COUNTRY_INVALID,
            "eligible_countries",
        )
    if call.max_requested is not None:
        amount = call.max_requested
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
            raise _error(
                _("The largest amount that can be requested must be greater than zero."),
                CallErrorCode.AMOUNT_INVALID,
                "max_requested",
            )
        if quantize(amount, currency) != amount:
            raise _error(_precision_message(currency), CallErrorCode.PRECISION, "max_requested")
    if not call.reviewers_per_application or call.reviewers_per_application > 10:  # noqa: PLR2004
        raise _error(
            _("Ask for between 1 and 10 reviewers per application."),
            CallErrorCode.REVIEW_SETTINGS_INVALID,
            "reviewers_per_application",
        )
    threshold = call.disagreement_threshold
    if not isinstance(threshold, Decimal) or not threshold.is_finite() or threshold <= 0:
        raise _error(
            _("The disagreement threshold must be greater than zero."),
            CallErrorCode.REVIEW_SETTINGS_INVALID,
            "disagreement_threshold",
        )


def _precision_message(currency: str) -> str:
    places = precision(currency)
    return ngettext(
        "Amounts in %(currency)s have at most %(places)d decimal place.",
        "Amounts in %(currency)s have at most %(places)d decimal places.",
        places,
    ) % {"currency": currency, "places": places}


def _snapshot(call: Call) -> dict[str, Any]:
    values: dict[str, Any] = {field: getattr(call, field) for field in FIELDS}
    for relation in RELATIONS:
        values[relation] = sorted(getattr(call, relation).values_list("pk", flat=True))
    return values


@transaction.atomic
def call_create(*, programme: Programme, acting_user: Any, data: dict[str, Any]) -> Call:
    """An unpublished call of `programme`; publish it with `call_publish` once its form is ready."""
    fields, relations = _split(data)
    call = Call(programme=programme, created_by=acting_user, **fields)
    _validate(call, programme.currency)
    call.save()
    for relation, values in relations.items():
        getattr(call, relation).set(values)
    audit_log(actor=acting_user, action="calls.call.created", target=call, changes=diff({}, _snapshot(call)))
    return call


@transaction.atomic
def call_update(*, call: Call, acting_user: Any, data: dict[str, Any]) -> Call:
    call = Call.objects.select_for_update(of=("self",)).select_related("programme").get(pk=call.pk)
    before = _snapshot(call)
    fields, relations = _split(data)
    for name, value in fields.items():
        setattr(call, name, value)
    _validate(call, call.programme.currency)
    if fields:
        call.save(update_fields=[*fields, "updated_at"])
    for relation, values in relations.items():
        getattr(call, relation).set(values)
    changes = diff(before, _snapshot(call))
    if changes:
        audit_log(actor=acting_user, action="calls.call.updated", target=call, changes=changes)
    return call


@transaction.atomic
def call_publish(*, call: Call, acting_user: Any) -> Call:
    """Make the call public; it takes applications between its opening and closing times."""
    call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
    if call.published:
        return call
    if not Question.objects.filter(call=call).exists():
        raise _error(
            _("Add at least one question to the application form before publishing the call."),
            CallErrorCode.NO_QUESTIONS,
        )
    call.published = True
    call.save(update_fields=["published", "updated_at"])
    audit_log(
        actor=acting_user,
        action="calls.call.published",
        target=call,
        changes={"published": {"old": False, "new": True}},
    )
    return call


# --- Questions -----------------------------------------------------------------------------------------------------


def _ensure_form_open(call: Call) -> None:
    submitted = Application.objects.filter(call=call).exclude(status=Application.Status.DRAFT)
    if submitted.exists():
        raise _error(_("The form cannot change once applications have been submitted."), CallErrorCode.FORM_LOCKED)


def _clean_translations(value: Any, *, field: str, required: bool) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or set(value) - set(LANGUAGE_CODES):
        raise _error(_("Give the text as a mapping of ar, fr and en."), CallErrorCode.LABEL_INVALID, field)
    cleaned = {code: " ".join(str(value.get(code) or "").split()) for code in LANGUAGE_CODES if value.get(code)}
    cleaned = {code: text for code, text in cleaned.items() if text}
    if required and not cleaned:
        raise _error(_("Write the text in at least one language."), CallErrorCode.LABEL_INVALID, field)
    if any(len(text) > MAX_LABEL for text in cleaned.values()):
        raise _error(
            _("A text has at most %(count)d characters.") % {"count": MAX_LABEL}, CallErrorCode.LABEL_INVALID, field
        )
    return cleaned


def _clean_choices(kind: str, choices: Any) -> list[dict[str, Any]]:
    if kind not in CHOICE_KINDS:
        return []
    if not isinstance(choices, list) or not 2 <= len(choices) <= MAX_CHOICES:  # noqa: PLR2004
        raise _error(
            _("A choice question needs between 2 and %(count)d choices.") % {"count": MAX_CHOICES},
            CallErrorCode.CHOICES_INVALID,
            "choices",
        )
    cleaned: list[dict[str, Any]] = []
    for index, choice in enumerate(choices, start=1):
        if not isinstance(choice, dict):
            raise _error(_("Each choice needs a label."), CallErrorCode.CHOICES_INVALID, "choices")
        label = _clean_translations(choice.get("label"), field="choices", required=True)
        value = str(choice.get("value") or "").strip() or str(index)
        cleaned.append({"value": value[:40], "label": label})
    values = [choice["value"] for choice in cleaned]
    if len(set(values)) != len(values):
        raise _error(_("Two choices have the same value."), CallErrorCode.CHOICES_INVALID, "choices")
    return cleaned


def _clean_question(data: dict[str, Any], question: Question | None) -> dict[str, Any]:
    unknown = set(data) - {"kind", "label", "help_text", "required", "identifying", "word_limit", "choices"}
    if unknown:
        raise ValueError(f"question data: unknown keys {sorted(unknown)}")
    kind = data.get("kind", question.kind if question else "")
    if kind not in Question.Kind.values:
        raise _error(_("Choose a kind of question."), CallErrorCode.KIND_INVALID, "kind")
    values: dict[str, Any] = {"kind": kind}
    if "label" in data or question is None:
        values["label"] = _clean_translations(data.get("label"), field="label", required=True)
    if "help_text" in data:
        values["help_text"] = _clean_translations(data.get("help_text") or {}, field="help_text", required=False)
    if "required" in data:
        values["required"] = bool(data["required"])
    if "identifying" in data:
        values["identifying"] = bool(data["identifying"])
    word_limit = data.get("word_limit", question.word_limit if question else None)
    if kind != Question.Kind.LONG_TEXT:
        word_limit = None
    elif word_limit is not None and (not isinstance(word_limit, int) or not 1 <= word_limit <= 10000):  # noqa: PLR2004
        raise _error(_("The word limit must be between 1 and 10,000."), CallErrorCode.WORD_LIMIT_INVALID, "word_limit")
    values["word_limit"] = word_limit
    values["choices"] = _clean_choices(kind, data.get("choices", question.choices if question else []))
    return values


def _question_snapshot(question: Question) -> dict[str, Any]:
    return {
        field: getattr(question, field)
        for field in ("kind", "label", "help_text", "required", "identifying", "word_limit", "choices", "position")
    }


def _lock_call(call_id: int) -> Call:
    return Call.objects.select_for_update(of=("self",)).get(pk=call_id)


@transaction.atomic
def question_add(*, call: Call, acting_user: Any, data: dict[str, Any]) -> Question:
    """A question at the end of the call's form."""
    call = _lock_call(call.pk)
    _ensure_form_open(call)
    values = _clean_question(data, None)
    last = Question.objects.filter(call=call).aggregate(last=Max("position"))["last"]
    question = Question.objects.create(call=call, position=0 if last is None else last + 1, **values)
    audit_log(
        actor=acting_user, action="calls.question.added", target=call, changes=diff({}, _question_snapshot(question))
    )
    return question


@transaction.atomic
def question_update(*, question: Question, acting_user: Any, data: dict[str, Any]) -> Question:
    call = _lock_call(question.call_id)
    _ensure_form_open(call)
    question = Question.objects.get(pk=question.pk)
    before = _question_snapshot(question)
    values = _clean_question(data, question)
    for name, value in values.items():
        setattr(question, name, value)
    question.save(update_fields=list(values))
    changes = diff(before, _question_snapshot(question))
    if changes:
        audit_log(actor=acting_user, action="calls.question.updated", target=call, changes=changes)
    return question


@transaction.atomic
def question_remove(*, question: Question, acting_user: Any) -> None:
    call = _lock_call(question.call_id)
    _ensure_form_open(call)
    # The form is still open, so only drafts answered it: their answers go with the question.
    Answer.objects.filter(question_id=question.pk).delete()
    snapshot = _question_snapshot(question)
    Question.objects.filter(pk=question.pk).delete()
    _renumber(call)
    audit_log(actor=acting_user, action="calls.question.removed", target=call, changes=diff(snapshot, {}))


@transaction.atomic
def question_move(*, question: Question, acting_user: Any, offset: int) -> Question:
    """Move the question `offset` places (-1 up, +1 down), within the form."""
    call = _lock_call(question.call_id)
    _ensure_form_open(call)
    ordered = list(Question.objects.filter(call=call).order_by("position", "id"))
    index = next(i for i, item in enumerate(ordered) if item.pk == question.pk)
    target = max(0, min(len(ordered) - 1, index + offset))
    if target == index:
        return ordered[index]
    moved = ordered.pop(index)
    ordered.insert(target, moved)
    _renumber(call, ordered)
    audit_log(
        actor=acting_user,
        action="calls.question.moved",
        target=call,
        changes={"question": moved.pk, "position": {"old": index, "new": target}},
    )
    return moved


def _renumber(call: Call, ordered: list[Question] | None = None) -> None:
    ordered = ordered if ordered is not None else list(Question.objects.filter(call=call).order_by("position", "id"))
    changed = []
    for position, question in enumerate(ordered):
        if question.position != position:
            question.position = position
            changed.append(question)
    Question.objects.bulk_update(changed, ["position"])
