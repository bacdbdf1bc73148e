"""Template filters of the call pages."""

from __future__ import annotations

from typing import Any

from django import template

from jusoor.common.i18nfield import localized

register = template.Library()


@register.filter
def in_language(value: Any) -> str:
    """A {"ar", "fr", "en"} mapping in the active language (a plain string as it is)."""
    if isinstance(value, dict):
        return localized(value)
    return "" if value is None else str(value)
