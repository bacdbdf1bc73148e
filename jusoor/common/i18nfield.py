"""Short translated labels stored as {"ar": …, "fr": …, "en": …} in one JSON column (django-i18nfield style).

Used for admin-editable taxonomies (organisation kinds, themes, SDG titles): a fixed, small set of languages and
short texts, so one column beats a translation table. Long or searchable content uses separate columns.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def localized(value: dict[str, str] | None, language: str | None = None) -> str:
    """The label in the active language, falling back to French, Arabic, then English."""
    if not value:
        return ""
    lang = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    for code in (lang, "fr", "ar", "en"):
        if value.get(code):
            return value[code]
    return ""


def validate_translations(value: Any) -> None:
    if not isinstance(value, dict) or set(value) - set(LANGUAGE_CODES):
        raise ValidationError(_("Give the label as a mapping of ar, fr and en."), code="i18n_keys")
    missing = [code for code in LANGUAGE_CODES if not str(value.get(code, "")).strip()]
    if missing:
        raise ValidationError(
            _("The label is missing in: %(languages)s."), code="i18n_missing", params={"languages": ", ".join(missing)}
        )


def localized_column(obj: Any, field: str) -> str:
    """`obj.<field>_ar/_fr/_en` in the active language, else the object's primary language, French, Arabic,
    English (models with one column per language: campaigns, programmes, calls)."""
    values = {code: getattr(obj, f"{field}_{code}") for code in ("ar", "fr", "en")}
    lang = (get_language() or obj.primary_language)[:2]
    return values.get(lang) or values.get(obj.primary_language) or values["fr"] or values["ar"] or values["en"]
