"""The figures incubation gives to programme indicators (registered in `IncubationConfig.ready`).

events_held            activities held (not cancelled) that started on or before the day, by region of the activity's
                       territory, broken down by kind
participants           check-ins at those activities, by region, broken down by sex and age band ("unknown" when not
                       given)
coaching_sessions      confirmed sessions up to the day, by region of the organisation (or of the local team's commune),
                       broken down by modality
coaching_hours         confirmed minutes / 60, rounded to hundredths
organisations_coached  organisations with at least one confirmed session up to the day, by region
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from jusoor.incubation.models import Activity, Attendance, CoachingSession
from jusoor.incubation.selectors.regions import region_of
from jusoor.programmes.metrics import Metric, MetricValue, register
from jusoor.programmes.models import Programme

HUNDREDTH = Decimal("0.01")


def _grouped(rows: Iterable[Any], key: str, value: str = "n") -> dict[Any, Decimal]:
    return {row[key]: Decimal(row[value] or 0) for row in rows if row[key] is not None}


def _breakdown(queryset: QuerySet[Any], expression: Any) -> dict[str, Decimal]:
    rows = queryset.annotate(cell=expression).values("cell").annotate(n=Count("id")).order_by("cell")
    return {(row["cell"] or "unknown"): Decimal(row["n"]) for row in rows}


def _held(programme: Programme, until: date) -> QuerySet[Activity]:
    return Activity.objects.filter(programme=programme, status=Activity.Status.HELD, starts_at__date__lte=until)


def events_held(programme: Programme, until: date) -> MetricValue:
    activities = _held(programme, until)
    by_region = activities.annotate(region=region_of("territory")).values("region").annotate(n=Count("id"))
    return MetricValue(
        total=Decimal(activities.count()),
        by_region=_grouped(by_region.order_by("region"), "region"),
        breakdowns={"kind": _breakdown(activities, F("kind"))},
    )


def participants(programme: Programme, until: date) -> MetricValue:
    attendances = Attendance.objects.filter(activity__in=_held(programme, until))
    by_region = attendances.annotate(region=region_of("activity__territory")).values("region").annotate(n=Count("id"))
    return MetricValue(
        total=Decimal(attendances.count()),
        by_region=_grouped(by_region.order_by("region"), "region"),
        breakdowns={
            "sex": _breakdown(attendances, Coalesce("registration__sex", "sex")),
            "age_band": _breakdown(attendances, Coalesce("registration__age_band", "age_band")),
        },
    )


def _confirmed(programme: Programme, until: date) -> QuerySet[Any]:
    return CoachingSession.objects.filter(
        programme=programme, status=CoachingSession.Status.CONFIRMED, date__lte=until
    ).annotate(region=Coalesce(region_of("organization__territory"), region_of("local_team__territory")))


def coaching_sessions(programme: Programme, until: date) -> MetricValue:
    sessions = _confirmed(programme, until)
    by_region = sessions.values("region").annotate(n=Count("id")).order_by("region")
    return MetricValue(
        total=Decimal(sessions.count()),
        by_region=_grouped(by_region, "region"),
        breakdowns={"modality": _breakdown(sessions, F("modality"))},
    )


def _hours(minutes: Any) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(HUNDREDTH)


def coaching_hours(programme: Programme, until: date) -> MetricValue:
    sessions = _confirmed(programme, until)
    total = sessions.aggregate(minutes=Sum("duration_minutes"))["minutes"]
    by_region = sessions.values("region").annotate(minutes=Sum("duration_minutes")).order_by("region")
    return MetricValue(
        total=_hours(total),
        by_region={row["region"]: _hours(row["minutes"]) for row in by_region if row["region"] is not None},
    )


def organisations_coached(programme: Programme, until: date) -> MetricValue:
    sessions = _confirmed(programme, until).filter(organization__isnull=False)
    total = sessions.aggregate(n=Count("organization", distinct=True))["n"]
    by_region = sessions.values("region").annotate(n=Count("organization", distinct=True)).order_by("region")
    return MetricValue(total=Decimal(total), by_region=_grouped(by_region, "region"))


METRICS = (
    Metric("events_held", _("Events held"), _("events"), events_held),
    Metric("participants", _("Participants in activities"), _("participants"), participants),
    Metric("coaching_sessions", _("Coaching sessions"), _("sessions"), coaching_sessions),
    Metric("coaching_hours", _("Coaching hours"), _("hours"), coaching_hours),
    Metric("organisations_coached", _("Organisations coached"), _("organisations"), organisations_coached),
)


def register_metrics() -> None:
    for metric in METRICS:
        register(metric)
