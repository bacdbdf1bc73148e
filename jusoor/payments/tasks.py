"""Background tasks of the payments app (procrastinate): each takes ids or values and calls one service.

Periodic tasks are declared here, in one place: the reconciler (every 10 minutes) and pledge expiry (every
5 minutes). A worker started with `manage.py procrastinate worker` defers and runs them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from jusoor.donations.services.capture import donations_expire
from jusoor.payments.services import reconcile, testpay

RETRY = RetryStrategy(max_attempts=8, exponential_wait=5)


class DeliveryError(RuntimeError):
    """The merchant answered a callback with a server error: the queue delivers it again later."""


def defer_in_on_commit(task: Any, seconds: int, **kwargs: Any) -> None:
    """Queue `task` to run `seconds` after the current transaction commits (in-process at once when
    JUSOOR_TASKS_EAGER, like `jusoor.common.tasks.defer_on_commit`)."""
    if settings.JUSOOR_TASKS_EAGER:
        transaction.on_commit(lambda: task(**kwargs))
    else:
        transaction.on_commit(lambda: task.configure(schedule_in={"seconds": seconds}).defer(**kwargs))


@app.task(name="payments.testpay_deliver", queue="payments", retry=RETRY)
def testpay_deliver(*, token: str) -> None:
    """The test processor sends the signed callback of a settled payment (retried while the answer is 5xx)."""
    result = testpay.testpay_deliver(token=token)
    if result is not None and result.status >= 500:
        raise DeliveryError(f"callback answered {result.status}: {result.outcome}")


@app.task(name="payments.testpay_settle", queue="payments", retry=RETRY)
def testpay_settle(*, token: str) -> None:
    """The delayed test card settles (scheduled a few seconds after the card was submitted)."""
    testpay.testpay_settle(token=token)


@app.periodic(cron="*/10 * * * *")
@app.task(name="payments.reconcile_pending", queue="payments", queueing_lock="payments.reconcile_pending")
def reconcile_pending(timestamp: int) -> None:
    """Ask the card providers about pledges pending for more than 15 minutes (a callback may have been lost)."""
    reconcile.payments_reconcile_pending()


@app.periodic(cron="*/5 * * * *")
@app.task(name="payments.expire_pledges", queue="payments", queueing_lock="payments.expire_pledges")
def expire_pledges(timestamp: int) -> None:
    """Pledges past their expiry become expired (a late payment can still capture them)."""
    donations_expire()
