from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.programmes.models import Indicator, IndicatorReport, IndicatorTarget, Programme, ProgrammeMember
from jusoor.territories.models import Territory


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("code",)

    code = "MA-06"
    code_system = "iso3166-2"
    country = "MA"
    kind = "region"
    name_ar = "الدار البيضاء-سطات"
    name_fr = "Casablanca-Settat"
    name_en = "Casablanca-Settat"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    operator = factory.SubFactory(OrganizationFactory, country="MA")
    title_fr = factory.Sequence(lambda n: f"Programme d’appui {n}")
    title_ar = factory.Sequence(lambda n: f"برنامج الدعم {n}")
    primary_language = "fr"
    starts_on = datetime.date(2022, 1, 1)
    ends_on = datetime.date(2025, 12, 31)
    currency = "MAD"
    budget_envelope = Decimal("2000000.00")
    grant_minimum = Decimal("20000.00")
    grant_maximum = Decimal("100000.00")
    status = Programme.Status.ACTIVE


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeMember

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory("jusoor.accounts.tests.factories.UserFactory")
    role = "manager"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.LazyFunction(lambda: {"ar": "مستفيدون", "fr": "Bénéficiaires", "en": "Beneficiaries"})
    unit = "personnes"
    kind = Indicator.Kind.MANUAL
    metric = ""


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    period_end = datetime.date(2025, 12, 31)
    value = Decimal("100")
    source = "Document de programme"
    set_on = datetime.date(2022, 1, 10)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorReport

    indicator = factory.SubFactory(IndicatorFactory)
    period_end = datetime.date(2022, 12, 31)
    value = Decimal("10")
    status = IndicatorReport.Status.APPROVED
