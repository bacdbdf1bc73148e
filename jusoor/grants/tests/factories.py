from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from jusoor.grants.models import DemoDay, JuryCriterion, Pitch
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.programmes.models import Programme, ProgrammeMember


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A MAD programme: envelope 1,000,000, grants of 20,000 to 100,000."""

    class Meta:
        model = Programme

    operator = factory.SubFactory(OrganizationFactory, country="MA")
    title_fr = factory.Sequence(lambda n: f"Programme d'incubation {n}")
    title_ar = factory.Sequence(lambda n: f"برنامج الاحتضان {n}")
    starts_on = date(2025, 1, 1)
    ends_on = date(2026, 12, 31)
    currency = "MAD"
    budget_envelope = Decimal("1000000.00")
    grant_minimum = Decimal("20000.00")
    grant_maximum = Decimal("100000.00")
    status = Programme.Status.ACTIVE


class ProgrammeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeMember

    programme = factory.SubFactory(ProgrammeFactory)
    role = "juror"


class DemoDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemoDay

    programme = factory.SubFactory(ProgrammeFactory)
    title = "Demo Day"
    starts_at = factory.LazyFunction(timezone.now)
    place = "Casablanca"
    status = DemoDay.Status.LIVE


class PitchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pitch

    demo_day = factory.SubFactory(DemoDayFactory)
    organization = factory.SubFactory(OrganizationFactory, country="MA")
    order = factory.Sequence(lambda n: n + 1)


class JuryCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JuryCriterion

    demo_day = factory.SubFactory(DemoDayFactory)
    label = factory.LazyFunction(lambda: {"fr": "Impact", "ar": "الأثر", "en": "Impact"})
    weight = Decimal("1")
    scale_min = 1
    scale_max = 5
    position = factory.Sequence(lambda n: n)
