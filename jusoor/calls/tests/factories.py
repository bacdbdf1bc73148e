from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from jusoor.calls.models import Application, Call, Question
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.programmes.models import Programme


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A MAD programme of 2 years with a 1,000,000 MAD envelope and grants of 20,000–100,000 MAD."""

    class Meta:
        model = Programme

    operator = factory.SubFactory(OrganizationFactory, country="MA")
    title_fr = factory.Sequence(lambda n: f"Programme d’appui {n}")
    primary_language = "fr"
    starts_on = date(2026, 1, 1)
    ends_on = date(2027, 12, 31)
    currency = "MAD"
    budget_envelope = Decimal("1000000")
    grant_minimum = Decimal("20000")
    grant_maximum = Decimal("100000")
    status = Programme.Status.ACTIVE


class CallFactory(factory.django.DjangoModelFactory):
    """A published call, open since yesterday for 30 more days, with no eligibility rule but verified status."""

    class Meta:
        model = Call

    programme = factory.SubFactory(ProgrammeFactory)
    title_fr = factory.Sequence(lambda n: f"Appel à candidatures {n}")
    title_ar = factory.Sequence(lambda n: f"طلب ترشيحات {n}")
    primary_language = "fr"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    published = True
    require_verified = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    call = factory.SubFactory(CallFactory)
    position = factory.Sequence(lambda n: n)
    kind = Question.Kind.SHORT_TEXT
    label = factory.LazyFunction(lambda: {"fr": "Nom du projet", "ar": "اسم المشروع"})
    required = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    organization = factory.SubFactory(OrganizationFactory, country="MA")
    status = Application.Status.DRAFT
    language = "fr"
