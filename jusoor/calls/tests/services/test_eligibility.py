"""The eligibility rules, table-tested: each case sets one rule on the call and gives the exact reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jusoor.calls.services.eligibility import eligibility_evaluate, eligibility_snapshot, is_eligible
from jusoor.organizations.models import Organization
from jusoor.organizations.tests.factories import OrganizationKindFactory

TODAY = date(2026, 11, 22)


def _setup(call, organization, region, prefecture, commune, rule):
    """Apply `rule` (a name and a setting) to the call or the organisation."""
    name, setting = rule
    call.require_verified = False
    if name == "kind":
        kind = OrganizationKindFactory(slug=setting, label={"fr": setting, "en": setting.capitalize(), "ar": setting})
        call.eligible_kinds.set([kind])
    elif name == "kind_cooperative_org":
        cooperative = OrganizationKindFactory(slug="cooperative", label={"en": "Cooperative", "fr": "Coopérative"})
        call.eligible_kinds.set([OrganizationKindFactory()])
        organization.kind = cooperative
    elif name == "country":
        call.eligible_countries = setting
    elif name == "territory":
        call.eligible_territories.set([{"region": region, "prefecture": prefecture, "commune": commune}[setting]])
    elif name == "territory_elsewhere":
        from jusoor.territories.models import Territory

        call.eligible_territories.set(
            [
                Territory.objects.create(
                    code="MA-01",
                    code_system="iso3166-2",
                    country="MA",
                    kind="region",
                    name_ar="طنجة",
                    name_fr="Tanger-Tétouan-Al Hoceïma",
                    name_en="Tangier-Tetouan-Al Hoceima",
                )
            ]
        )
    elif name == "territory_unknown":
        call.eligible_territories.set([region])
        organization.territory = None
    elif name == "age":
        call.minimum_age_months, organization.founded_on = setting
    elif name == "verified":
        call.require_verified = True
        organization.status = setting
    elif name == "amount":
        call.max_requested = Decimal("100000")
    call.save()
    organization.save()


CASES = [
    (("kind", "association"), None, [("kind", True, "Your organisation is of an accepted kind (Association).")]),
    (
        ("kind_cooperative_org", None),
        None,
        [("kind", False, "This call is for: Association. Your organisation is of the kind “Cooperative”.")],
    ),
    (("country", ["MA"]), None, [("country", True, "Your organisation is registered in an accepted country.")]),
    (
        ("country", ["TN", "FR"]),
        None,
        [("country", False, "This call is for organisations registered in: Tunisia, France.")],
    ),
    (
        ("territory", "region"),
        None,
        [("territory", True, "Your organisation is based in Casablanca-Settat, which this call covers.")],
    ),
    (
        ("territory", "commune"),
        None,
        [("territory", True, "Your organisation is based in Sidi Belyout, which this call covers.")],
    ),
    (
        ("territory_elsewhere", None),
        None,
        [
            (
                "territory",
                False,
                "This call covers Tangier-Tetouan-Al Hoceima; your organisation is based in Sidi Belyout.",
            )
        ],
    ),
    (
        ("territory_unknown", None),
        None,
        [
            (
                "territory",
                False,
                "This call covers Casablanca-Settat. Say where your organisation is based in its profile.",
            )
        ],
    ),
    (
        ("age", (24, date(2024, 11, 22))),
        None,
        [("age", True, "Your organisation was founded on Nov. 22, 2024: it is old enough.")],
    ),
    (
        ("age", (24, date(2024, 11, 23))),
        None,
        [
            (
                "age",
                False,
                "This call is for organisations founded at least 24 months ago. Yours was founded on Nov. 23, 2024.",
            )
        ],
    ),
    (
        ("age", (1, None)),
        None,
        [
            (
                "age",
                False,
                "This call is for organisations founded at least 1 month ago. "
                "Add your founding date to your organisation's profile.",
            )
        ],
    ),
    (("verified", Organization.Status.VERIFIED), None, [("verified", True, "Your organisation is verified.")]),
    (
        ("verified", Organization.Status.PENDING),
        None,
        [("verified", False, "This call is for verified organisations: ask for the verification of yours first.")],
    ),
    (
        ("amount", None),
        Decimal("100000"),
        [("amount", True, "The amount requested is within the limit of MAD100,000.00.")],
    ),
    (("amount", None), None, [("amount", True, "The amount requested is within the limit of MAD100,000.00.")]),
    (
        ("amount", None),
        Decimal("100000.01"),
        [("amount", False, "The amount requested (MAD100,000.01) is above the limit of MAD100,000.00.")],
    ),
]


@pytest.mark.parametrize(("rule", "requested", "expected"), CASES)
def test_each_rule_with_its_reason(call, organization, region, prefecture, commune, rule, requested, expected):
    _setup(call, organization, region, prefecture, commune, rule)
    results = eligibility_evaluate(call=call, organization=organization, requested=requested, today=TODAY)
    assert [(r["rule"], r["ok"], r["reason"]) for r in results] == expected
    assert is_eligible(results) is expected[0][1]


def test_a_call_without_rules_accepts_everyone(call, organization):
    call.require_verified = False
    call.save()
    assert eligibility_evaluate(call=call, organization=organization) == []


def test_every_rule_is_listed_in_order(call, organization, region):
    call.eligible_kinds.set([organization.kind])
    call.eligible_countries = ["MA"]
    call.eligible_territories.set([region])
    call.minimum_age_months = 12
    call.max_requested = Decimal("50000")
    call.save()
    results = eligibility_snapshot(call=call, organization=organization, requested=Decimal("60000"), today=TODAY)
    assert [(r["rule"], r["ok"]) for r in results] == [
        ("kind", True),
        ("country", True),
        ("territory", True),
        ("age", True),
        ("verified", True),
        ("amount", False),
    ]
    assert set(results[0]["reason"]) == {"ar", "fr", "en"}
    # Each reason says what its own rule found, whatever the rules after it found.
    assert [r["reason"]["en"] for r in results] == [
        "Your organisation is of an accepted kind (Association).",
        "Your organisation is registered in an accepted country.",
        "Your organisation is based in Casablanca-Settat, which this call covers.",
        "Your organisation was founded on March 1, 2015: it is old enough.",
        "Your organisation is verified.",
        "The amount requested (MAD60,000.00) is above the limit of MAD50,000.00.",
    ]


def test_a_failing_first_rule_keeps_its_own_reason(call, organization):
    call.eligible_countries = ["TN"]
    call.save()
    results = eligibility_evaluate(call=call, organization=organization, today=TODAY)
    assert [(r["rule"], r["ok"], r["reason"]) for r in results] == [
        ("country", False, "This call is for organisations registered in: Tunisia."),
        ("verified", True, "Your organisation is verified."),
    ]
