"""Figures the calls app gives the programme dashboards (registered in `CallsConfig.ready`).

- "applications_received": applications sent to the programme's calls up to the day (submitted or beyond; drafts and
  withdrawn applications are left out), per region of the applicant organisation;
- "organisations_supported": distinct organisations selected in the programme's calls up to the day, per region.

The region is the top of the organisation's territory chain (a Moroccan commune → province → region; a Tunisian
municipality → governorate): one query per figure, grouped in the database.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from jusoor.calls.models import Application
from jusoor.programmes.metrics import Metric, MetricValue, register
from jusoor.programmes.models import Programme

RECEIVED_STATUSES = frozenset(Application.Status.values) - {Application.Status.DRAFT, Application.Status.WITHDRAWN}
_REGION = Coalesce(
    "organization__territory__parent__parent__parent_id",
    "organization__territory__parent__parent_id",
    "organization__territory__parent_id",
    "organization__territory_id",
)


def _by_region(applications: QuerySet[Application], *, distinct: bool) -> MetricValue:
    rows = (
        applications.annotate(region=_REGION)
        .values("region")
        .annotate(n=Count("organization_id", distinct=distinct))
        .order_by()
    )
    by_region = {row["region"]: Decimal(row["n"]) for row in rows if row["region"] is not None}
    total = applications.aggregate(n=Count("organization_id", distinct=distinct))["n"]
    return MetricValue(total=Decimal(total), by_region=by_region)


def applications_received(programme: Programme, until: date) -> MetricValue:
    applications = Application.objects.filter(
        call__programme=programme, status__in=RECEIVED_STATUSES, submitted_at__date__lte=until
    )
    return _by_region(applications, distinct=False)


def organisations_supported(programme: Programme, until: date) -> MetricValue:
    applications = Application.objects.filter(
        call__programme=programme, status=Application.Status.SELECTED, status_changed_at__date__lte=until
    )
    return _by_region(applications, distinct=True)


def register_metrics() -> None:
    register(
        Metric(
            key="applications_received",
            label=_("Applications received"),
            unit=_("applications"),
            compute=applications_received,
        )
    )
    register(
        Metric(
            key="organisations_supported",
            label=_("Organisations supported"),
            unit=_("organisations"),
            compute=organisations_supported,
        )
    )
