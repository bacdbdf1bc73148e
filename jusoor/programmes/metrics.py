"""Indicators computed from the platform's own records.

The app that owns the records registers a metric under a stable key (in its `AppConfig.ready`), e.g. the calls app
registers "applications_received"; an `Indicator(kind="computed", metric="applications_received")` shows it. The
programmes app never imports those apps: they sit above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from jusoor.programmes.models import Programme


@dataclass(frozen=True)
class MetricValue:
    """A computed figure up to a day: the total, per region (territory id → value) and per other breakdown
    (e.g. {"sex": {"women": 12, "men": 9}})."""

    total: Decimal
    by_region: dict[int, Decimal] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    unit: str | Promise
    compute: Callable[[Programme, date], MetricValue]


_REGISTRY: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    _REGISTRY[metric.key] = metric
    return metric


def get_metric(key: str) -> Metric | None:
    return _REGISTRY.get(key)


def all_metrics() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda metric: metric.key)
