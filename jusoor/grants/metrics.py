"""Indicators computed from grants, registered in `GrantsConfig.ready` (see `jusoor.programmes.metrics`).

* `seed_funds_awarded` — sum of the programme's grants awarded up to the day and not cancelled, by region;
* `grants_awarded` — how many such grants, by region;
* `beneficiaries_direct` / `beneficiaries_indirect` — from reports approved up to the day, by region and by sex
  (when the report gave the breakdown).

The region is the organisation's territory's ancestor of kind "region" (Moroccan communes → province → region),
or its top-level territory elsewhere (a Tunisian governorate).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jusoor.grants.models import Grant, GrantReport
from jusoor.programmes.metrics import Metric, MetricValue, register
from jusoor.programmes.models import Programme
from jusoor.territories.models import Territory

REGION_KINDS = frozenset({"region", "governorate"})


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def regions_of(territory_ids: set[int]) -> dict[int, int]:
    """{territory id: id of its region} walking up the parent chain, one query per level."""
    parents: dict[int, tuple[int | None, str]] = {}
    todo = set(territory_ids)
    while todo:
        rows = Territory.objects.filter(pk__in=todo).values_list("pk", "parent_id", "kind")
        parents.update({pk: (parent_id, kind) for pk, parent_id, kind in rows})
        todo = {parent for parent, _kind in parents.values() if parent is not None and parent not in parents}
    result = {}
    for start in territory_ids:
        current: int | None = start
        while current is not None and current in parents:
            parent, kind = parents[current]
            if kind in REGION_KINDS or parent is None:
                break
            current = parent
        if current is not None:
            result[start] = current
    return result


def _awarded(programme: Programme, until: date) -> list[tuple[Decimal, int | None]]:
    return list(
        Grant.objects.filter(programme=programme, created_at__lt=_end_of(until))
        .exclude(status=Grant.Status.CANCELLED)
        .values_list("amount", "organization__territory_id")
    )


def _by_region(rows: list[tuple[Decimal, int | None]]) -> dict[int, Decimal]:
    regions = regions_of({territory for _value, territory in rows if territory is not None})
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for value, territory in rows:
        if territory is not None and territory in regions:
            totals[regions[territory]] += value
    return dict(totals)


def seed_funds_awarded(programme: Programme, until: date) -> MetricValue:
    rows = _awarded(programme, until)
    return MetricValue(total=sum((amount for amount, _t in rows), Decimal("0")), by_region=_by_region(rows))


def grants_awarded(programme: Programme, until: date) -> MetricValue:
    rows = [(Decimal("1"), territory) for _amount, territory in _awarded(programme, until)]
    return MetricValue(total=Decimal(len(rows)), by_region=_by_region(rows))


def _beneficiaries(kind: str) -> Metric:
    column = f"beneficiaries_{kind}"

    def compute(programme: Programme, until: date) -> MetricValue:
        reports = GrantReport.objects.filter(
            grant__programme=programme, status=GrantReport.Status.APPROVED, decided_at__lt=_end_of(until)
        ).values_list(column, "breakdown", "grant__organization__territory_id")
        rows: list[tuple[Decimal, int | None]] = []
        by_sex: dict[str, Decimal] = defaultdict(Decimal)
        for count, breakdown, territory in reports:
            rows.append((Decimal(count), territory))
            for sex, value in ((breakdown or {}).get(kind) or {}).items():
                by_sex[sex] += Decimal(value)
        return MetricValue(
            total=sum((value for value, _t in rows), Decimal("0")),
            by_region=_by_region(rows),
            breakdowns={"sex": dict(by_sex)} if by_sex else {},
        )

    label = (
        _("Direct beneficiaries (approved grant reports)")
        if kind == "direct"
        else _("Indirect beneficiaries (approved grant reports)")
    )
    return Metric(key=column, label=label, unit=_("people"), compute=compute)


def register_metrics() -> None:
    register(
        Metric(
            key="seed_funds_awarded",
            label=_("Seed funds awarded"),
            unit=_("amount in the programme's currency"),
            compute=seed_funds_awarded,
        )
    )
    register(Metric(key="grants_awarded", label=_("Seed grants awarded"), unit=_("grants"), compute=grants_awarded))
    register(_beneficiaries("direct"))
    register(_beneficiaries("indirect"))
