"""The audit trail: one row per state-changing service call, with old and new values."""

from __future__ import annotations

from typing import Any

from django.db import models

from jusoor.common.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields whose value changed, as {"field": {"old": …, "new": …}}."""
    return {
        field: {"old": _jsonable(old.get(field)), "new": _jsonable(new.get(field))}
        for field in sorted(set(old) | set(new))
        if old.get(field) != new.get(field)
    }


def audit_log(*, actor: Any, action: str, target: models.Model, changes: dict[str, Any] | None = None) -> AuditEvent:
    """Record that `actor` did `action` (dotted, e.g. "accounts.profile.updated") on `target`."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        changes=_jsonable(changes or {}),
    )
