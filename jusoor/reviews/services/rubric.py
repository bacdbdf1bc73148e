"""The managers' rubric: weighted criteria on a scale. Criteria can change until the first score is given; after
that the totals already computed would silently change, so the rubric is locked."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jusoor.calls.models import Call
from jusoor.common.audit import audit_log
from jusoor.common.i18nfield import LANGUAGE_CODES
from jusoor.reviews.error_codes import ReviewErrorCode
from jusoor.reviews.models import Criterion, CriterionScore, Rubric
from jusoor.reviews.services.common import error

FIELDS = ("label", "guidance", "weight", "scale_min", "scale_max", "optional", "position")


def _clean_texts(value: dict[str, Any] | None) -> dict[str, str]:
    value = value or {}
    return {code: str(value.get(code) or "").strip() for code in LANGUAGE_CODES if str(value.get(code) or "").strip()}


def _validate(values: dict[str, Any]) -> dict[str, Any]:
    label = _clean_texts(values.get("label"))
    if not label:
        raise error(_("Give the criterion in at least one language."), ReviewErrorCode.LABEL_REQUIRED, "label")
    try:
        weight = Decimal(str(values.get("weight")))
    except (InvalidOperation, ValueError):
        weight = Decimal("0")
    if not weight.is_finite() or weight <= 0 or weight >= 1000 or weight != weight.quantize(Decimal("0.001")):
        raise error(
            _("The weight must be a number above 0 and below 1000, with at most 3 decimals."),
            ReviewErrorCode.WEIGHT_INVALID,
            "weight",
        )
    scale_min, scale_max = values.get("scale_min"), values.get("scale_max")
    if not isinstance(scale_min, int) or not isinstance(scale_max, int) or not 0 <= scale_min < scale_max <= 100:
        raise error(
            _("The scale must go from a lower to a higher whole number, between 0 and 100."),
            ReviewErrorCode.SCALE_INVALID,
            "scale_max",
        )
    return {
        "label": label,
        "guidance": _clean_texts(values.get("guidance")),
        "weight": weight,
        "scale_min": scale_min,
        "scale_max": scale_max,
        "optional": bool(values.get("optional")),
        "position": int(values.get("position") or 0),
    }


def _ensure_unlocked(rubric: Rubric) -> None:
    if CriterionScore.objects.filter(criterion__rubric=rubric).exists():
        raise error(
            _("Reviewers have started scoring: the rubric can no longer change."), ReviewErrorCode.RUBRIC_LOCKED
        )


def _lock_rubric(call: Call) -> Rubric:
    rubric, _created = Rubric.objects.get_or_create(call=call)
    return Rubric.objects.select_for_update().get(pk=rubric.pk)


@transaction.atomic
def criterion_add(*, call: Call, acting_user: Any, values: dict[str, Any]) -> Criterion:
    """Add a criterion to the call's rubric (created on first use). `values`: label and guidance as
    {"ar", "fr", "en"}, weight, scale_min, scale_max, optional, position."""
    rubric = _lock_rubric(call)
    _ensure_unlocked(rubric)
    cleaned = _validate(values)
    criterion = Criterion.objects.create(rubric=rubric, **cleaned)
    audit_log(
        actor=acting_user,
        action="reviews.criterion.added",
        target=criterion,
        changes={name: {"old": None, "new": value} for name, value in cleaned.items()},
    )
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, acting_user: Any, values: dict[str, Any]) -> Criterion:
    rubric = Rubric.objects.select_for_update().get(pk=criterion.rubric_id)
    _ensure_unlocked(rubric)
    criterion = Criterion.objects.get(pk=criterion.pk)
    cleaned = _validate(values)
    changes = {
        name: {"old": getattr(criterion, name), "new": value}
        for name, value in cleaned.items()
        if getattr(criterion, name) != value
    }
    if not changes:
        return criterion
    for name in changes:
        setattr(criterion, name, cleaned[name])
    criterion.save(update_fields=list(changes))
    audit_log(actor=acting_user, action="reviews.criterion.updated", target=criterion, changes=changes)
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, acting_user: Any) -> None:
    rubric = Rubric.objects.select_for_update().get(pk=criterion.rubric_id)
    _ensure_unlocked(rubric)
    audit_log(
        actor=acting_user,
        action="reviews.criterion.deleted",
        target=criterion,
        changes={"label": {"old": criterion.label, "new": None}},
    )
    criterion.delete()
