"""Scheduled donation work (procrastinate periodic tasks): each run is idempotent and calls one service."""

from __future__ import annotations

import logging

from django.utils import timezone
from procrastinate.contrib.django import app

from jusoor.campaigns.models import Campaign
from jusoor.donations.checks import donation_problems
from jusoor.donations.services import outcome
from jusoor.finance.selectors import ledger_problems

logger = logging.getLogger(__name__)


def settle_due_campaigns() -> int:
    due = Campaign.objects.filter(
        status__in=[Campaign.Status.LIVE, Campaign.Status.WAITING_FUNDS], ends_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    for campaign_id in list(due):
        outcome.campaign_settle_deadline(campaign_id=campaign_id)
    return len(due)


@app.periodic(cron="*/5 * * * *", periodic_id="donations.deadlines")
@app.task(name="donations.campaign_deadlines", queueing_lock="donations.campaign_deadlines")
def campaign_deadlines(timestamp: int) -> None:
    """Live campaigns past their deadline succeed, fail or wait for pending transfers."""
    settle_due_campaigns()


@app.periodic(cron="17 * * * *", periodic_id="donations.defaults")
@app.task(name="donations.failed_campaign_defaults", queueing_lock="donations.failed_campaign_defaults")
def failed_campaign_defaults(timestamp: int) -> None:
    """Refund donors of failed campaigns who did not choose within 14 days; expire credits (with notice).
    Pledges expire in `jusoor.payments.tasks.expire_pledges`."""
    outcome.failed_campaign_defaults()
    outcome.credits_expire()


@app.periodic(cron="7 3 * * *", periodic_id="donations.ledger_check")
@app.task(name="donations.ledger_check", queueing_lock="donations.ledger_check")
def ledger_check(timestamp: int) -> None:
    """Every night, the checks of `manage.py ledger_check`; any problem is logged as an error (alerting)."""
    problems = ledger_problems() + donation_problems()
    for problem in problems:
        logger.error("ledger_check: %s", problem)
