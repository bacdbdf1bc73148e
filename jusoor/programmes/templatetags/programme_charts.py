"""`{% target_chart dashboard %}`: the dashboard's target-versus-actual bars as inline SVG."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

from jusoor.programmes.charts import target_chart as build_chart
from jusoor.programmes.selectors.dashboard import Dashboard

register = template.Library()


@register.inclusion_tag("programmes/_chart.html")
def target_chart(dashboard: Dashboard, chart_id: str = "indicators-chart") -> dict[str, Any]:
    return {"chart": build_chart(dashboard, rtl=translation.get_language_bidi()), "chart_id": chart_id}
