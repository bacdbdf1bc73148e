"""Plain builders for money tests (no fixtures, so concurrency tests can call them outside a test's transaction)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jusoor.campaigns.models import BudgetLine, Campaign
from jusoor.donations.models import Donation
from jusoor.donations.services.capture import donation_capture
from jusoor.donations.services.pledge import donation_pledge
from jusoor.finance.models import ExchangeRate
from jusoor.organizations.models import Organization, OrganizationKind
from jusoor.territories.models import Territory


def territory(code: str = "TN-82", name: str = "Médenine", parent: Territory | None = None) -> Territory:
    found, _created = Territory.objects.get_or_create(
        code=code,
        defaults={
            "code_system": "iso3166-2",
            "country": "TN",
            "kind": "governorate" if parent is None else "municipality",
            "parent": parent,
            "name_ar": "مدنين",
            "name_fr": name,
            "name_en": name,
        },
    )
    return found


def organization(name: str = "Association des enfants de Médenine") -> Organization:
    kind, _created = OrganizationKind.objects.get_or_create(
        slug="association", defaults={"label": {"ar": "جمعية", "fr": "Association", "en": "Association"}}
    )
    return Organization.objects.create(
        name_fr=name, name_ar="جمعية أطفال مدنين", kind=kind, country="TN", status=Organization.Status.VERIFIED
    )


def campaign(
    *,
    org: Organization | None = None,
    currency: str = "TND",
    goal: Decimal = Decimal("10000.000"),
    status: str = Campaign.Status.LIVE,
    where: Territory | None = None,
    funding_model: str = Campaign.FundingModel.ALL_OR_NOTHING,
) -> Campaign:
    now = timezone.now()
    created = Campaign.objects.create(
        organization=org or organization(),
        title_fr="Une bibliothèque pour les enfants",
        title_ar="مكتبة للأطفال",
        territory=where or territory(),
        currency=currency,
        goal=goal,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=29),
        status=status,
        funding_model=funding_model,
    )
    BudgetLine.objects.create(campaign=created, label="Livres", amount=goal)
    return created


def rate(base: str = "EUR", quote: str = "TND", value: str = "3.35000000", day: date | None = None) -> None:
    ExchangeRate.objects.update_or_create(
        base=base, quote=quote, day=day or timezone.localdate(), defaults={"rate": Decimal(value)}
    )


def pledge(target: Campaign, amount: str = "50", currency: str = "TND", **kwargs: Any) -> Donation:
    values: dict[str, Any] = {
        "email": "donor@example.org",
        "country_of_residence": "FR",
        "provider": "testpay",
        "expires_in": timedelta(hours=1),
        "name": "Leïla",
    }
    values.update(kwargs)
    return donation_pledge(campaign=target, amount=amount, currency=currency, **values)


def captured(target: Campaign, amount: str = "50", currency: str = "TND", **kwargs: Any) -> Donation:
    donation = pledge(target, amount, currency, **kwargs)
    donation, _new = donation_capture(
        donation_id=donation.pk,
        provider=donation.provider,
        provider_payment_id=f"pay_{donation.reference}",
        amount=donation.amount,
        currency=donation.currency,
    )
    return donation
