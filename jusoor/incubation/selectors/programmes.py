from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from jusoor.programmes.models import Programme


def programme_get(*, programme_id: int) -> Programme:
    """A programme (its existence is public: pages about it answer 403, not 404, to a viewer without permission)."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme


def programmes_among(*, programme_ids: set[int], viewer: Any, permission: str) -> QuerySet[Programme]:
    """The programmes of `programme_ids` where `viewer` has `permission` (a few per organisation)."""
    allowed = [
        programme.pk
        for programme in Programme.objects.filter(pk__in=programme_ids)
        if viewer.has_perm(permission, programme)
    ]
    return Programme.objects.filter(pk__in=allowed).order_by("-starts_on", "-id")
