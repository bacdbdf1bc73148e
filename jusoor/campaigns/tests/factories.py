from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from jusoor.campaigns.models import BudgetLine, Campaign
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.territories.models import Territory


class GovernorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("code",)

    code = "TN-82"
    code_system = "iso3166-2"
    country = "TN"
    kind = "governorate"
    name_ar = "مدنين"
    name_fr = "Médenine"
    name_en = "Medenine"


class MunicipalityFactory(GovernorateFactory):
    code = "5211"
    code_system = "tn-municipality"
    kind = "municipality"
    parent = factory.SubFactory(GovernorateFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A live TND campaign in the municipality of Medenine with one budget line equal to its goal."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    title_ar = factory.Sequence(lambda n: f"مكتبة لأطفال مدنين {n}")
    title_fr = factory.Sequence(lambda n: f"Une bibliothèque pour les enfants {n}")
    summary_fr = "Des livres pour 120 enfants."
    territory = factory.SubFactory(MunicipalityFactory)
    currency = "TND"
    goal = Decimal("10000.000")
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    status = Campaign.Status.LIVE

    @factory.post_generation
    def lines(self, create: bool, extracted: list[tuple[str, Decimal]] | None, **kwargs: object) -> None:
        if create:
            for position, (label, amount) in enumerate(extracted or [("Livres", self.goal)]):
                BudgetLine.objects.create(campaign=self, position=position, label=label, amount=amount)
