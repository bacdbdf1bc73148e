"""A call's eligibility rules evaluated for an organisation, with the reason shown to the applicant.

Each rule the call sets gives one result {"rule", "ok", "reason"}; a rule the call leaves empty does not appear. The
rules, in order: organisation kind, country, territory (the organisation's territory or any territory above it is
one of the call's), minimum age (months since the founding date), verified status, amount requested.

`eligibility_evaluate` gives the reasons in the active language; `eligibility_snapshot` gives each reason in every
language ({"ar": …, "fr": …, "en": …}), as stored on the application at submission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from jusoor.calls.models import Call
from jusoor.common.i18nfield import LANGUAGE_CODES, localized
from jusoor.common.money import format_money
from jusoor.organizations.models import Organization
from jusoor.territories.models import Country, Territory

RULES = ("kind", "country", "territory", "age", "verified", "amount")


@dataclass(frozen=True)
class _Check:
    rule: str
    ok: bool
    reason: Callable[[], str]


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _ancestors(territory: Territory | None) -> list[Territory]:
    chain: list[Territory] = []
    while territory is not None and len(chain) < 6:  # noqa: PLR2004  (commune → province → region, and then some)
        chain.append(territory)
        territory = territory.parent
    return chain


def _join(items: list[str]) -> str:
    return ", ".join(items)


def _checks(call: Call, organization: Organization, requested: Decimal | None, today: date) -> list[_Check]:
    checks: list[_Check] = []
    kinds = list(call.eligible_kinds.all())
    if kinds:
        kind = organization.kind
        ok = any(item.pk == kind.pk for item in kinds)

        def kind_reason(ok: bool = ok) -> str:
            if ok:
                return _("Your organisation is of an accepted kind (%(kind)s).") % {"kind": localized(kind.label)}
            return _("This call is for: %(kinds)s. Your organisation is of the kind “%(kind)s”.") % {
                "kinds": _join([localized(k.label) for k in kinds]),
                "kind": localized(kind.label),
            }

        checks.append(_Check("kind", ok, kind_reason))
    if call.eligible_countries:
        countries = list(call.eligible_countries)
        ok = organization.country in countries

        def country_reason(ok: bool = ok) -> str:
            names = _join([str(Country(code).label) for code in countries if code in Country.values])
            if ok:
                return _("Your organisation is registered in an accepted country.")
            return _("This call is for organisations registered in: %(countries)s.") % {"countries": names}

        checks.append(_Check("country", ok, country_reason))
    territories = list(call.eligible_territories.all())
    if territories:
        chain = _ancestors(organization.territory)
        accepted = {item.pk for item in territories}
        match = next((item for item in chain if item.pk in accepted), None)

        def territory_reason() -> str:
            if match is not None:
                return _("Your organisation is based in %(territory)s, which this call covers.") % {
                    "territory": match.name
                }
            names = _join([item.name for item in territories])
            if organization.territory is None:
                return _("This call covers %(territories)s. Say where your organisation is based in its profile.") % {
                    "territories": names
                }
            return _("This call covers %(territories)s; your organisation is based in %(territory)s.") % {
                "territories": names,
                "territory": organization.territory.name,
            }

        checks.append(_Check("territory", match is not None, territory_reason))
    if call.minimum_age_months:
        minimum = call.minimum_age_months
        founded = organization.founded_on
        age = _months_between(founded, today) if founded else None
        ok = age is not None and age >= minimum

        def age_reason(ok: bool = ok) -> str:
            required = ngettext(
                "This call is for organisations founded at least %(count)d month ago.",
                "This call is for organisations founded at least %(count)d months ago.",
                minimum,
            ) % {"count": minimum}
            if founded is None:
                return _("%(rule)s Add your founding date to your organisation's profile.") % {"rule": required}
            since = date_format(founded, "DATE_FORMAT")
            if ok:
                return _("Your organisation was founded on %(date)s: it is old enough.") % {"date": since}
            return _("%(rule)s Yours was founded on %(date)s.") % {"rule": required, "date": since}

        checks.append(_Check("age", ok, age_reason))
    if call.require_verified:
        ok = organization.status == Organization.Status.VERIFIED

        def verified_reason(ok: bool = ok) -> str:
            if ok:
                return _("Your organisation is verified.")
            return _("This call is for verified organisations: ask for the verification of yours first.")

        checks.append(_Check("verified", ok, verified_reason))
    if call.max_requested is not None:
        maximum = call.max_requested
        currency = call.programme.currency
        ok = requested is None or requested <= maximum

        def amount_reason(ok: bool = ok) -> str:
            language = get_language() or "ar"
            if ok:
                return _("The amount requested is within the limit of %(maximum)s.") % {
                    "maximum": format_money(maximum, currency, language)
                }
            return _("The amount requested (%(amount)s) is above the limit of %(maximum)s.") % {
                "amount": format_money(requested or Decimal(0), currency, language),
                "maximum": format_money(maximum, currency, language),
            }

        checks.append(_Check("amount", ok, amount_reason))
    return checks


def eligibility_evaluate(
    *, call: Call, organization: Organization, requested: Decimal | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """[{"rule", "ok", "reason"}] for each rule the call sets, reasons in the active language."""
    today = today or timezone.localdate()
    return [
        {"rule": check.rule, "ok": check.ok, "reason": check.reason()}
        for check in _checks(call, organization, requested, today)
    ]


def eligibility_snapshot(
    *, call: Call, organization: Organization, requested: Decimal | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """[{"rule", "ok", "reason": {"ar", "fr", "en"}}], as stored on the application when it is submitted."""
    today = today or timezone.localdate()
    results = []
    for check in _checks(call, organization, requested, today):
        reasons = {}
        for code in LANGUAGE_CODES:
            with translation.override(code):
                reasons[code] = check.reason()
        results.append({"rule": check.rule, "ok": check.ok, "reason": reasons})
    return results


def is_eligible(results: list[dict[str, Any]]) -> bool:
    return all(result["ok"] for result in results)
