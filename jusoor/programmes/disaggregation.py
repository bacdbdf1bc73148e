"""The breakdowns an indicator can ask for, and the values each one takes.

"region" is the report's region column (one of the programme's territories); "sex" and "age_band" are cells of
`IndicatorReport.disaggregation` and keys of `MetricValue.breakdowns`.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REGION = "region"
DISAGGREGATIONS: dict[str, Promise] = {
    "sex": _("Women and men"),
    "age_band": _("Age band"),
    REGION: _("Region"),
}
VALUES: dict[str, dict[str, Promise]] = {
    "sex": {"women": _("Women"), "men": _("Men")},
    "age_band": {
        "under_15": _("Under 15"),
        "15_24": _("15 to 24"),
        "25_34": _("25 to 34"),
        "35_59": _("35 to 59"),
        "60_plus": _("60 and over"),
    },
}


def value_label(breakdown: str, value: str) -> str:
    return str(VALUES.get(breakdown, {}).get(value, value))
