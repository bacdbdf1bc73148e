"""Read access to territories."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, QuerySet, Value
from django.db.models.functions import Concat, Lower

from jusoor.territories.models import Territory, TerritoryBoundary

# Search folding, done the same way in SQL (TRANSLATE, no database extension needed) and in Python:
# Latin letters lose their accents, Arabic hamza/alef/yeh/teh-marbuta variants are unified, and Arabic short
# vowels and the tatweel are dropped. Uppercase accented letters are listed because the database's lower()
# may only handle ASCII (C locale).
_FOLD_PAIRS = {
    "a": "àáâãäåāÀÁÂÃÄÅĀ",
    "c": "çÇ",
    "e": "èéêëēÈÉÊËĒ",
    "i": "ìíîïīÌÍÎÏĪ",
    "n": "ñÑ",
    "o": "òóôõöōÒÓÔÕÖŌ",
    "u": "ùúûüūÙÚÛÜŪ",
    "y": "ÿýŸÝ",
    "'": "’ʼ‘`´",  # typographic apostrophes
    "ا": "أإآٱ",
    "ي": "ىی",
    "ه": "ةھ",
    "ك": "ک",
}
_FOLD_DROP = "ـًٌٍَُِّْ"  # tatweel and Arabic short vowels
_FOLD_FROM = "".join(_FOLD_PAIRS.values()) + _FOLD_DROP
_FOLD_TO = "".join(target * len(sources) for target, sources in _FOLD_PAIRS.items())
_FOLD_TABLE = str.maketrans(_FOLD_FROM[: len(_FOLD_TO)], _FOLD_TO, _FOLD_DROP)


def fold_search_text(text: str) -> str:
    """The Python side of the search folding (see _FOLD_PAIRS)."""
    return text.translate(_FOLD_TABLE).lower()


class _Translate(Func):
    function = "TRANSLATE"


def _folded_names() -> Lower:
    names = Concat(F("name_ar"), Value("\n"), F("name_fr"), Value("\n"), F("name_en"))
    return Lower(_Translate(names, Value(_FOLD_FROM), Value(_FOLD_TO)))


def territory_list(
    *, country: str | None = None, kind: str | None = None, parent_code: str | None = None, q: str | None = None
) -> QuerySet[Territory]:
    """Territories filtered by country, kind, parent code and a name search (ar/fr/en, case and accents ignored)."""
    territories = Territory.objects.select_related("parent")
    if country:
        territories = territories.filter(country=country.upper())
    if kind:
        territories = territories.filter(kind=kind)
    if parent_code:
        territories = territories.filter(parent__code=parent_code)
    if q and q.strip():
        territories = territories.alias(folded_names=_folded_names()).filter(
            folded_names__contains=fold_search_text(q.strip())
        )
    return territories


def territory_get(*, code: str) -> Territory:
    """The territory with this primary code; raises Territory.DoesNotExist."""
    return Territory.objects.select_related("parent").prefetch_related("codes").get(code=code)


def territory_boundary_geojson(*, code: str) -> dict[str, Any]:
    """The territory's boundary as a GeoJSON Feature.

    Raises Territory.DoesNotExist for an unknown code and, when it has no boundary,
    Territory.boundary.RelatedObjectDoesNotExist (a subclass of TerritoryBoundary.DoesNotExist).
    """
    territory = Territory.objects.select_related("boundary").get(code=code)
    boundary: TerritoryBoundary = territory.boundary
    return {
        "type": "Feature",
        "geometry": boundary.geometry,
        "properties": {
            "code": territory.code,
            "kind": territory.kind,
            "names": territory.names,
            "source": boundary.source,
        },
    }
