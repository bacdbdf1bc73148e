"""A call's eligibility rules in words, in the caller's language, before any organisation is checked against them
(the calls app words each result for one organisation: `jusoor.calls.services.eligibility`). Same rules, same order:
organisation kind, country, territory, minimum age, verified status, amount requested."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from jusoor.calls.models import Call
from jusoor.common.i18nfield import localized
from jusoor.common.money import format_money
from jusoor.territories.models import Country


def _join(items: list[str]) -> str:
    return ", ".join(items)


def call_rules_in_words(call: Call) -> list[dict[str, Any]]:
    """[{"rule", "text"}] for each rule the call sets (kinds and territories prefetched by `call_get`)."""
    rules: list[dict[str, Any]] = []
    kinds = list(call.eligible_kinds.all())
    if kinds:
        text = _("Organisations of these kinds can apply: %(kinds)s.") % {
            "kinds": _join([localized(kind.label) for kind in kinds])
        }
        rules.append({"rule": "kind", "text": text})
    countries = [code for code in call.eligible_countries or [] if code in Country.values]
    if countries:
        text = _("Organisations registered in these countries can apply: %(countries)s.") % {
            "countries": _join([str(Country(code).label) for code in countries])
        }
        rules.append({"rule": "country", "text": text})
    territories = list(call.eligible_territories.all())
    if territories:
        text = _("Organisations based in these territories (or in a place inside them) can apply: %(territories)s.") % {
            "territories": _join([territory.name for territory in territories])
        }
        rules.append({"rule": "territory", "text": text})
    if call.minimum_age_months:
        text = ngettext(
            "The organisation must have been founded at least %(count)d month before applying.",
            "The organisation must have been founded at least %(count)d months before applying.",
            call.minimum_age_months,
        ) % {"count": call.minimum_age_months}
        rules.append({"rule": "age", "text": text})
    if call.require_verified:
        rules.append({"rule": "verified", "text": _("Only organisations verified on Jusoor can apply.")})
    if call.max_requested is not None:
        maximum = format_money(call.max_requested, call.programme.currency, (get_language() or "ar")[:2])
        text = _("At most %(maximum)s can be requested.") % {"maximum": maximum}
        rules.append({"rule": "amount", "text": text})
    return rules
