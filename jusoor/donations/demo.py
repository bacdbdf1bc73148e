"""Demo money for `make run`: exchange rates, a matching pot and donations on the live demo campaigns, all
written through the services (so the ledger, receipts and matches are real)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jusoor.campaigns.models import Campaign
from jusoor.donations.models import Donation, MatchingPot
from jusoor.donations.services.capture import donation_capture
from jusoor.donations.services.matching import matching_pot_open
from jusoor.donations.services.pledge import donation_pledge
from jusoor.finance.models import ExchangeRate

DEMO_RATES = {
    ("EUR", "TND"): "3.35000000",
    ("EUR", "MAD"): "10.90000000",
    ("USD", "TND"): "3.10000000",
    ("CAD", "TND"): "2.25000000",
    ("USD", "MAD"): "9.95000000",
    ("CAD", "MAD"): "7.20000000",
}
DONORS = [  # e-mail, name, country of residence, language, amount, currency, public anonymity
    ("amel.demo@example.org", "Amel B.", "FR", "fr", "50", "EUR", False),
    ("karim.demo@example.org", "Karim T.", "FR", "fr", "120", "EUR", False),
    ("sonia.demo@example.org", "Sonia M.", "DE", "ar", "30", "EUR", True),
    ("youssef.demo@example.org", "Youssef H.", "CA", "fr", "100", "CAD", False),
    ("ines.demo@example.org", "Inès K.", "TN", "ar", "200", "TND", False),
    ("mehdi.demo@example.org", "Mehdi A.", "US", "en", "75", "USD", False),
    ("nadia.demo@example.org", "Nadia R.", "IT", "fr", "25", "EUR", True),
    ("salah.demo@example.org", "Salah D.", "TN", "ar", "60", "TND", False),
]


@transaction.atomic
def load_demo_donations() -> int:
    """Idempotent: returns how many donations it captured (0 on a second run)."""
    today = timezone.localdate()
    for (base, quote), rate in DEMO_RATES.items():
        ExchangeRate.objects.get_or_create(
            base=base, quote=quote, day=today, defaults={"rate": Decimal(rate), "source": "demo"}
        )
    live = list(Campaign.objects.live().order_by("pk"))
    if not live or Donation.objects.filter(email__endswith=".demo@example.org").exists():
        return 0
    now = timezone.now()
    tunisian = [c for c in live if c.currency == "TND"]
    if tunisian and not MatchingPot.objects.filter(name__startswith="Demo").exists():
        matching_pot_open(
            name="Demo — Fonds de la diaspora",
            sponsor_name="Fédération des Tunisiens pour une citoyenneté des deux rives",
            currency="TND",
            total=Decimal("2000.000"),
            ratio=Decimal("1"),
            cap_per_donation=Decimal("150.000"),
            valid_from=now - timedelta(days=1),
            valid_until=now + timedelta(days=60),
            acting_user=None,
            campaigns=tunisian[:1],
        )
    captured = 0
    for index, (email, name, country, language, amount, currency, anonymous) in enumerate(DONORS):
        campaign = live[index % len(live)]
        if campaign.currency == "MAD" and currency == "TND":
            amount, currency = "300", "MAD"  # noqa: PLW2901 - Moroccan donors give in dirhams
        donation = donation_pledge(
            campaign=campaign,
            amount=amount,
            currency=currency,
            email=email,
            name=name,
            country_of_residence=country,
            provider="testpay",
            expires_in=timedelta(hours=1),
            language=language,
            anonymous_public=anonymous,
            message="",
            idempotency_key=f"demo-{index}",
        )
        donation_capture(
            donation_id=donation.pk,
            provider="testpay",
            provider_payment_id=f"demo-{index}",
            amount=donation.amount,
            currency=donation.currency,
            source="demo",
        )
        captured += 1
    return captured
