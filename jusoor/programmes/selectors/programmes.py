"""Reads about programmes: the public list, one programme for a viewer, its team, indicators with their target
history, and the reports waiting for a decision. Each runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from jusoor.organizations.models import Organization
from jusoor.programmes.models import (
    Indicator,
    IndicatorReport,
    IndicatorTarget,
    Programme,
    ProgrammeMember,
    ProgrammeRole,
)

ROLE_ORDER = {role: index for index, role in enumerate(ProgrammeRole.values)}


def programme_public_list(*, viewer: Any) -> QuerySet[Programme]:
    """Active programmes, newest first, with what the list shows (operator, territories, themes)."""
    return (
        Programme.objects.filter(status=Programme.Status.ACTIVE)
        .select_related("operator")
        .prefetch_related("territories", "themes")
        .order_by("-starts_on", "-id")
    )


def programme_list_for_team(*, viewer: Any) -> QuerySet[Programme]:
    """Programmes the viewer works on (any role), whatever their status."""
    if not getattr(viewer, "is_authenticated", False):
        return Programme.objects.none()
    return (
        Programme.objects.filter(Q(team__user=viewer) | Q(created_by=viewer))
        .select_related("operator")
        .distinct()
        .order_by("-starts_on", "-id")
    )


def programme_get(*, programme_id: int, viewer: Any) -> Programme:
    """The programme with what its page shows, if `viewer` may see it; the same 404 whether missing or hidden."""
    programme = (
        Programme.objects.select_related("operator")
        .prefetch_related("territories", "themes", "funders")
        .filter(pk=programme_id)
        .first()
    )
    if programme is None or not viewer.has_perm("programmes.view_programme", programme):
        raise Http404
    return programme


def operator_choices(*, viewer: Any, may_operate_any: bool) -> QuerySet[Organization]:
    """Organisations the viewer may choose as operator: all of them for programme admins, else those they run."""
    organizations = Organization.objects.all()
    if not may_operate_any:
        organizations = organizations.filter(memberships__user=viewer, memberships__role__in=["owner", "admin"])
    return organizations.order_by("name_fr", "name_ar")


def team_list(*, programme: Programme) -> list[ProgrammeMember]:
    members = list(ProgrammeMember.objects.filter(programme=programme).select_related("user"))
    return sorted(members, key=lambda m: (ROLE_ORDER.get(m.role, 99), str(m.user).lower(), m.pk))


def programme_calls(*, programme: Programme, viewer: Any) -> list[Any]:
    """The programme's published calls (its team sees the unpublished ones too), latest first.

    The calls app sits above this one: its model is reached through the reverse relation, never imported."""
    calls = programme.calls.all()  # type: ignore[attr-defined]  # reverse relation declared by jusoor.calls
    if not viewer.has_perm("programmes.change_programme", programme):
        calls = calls.filter(published=True)
    return list(calls.order_by("-opens_at", "-id"))


def indicator_list(*, programme: Programme) -> list[Indicator]:
    """Indicators in order, each with every target version (newest version first within a period)."""
    targets = IndicatorTarget.objects.select_related("created_by").order_by("period_end", "-version")
    return list(Indicator.objects.filter(programme=programme).prefetch_related(Prefetch("targets", queryset=targets)))


def indicator_get(*, programme: Programme, indicator_id: int) -> Indicator:
    indicator = Indicator.objects.filter(programme=programme, pk=indicator_id).first()
    if indicator is None:
        raise Http404
    indicator.programme = programme
    return indicator


def report_queue(*, programme: Programme, status: str = IndicatorReport.Status.SUBMITTED) -> list[IndicatorReport]:
    """Reports of the programme in `status` (those waiting for a decision by default), oldest first."""
    return list(
        IndicatorReport.objects.filter(indicator__programme=programme, status=status)
        .select_related("indicator", "region", "organization", "submitted_by", "decided_by")
        .order_by("created_at", "id")
    )


def report_get(*, programme: Programme, report_id: int) -> IndicatorReport:
    report = (
        IndicatorReport.objects.filter(indicator__programme=programme, pk=report_id)
        .select_related("indicator", "submitted_by")
        .first()
    )
    if report is None:
        raise Http404
    report.indicator.programme = programme
    return report
