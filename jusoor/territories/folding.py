"""Search folding for territory names: applied when loading (stored in `search_text`) and to queries."""

from __future__ import annotations

# Latin letters lose their accents, Arabic hamza/alef/yeh/teh-marbuta variants are unified, and Arabic short
# vowels and the tatweel are dropped; then everything is lower-cased.
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
