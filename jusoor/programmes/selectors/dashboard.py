"""The results dashboard: for each indicator its baseline, current targets (latest version per period) with their
history, the actual value up to a day, the share of the target reached, the value per region and the breakdowns
the indicator asks for.

Actual values: a computed indicator asks its registered metric (`metric.compute(programme, until)`); a metric key
nobody registered gives "not available" (None). A manual indicator adds up its approved reports whose period ends on
or before the day. The database work is four queries whatever the number of indicators, targets and reports (the
metrics run their own).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.programmes import metrics
from jusoor.programmes.disaggregation import DISAGGREGATIONS, REGION, VALUES
from jusoor.programmes.models import Indicator, IndicatorReport, IndicatorTarget, Programme
from jusoor.territories.models import Territory

ZERO = Decimal("0")
UNSPECIFIED = "unspecified"


@dataclass
class PeriodTarget:
    period_end: datetime.date
    current: IndicatorTarget
    history: list[IndicatorTarget]  # every version, newest first (the first is `current`)


@dataclass
class RegionValue:
    territory: Territory
    actual: Decimal | None


@dataclass
class Breakdown:
    key: str
    label: str
    cells: list[tuple[str, str, Decimal]]  # (value, label, actual)


@dataclass
class IndicatorRow:
    indicator: Indicator
    available: bool
    actual: Decimal | None
    target: IndicatorTarget | None
    percent: Decimal | None
    periods: list[PeriodTarget]
    regions: list[RegionValue]
    breakdowns: list[Breakdown] = field(default_factory=list)

    @property
    def metric_label(self) -> str:
        metric = metrics.get_metric(self.indicator.metric) if self.indicator.metric else None
        return str(metric.label) if metric else ""


@dataclass
class Dashboard:
    programme: Programme
    until: datetime.date
    rows: list[IndicatorRow]
    regions: list[Territory]


def percent_of(actual: Decimal | None, target: IndicatorTarget | None) -> Decimal | None:
    """actual / target in percent, one decimal (None without an actual value or a positive target)."""
    if actual is None or target is None or target.value <= 0:
        return None
    return (actual * 100 / target.value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def target_periods(targets: list[IndicatorTarget]) -> list[PeriodTarget]:
    by_period: dict[datetime.date, list[IndicatorTarget]] = defaultdict(list)
    for target in targets:
        by_period[target.period_end].append(target)
    periods = []
    for period_end in sorted(by_period):
        history = sorted(by_period[period_end], key=lambda t: -t.version)
        periods.append(PeriodTarget(period_end=period_end, current=history[0], history=history))
    return periods


def headline_target(periods: list[PeriodTarget], until: datetime.date) -> IndicatorTarget | None:
    """The current target of the first period not yet over on `until`, else of the last period."""
    for period in periods:
        if period.period_end >= until:
            return period.current
    return periods[-1].current if periods else None


def _breakdowns(asked: list[str], values: dict[str, dict[str, Decimal]], total: Decimal | None) -> list[Breakdown]:
    breakdowns = []
    for key in asked:
        if key == REGION:
            continue
        cells_in = values.get(key, {})
        cells = [(value, str(label), cells_in.get(value, ZERO)) for value, label in VALUES[key].items()]
        cells += [(value, value, amount) for value, amount in cells_in.items() if value not in VALUES[key]]
        rest = (total or ZERO) - sum((cell[2] for cell in cells), ZERO)
        if total is not None and rest:
            cells.append((UNSPECIFIED, _("Not specified"), rest))
        breakdowns.append(Breakdown(key=key, label=str(DISAGGREGATIONS[key]), cells=cells))
    return breakdowns


def _computed(
    indicator: Indicator, programme: Programme, until: datetime.date, regions: list[Territory]
) -> tuple[bool, Decimal | None, list[RegionValue], dict[str, dict[str, Decimal]]]:
    metric = metrics.get_metric(indicator.metric)
    if metric is None:
        return False, None, [RegionValue(territory, None) for territory in regions], {}
    value = metric.compute(programme, until)
    by_region = value.by_region
    # A metric that gives no regional figures for a non-zero total cannot be split by region.
    regional = bool(by_region) or value.total == 0
    region_values = [
        RegionValue(territory, Decimal(by_region.get(territory.pk, ZERO)) if regional else None)
        for territory in regions
    ]
    return True, Decimal(value.total), region_values, value.breakdowns


def _manual(
    rows: list[dict[str, Any]], regions: list[Territory]
) -> tuple[Decimal, list[RegionValue], dict[str, dict[str, Decimal]]]:
    total = ZERO
    by_region: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    cells: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in rows:
        total += row["total"]
        by_region[row["region_id"]] += row["total"]
        for key, value in (row["disaggregation"] or {}).items():
            cells[key][str(value)] += row["total"]
    region_values = [RegionValue(territory, by_region.get(territory.pk, ZERO)) for territory in regions]
    return total, region_values, {key: dict(values) for key, values in cells.items()}


def programme_dashboard(*, programme: Programme, viewer: Any, until: datetime.date | None = None) -> Dashboard:
    """The dashboard of `programme` up to `until` (today by default). The caller has checked
    `programmes.view_dashboard` for `viewer`."""
    until = until or timezone.localdate()
    indicators = list(Indicator.objects.filter(programme=programme).order_by("position", "id"))
    targets: dict[int, list[IndicatorTarget]] = defaultdict(list)
    for version in IndicatorTarget.objects.filter(indicator__programme=programme).order_by("period_end", "-version"):
        targets[version.indicator_id].append(version)
    regions = sorted(programme.territories.all(), key=lambda t: (t.code, t.pk))
    report_rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    approved = (
        IndicatorReport.objects.filter(
            indicator__programme=programme, status=IndicatorReport.Status.APPROVED, period_end__lte=until
        )
        .values("indicator_id", "region_id", "disaggregation")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in approved:
        report_rows[row["indicator_id"]].append(dict(row))

    rows = []
    for indicator in indicators:
        indicator.programme = programme
        if indicator.kind == Indicator.Kind.COMPUTED:
            available, actual, region_values, cells = _computed(indicator, programme, until, regions)
        else:
            available = True
            actual, region_values, cells = _manual(report_rows.get(indicator.pk, []), regions)
        periods = target_periods(targets.get(indicator.pk, []))
        target = headline_target(periods, until)
        rows.append(
            IndicatorRow(
                indicator=indicator,
                available=available,
                actual=actual,
                target=target,
                percent=percent_of(actual, target),
                periods=periods,
                regions=region_values,
                breakdowns=_breakdowns(list(indicator.disaggregations or []), cells, actual) if available else [],
            )
        )
    return Dashboard(programme=programme, until=until, rows=rows, regions=regions)
