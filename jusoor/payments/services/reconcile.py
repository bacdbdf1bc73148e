"""The reconciler: a lost or late callback must not leave a paid donation pending."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.utils import timezone

from jusoor.common.exceptions import ApplicationError
from jusoor.donations.models import Donation
from jusoor.donations.providers import all_providers

logger = logging.getLogger(__name__)

RECONCILE_AFTER = timedelta(minutes=15)


def reconcilable_providers() -> list[str]:
    """Providers with a status API worth asking (cards); bank transfers are matched from statements instead."""
    return [identifier for identifier, provider in all_providers().items() if getattr(provider, "reconcilable", False)]


def payments_reconcile_pending(*, now: Any = None, limit: int = 500) -> dict[str, int]:
    """Ask the provider about each card pledge pending for more than 15 minutes and act on its answer
    (`provider.reconcile` captures through `donation_capture`, which captures once whatever else confirms it).
    Returns how many pledges got each answer. A provider error on one pledge does not stop the others."""
    now = now or timezone.now()
    providers = all_providers()
    pending = Donation.objects.filter(
        status=Donation.Status.PENDING,
        provider__in=reconcilable_providers(),
        provider_payment_id__isnull=False,
        created_at__lte=now - RECONCILE_AFTER,
    ).order_by("created_at", "pk")[:limit]
    counts: dict[str, int] = {}
    for donation in pending:
        try:
            answer = providers[donation.provider].reconcile(donation)
        except ApplicationError as error:
            logger.warning("reconcile %s: %s (%s)", donation.reference, error.message, error.code)
            answer = "error"
        counts[answer] = counts.get(answer, 0) + 1
    return counts
