from __future__ import annotations

import factory

from jusoor.accounts.tests.factories import UserFactory
from jusoor.organizations.models import Membership, MembershipRole, Organization, OrganizationKind, Theme


class OrganizationKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationKind
        django_get_or_create = ("slug",)

    slug = "association"
    label = factory.LazyFunction(lambda: {"ar": "جمعية", "fr": "Association", "en": "Association"})


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = "health"
    label = factory.LazyFunction(lambda: {"ar": "الصحة", "fr": "Santé", "en": "Health"})


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_ar = factory.Sequence(lambda n: f"جمعية الأمل {n}")
    name_fr = factory.Sequence(lambda n: f"Association Espoir {n}")
    primary_language = "ar"
    kind = factory.SubFactory(OrganizationKindFactory)
    country = "TN"
    status = Organization.Status.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.MEMBER
