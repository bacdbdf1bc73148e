"""Target-versus-actual bars drawn on the server as SVG geometry (no JavaScript, no style attributes).

Each indicator gets a row: its name, then a bar for the current target and one for the actual value, both scaled to
the larger of the two (indicators have different units, so each row has its own scale). In a right-to-left page the
bars grow from the right.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jusoor.programmes.selectors.dashboard import Dashboard

WIDTH = 640
BAR_AREA = 520
LABEL_HEIGHT = 18
BAR_HEIGHT = 12
BAR_GAP = 4
ROW_GAP = 14
ROW_HEIGHT = LABEL_HEIGHT + 2 * BAR_HEIGHT + BAR_GAP + ROW_GAP


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    value_x: int  # where the figure after the bar is written
    value_y: int


@dataclass(frozen=True)
class ChartRow:
    label: str
    label_x: int
    label_y: int
    target: Bar | None
    actual: Bar | None
    target_value: Decimal | None
    actual_value: Decimal | None


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: list[ChartRow]
    anchor: str  # text-anchor of the labels: "start" left to right, "end" right to left
    value_anchor: str


def _bar(value: Decimal | None, scale: Decimal, y: int, *, rtl: bool) -> Bar | None:
    if value is None:
        return None
    width = 0 if scale <= 0 else int((value / scale * BAR_AREA).to_integral_value())
    width = max(width, 1 if value > 0 else 0)
    x = WIDTH - width if rtl else 0
    value_x = WIDTH - width - 6 if rtl else width + 6
    return Bar(x=x, y=y, width=width, height=BAR_HEIGHT, value_x=value_x, value_y=y + BAR_HEIGHT - 2)


def target_chart(dashboard: Dashboard, *, rtl: bool) -> Chart:
    rows = []
    for index, row in enumerate(dashboard.rows):
        top = index * ROW_HEIGHT
        target = row.target.value if row.target else None
        actual = row.actual
        scale = max(target or Decimal("0"), actual or Decimal("0"))
        bars_top = top + LABEL_HEIGHT
        rows.append(
            ChartRow(
                label=row.indicator.label,
                label_x=WIDTH if rtl else 0,
                label_y=top + LABEL_HEIGHT - 5,
                target=_bar(target, scale, bars_top, rtl=rtl),
                actual=_bar(actual, scale, bars_top + BAR_HEIGHT + BAR_GAP, rtl=rtl),
                target_value=target,
                actual_value=actual,
            )
        )
    return Chart(
        width=WIDTH,
        height=max(len(rows) * ROW_HEIGHT, ROW_HEIGHT),
        rows=rows,
        anchor="end" if rtl else "start",
        value_anchor="end" if rtl else "start",
    )
