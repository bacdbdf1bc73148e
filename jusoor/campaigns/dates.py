"""Campaign dates are stored in UTC and shown in the campaign's time zone (`display_timezone`), with its name."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from jusoor.common.money import babel_locale

ZONE_LABELS = {
    "Africa/Tunis": gettext_lazy("Tunis time"),
    "Africa/Casablanca": gettext_lazy("Casablanca time"),
    "Europe/Paris": gettext_lazy("Paris time"),
}


def in_zone(value: datetime.datetime, zone: str) -> datetime.datetime:
    return timezone.localtime(value, ZoneInfo(zone))


def format_in_zone(value: datetime.datetime, zone: str, language: str | None = None) -> str:
    """ "22 December 2026 at 23:59 (Tunis time)", in the current language (Western digits in Arabic)."""
    local = in_zone(value, zone)
    locale = babel_locale(language or get_language() or "ar")
    return _("%(date)s at %(time)s (%(zone)s)") % {
        "date": format_date(local.date(), "long", locale=locale),
        "time": format_time(local.time(), "short", locale=locale),
        "zone": ZONE_LABELS.get(zone, zone),
    }


def start_of_day(day: datetime.date, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=ZoneInfo(zone))


def end_of_day(day: datetime.date, zone: str) -> datetime.datetime:
    """A deadline given as a day closes at 23:59 that day, in the campaign's time zone."""
    return datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=ZoneInfo(zone))


def days_left(ends_at: datetime.datetime) -> int:
    """Whole days until the deadline (0 on its last day or after it)."""
    return max(0, (ends_at - timezone.now()).days)
