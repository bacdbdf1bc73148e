"""Donation scenarios shared by the donation tests: a verified organisation, a live TND campaign in Medenine,
and `captured_donation`, which pledges and captures through the real services (provider "testpay")."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jusoor.campaigns.models import Campaign
from jusoor.finance.models import ExchangeRate
from jusoor.organizations.models import Organization
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.territories.models import Territory

# Rates recorded for today when a test has none: how many units of the second currency one unit of the first buys.
DEFAULT_RATES = {
    ("EUR", "TND"): Decimal("3.35"),
    ("USD", "TND"): Decimal("3.1"),
    ("CAD", "TND"): Decimal("2.25"),
    ("MAD", "TND"): Decimal("0.31"),
    ("EUR", "MAD"): Decimal("10.8"),
    ("TND", "EUR"): Decimal("0.29"),
}


def ensure_rate(base: str, quote: str, rate: Decimal | None = None) -> None:
    """Record today's rate unless one is already known on or before today (a test's own rate wins)."""
    today = timezone.localdate()
    known = ExchangeRate.objects.filter(day__lte=today).filter(base=base, quote=quote).exists() or (
        ExchangeRate.objects.filter(day__lte=today, base=quote, quote=base).exists()
    )
    if not known:
        ExchangeRate.objects.create(base=base, quote=quote, day=today, rate=rate or DEFAULT_RATES[(base, quote)])


@pytest.fixture
def medenine(territories):
    return Territory.objects.get(code="TN-82")


@pytest.fixture
def verified_org(db) -> Organization:
    return OrganizationFactory(
        name_ar="جمعية أطفال مدنين",
        name_fr="Association des enfants de Médenine",
        name_en="Medenine Children's Association",
        registry="tn-rne",
        registration_number="1234567A",
        country="TN",
        status=Organization.Status.VERIFIED,
    )


def make_campaign(*, organization: Organization, territory: Territory, **overrides) -> Campaign:
    now = timezone.now()
    values = {
        "organization": organization,
        "title_ar": "مكتبة لأطفال مدنين",
        "title_fr": "Une bibliothèque pour les enfants de Médenine",
        "title_en": "A library for Medenine's children",
        "territory": territory,
        "currency": "TND",
        "goal": Decimal("10000.000"),
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=30),
        "status": Campaign.Status.LIVE,
    }
    values.update(overrides)
    return Campaign.objects.create(**values)


@pytest.fixture
def live_campaign(verified_org, medenine) -> Campaign:
    return make_campaign(organization=verified_org, territory=medenine)


@pytest.fixture
def campaign_factory(verified_org, medenine):
    """More campaigns: `campaign_factory(organization=..., currency="EUR", ...)`."""

    def create(**overrides) -> Campaign:
        overrides.setdefault("organization", verified_org)
        overrides.setdefault("territory", medenine)
        return make_campaign(**overrides)

    return create


@pytest.fixture
def captured_donation(live_campaign):
    """`captured_donation(amount="100", currency="TND", campaign=..., **pledge_fields) -> Donation`: pledged with
    `donation_pledge` and captured with `donation_capture` (provider "testpay"), so the ledger, the receipt and the
    match are real. A missing exchange rate for today is recorded from DEFAULT_RATES."""
    from jusoor.donations.services.capture import donation_capture
    from jusoor.donations.services.pledge import donation_pledge

    counter = iter(range(1, 10_000))

    def create(amount="100", currency="TND", campaign=None, **fields):
        campaign = campaign or live_campaign
        if currency != campaign.currency:
            ensure_rate(currency, campaign.currency)
        number = next(counter)
        values = {
            "email": f"donor{number}@example.org",
            "name": f"Donor {number}",
            "country_of_residence": "FR",
            "language": "fr",
        }
        values.update(fields)
        donation = donation_pledge(
            campaign=campaign,
            amount=Decimal(str(amount)),
            currency=currency,
            provider="testpay",
            expires_in=timedelta(hours=2),
            **values,
        )
        donation, _created = donation_capture(
            donation_id=donation.pk,
            provider="testpay",
            provider_payment_id=f"testpay-{donation.reference}",
            amount=donation.amount,
            currency=donation.currency,
        )
        return donation

    return create


@pytest.fixture
def people(verified_org):
    """One user per role, for permission matrices: `people["org_admin"]`… (`anonymous` is None). Finance officers
    and platform administrators have two-factor authentication set up, except `finance_no_2fa`."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from jusoor.accounts.models import Role
    from jusoor.accounts.tests.factories import RoleGrantFactory, UserFactory
    from jusoor.organizations.models import MembershipRole
    from jusoor.organizations.tests.factories import MembershipFactory

    def with_totp(user):
        TOTP.activate(user, generate_totp_secret())
        return user

    return {
        "anonymous": None,
        "plain_user": UserFactory(),
        "donor": UserFactory(full_name="Leïla Ben Salah"),
        "org_member": MembershipFactory(organization=verified_org, role=MembershipRole.MEMBER).user,
        "org_admin": MembershipFactory(organization=verified_org, role=MembershipRole.ADMIN).user,
        "org_owner": MembershipFactory(organization=verified_org, role=MembershipRole.OWNER).user,
        "other_org_admin": MembershipFactory(role=MembershipRole.ADMIN).user,
        "finance": with_totp(RoleGrantFactory(role=Role.FINANCE_OFFICER).user),
        "finance_no_2fa": RoleGrantFactory(role=Role.FINANCE_OFFICER).user,
        "platform_admin": with_totp(RoleGrantFactory(role=Role.PLATFORM_ADMIN).user),
    }
