"""The results framework: indicators and their targets.

An indicator is computed from the platform's records (a metric key registered in `jusoor.programmes.metrics`) or
reported by hand. `data` holds `code`, `name` ({"ar", "fr", "en"}, at least one), `unit`, `baseline`, `kind`,
`metric`, `disaggregations` (any of "sex", "age_band", "region") and `position`.

Targets are never overwritten: `indicator_target_set` always adds a version; the current target of a period is its
latest version.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log, diff
from jusoor.programmes import metrics
from jusoor.programmes.disaggregation import DISAGGREGATIONS
from jusoor.programmes.error_codes import ProgrammeErrorCode
from jusoor.programmes.models import Indicator, IndicatorTarget, Programme
from jusoor.programmes.services.programmes import error

FIELDS = ("code", "name", "unit", "baseline", "kind", "metric", "disaggregations", "position")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_VALUE = Decimal("1e16")


def check_value(value: Any, *, field: str) -> Decimal:
    """A Decimal from 0 to 10^16 with at most three decimals."""
    if (
        not isinstance(value, Decimal)
        or not value.is_finite()
        or not Decimal("0") <= value < MAX_VALUE
        or value.as_tuple().exponent < -3  # type: ignore[operator]  # finite: an int exponent
    ):
        raise error(
            _("Enter a number of zero or more, with at most three decimals."), ProgrammeErrorCode.VALUE_INVALID, field
        )
    return value


def _clean(indicator: Indicator, data: dict[str, Any]) -> None:
    for field in FIELDS:
        if field in data:
            setattr(indicator, field, data[field])
    indicator.code = (indicator.code or "").strip().lower()
    if not _CODE.match(indicator.code):
        raise error(
            _("The code has 1 to 40 lower-case letters, digits, hyphens or underscores."),
            ProgrammeErrorCode.CODE_INVALID,
            "code",
        )
    name = indicator.name if isinstance(indicator.name, dict) else {}
    indicator.name = {code: str(name.get(code) or "").strip() for code in ("ar", "fr", "en")}
    if not any(indicator.name.values()):
        raise error(_("Name the indicator in at least one language."), ProgrammeErrorCode.NAME_REQUIRED, "name")
    indicator.unit = (indicator.unit or "").strip()
    if not indicator.unit or len(indicator.unit) > 40:
        raise error(_("Give the unit (at most 40 characters)."), ProgrammeErrorCode.UNIT_REQUIRED, "unit")
    check_value(indicator.baseline, field="baseline")
    if indicator.kind not in Indicator.Kind.values:
        raise error(_("Choose how the indicator is measured."), ProgrammeErrorCode.KIND_INVALID, "kind")
    indicator.metric = (indicator.metric or "").strip()
    if indicator.kind == Indicator.Kind.MANUAL:
        indicator.metric = ""
    elif metrics.get_metric(indicator.metric) is None:
        raise error(
            _("No figure of the platform is computed under the key “%(key)s”.") % {"key": indicator.metric},
            ProgrammeErrorCode.METRIC_UNKNOWN,
            "metric",
        )
    asked = list(indicator.disaggregations or [])
    if any(item not in DISAGGREGATIONS for item in asked):
        raise error(
            _("Choose the breakdowns from the list."), ProgrammeErrorCode.DISAGGREGATION_INVALID, "disaggregations"
        )
    indicator.disaggregations = [item for item in DISAGGREGATIONS if item in asked]


def _check_code_free(indicator: Indicator) -> None:
    taken = Indicator.objects.filter(programme_id=indicator.programme_id, code=indicator.code)
    if indicator.pk:
        taken = taken.exclude(pk=indicator.pk)
    if taken.exists():
        raise error(
            _("Another indicator of this programme already uses this code."), ProgrammeErrorCode.CODE_TAKEN, "code"
        )


@transaction.atomic
def indicator_create(*, programme: Programme, acting_user: Any, data: dict[str, Any]) -> Indicator:
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    indicator = Indicator(programme=programme, baseline=Decimal("0"), disaggregations=[])
    if "position" not in data:
        last = Indicator.objects.filter(programme=programme).aggregate(last=Max("position"))["last"]
        indicator.position = 0 if last is None else last + 1
    _clean(indicator, data)
    _check_code_free(indicator)
    indicator.save()
    audit_log(
        actor=acting_user,
        action="programmes.indicator.created",
        target=indicator,
        changes=diff({}, {field: getattr(indicator, field) for field in FIELDS}),
    )
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, acting_user: Any, data: dict[str, Any]) -> Indicator:
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    old = {field: getattr(indicator, field) for field in FIELDS}
    _clean(indicator, data)
    _check_code_free(indicator)
    new = {field: getattr(indicator, field) for field in FIELDS}
    changed = [field for field in FIELDS if old[field] != new[field]]
    if changed:
        indicator.save(update_fields=changed)
        audit_log(actor=acting_user, action="programmes.indicator.updated", target=indicator, changes=diff(old, new))
    return indicator


@transaction.atomic
def indicator_target_set(
    *,
    indicator: Indicator,
    period_end: datetime.date,
    value: Decimal,
    source: str,
    set_on: datetime.date,
    acting_user: Any,
) -> IndicatorTarget:
    """Add a target for the period ending on `period_end`: always a new version (1, 2, …); earlier ones are kept."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)  # one version number at a time
    if not isinstance(period_end, datetime.date):
        raise error(_("Give the end of the period."), ProgrammeErrorCode.DATE_INVALID, "period_end")
    check_value(value, field="value")
    source = " ".join((source or "").split())
    if not source or len(source) > 200:
        raise error(
            _("Say where the target comes from (at most 200 characters)."),
            ProgrammeErrorCode.SOURCE_REQUIRED,
            "source",
        )
    if not isinstance(set_on, datetime.date) or set_on > timezone.localdate():
        raise error(_("The target cannot be set on a future day."), ProgrammeErrorCode.DATE_INVALID, "set_on")
    last = IndicatorTarget.objects.filter(indicator=indicator, period_end=period_end).aggregate(v=Max("version"))["v"]
    target = IndicatorTarget.objects.create(
        indicator=indicator,
        period_end=period_end,
        value=value,
        version=(last or 0) + 1,
        source=source,
        set_on=set_on,
        created_by=acting_user if acting_user.is_authenticated else None,
    )
    audit_log(
        actor=acting_user,
        action="programmes.indicator.target_set",
        target=indicator,
        changes={
            "period_end": period_end,
            "version": target.version,
            "value": {"old": None, "new": value},
            "source": source,
            "set_on": set_on,
        },
    )
    return target
