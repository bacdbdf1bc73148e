"""Payment tasks: the reconciler, pledge expiry, their periodic schedule, and the test processor's callbacks
through the real procrastinate queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from jusoor.donations.models import Donation
from jusoor.donations.providers import get_provider
from jusoor.finance.models import EntryGroup
from jusoor.payments import models, tasks
from jusoor.payments.services import testpay
from jusoor.payments.services.reconcile import payments_reconcile_pending
from jusoor.payments.tests.conftest import make_campaign, make_pledge


def opened(donation: Donation) -> models.TestPaySession:
    get_provider("testpay").initiate(donation, return_url="http://testserver/back/", cancel_url="http://testserver/")
    donation.refresh_from_db()
    return models.TestPaySession.objects.get(token=donation.provider_payment_id)


def age(donation: Donation, minutes: int) -> None:
    Donation.objects.filter(pk=donation.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))


def status_of(donation: Donation) -> str:
    donation.refresh_from_db()
    return donation.status


@pytest.mark.django_db
def test_the_reconciler_asks_about_card_pledges_pending_for_15_minutes(campaign, django_capture_on_commit_callbacks):
    paid_long_ago, paid_just_now, declined, bank = (
        make_pledge(campaign),
        make_pledge(campaign),
        make_pledge(campaign),
        make_pledge(campaign, provider="bank_transfer"),
    )
    for donation, card in ((paid_long_ago, "4242424242424242"), (paid_just_now, "4242424242424242"),
                           (declined, "4000000000000002")):  # fmt: skip
        with django_capture_on_commit_callbacks(execute=False):  # the callbacks are lost
            testpay.testpay_pay(token=opened(donation).token, card_number=card)
    for donation in (paid_long_ago, declined, bank):
        age(donation, 16)
    age(paid_just_now, 14)

    with django_capture_on_commit_callbacks(execute=True):
        counts = payments_reconcile_pending()

    assert counts == {"succeeded": 1, "failed": 1}
    assert [status_of(d) for d in (paid_long_ago, paid_just_now, declined, bank)] == [
        "captured",
        "pending",
        "failed",
        "pending",
    ]
    assert EntryGroup.objects.filter(kind="donation.captured").count() == 1


@pytest.mark.django_db
def test_the_reconciler_goes_on_after_a_provider_error(campaign, monkeypatch):
    first, second = make_pledge(campaign), make_pledge(campaign)
    for donation in (first, second):
        opened(donation)
        age(donation, 20)
    from jusoor.common.exceptions import ApplicationError

    provider = get_provider("testpay")
    real = provider.payment_report  # the status API, which `reconcile` and `query_status` ask

    def flaky(donation):
        if donation.pk == first.pk:
            raise ApplicationError("processor down", code="provider_unavailable")
        return real(donation)

    monkeypatch.setattr(provider, "payment_report", flaky)
    assert payments_reconcile_pending() == {"error": 1, "pending": 1}


@pytest.mark.django_db
def test_expire_pledges_task(campaign):
    late = make_pledge(campaign, expires_in=timedelta(seconds=-1))
    on_time = make_pledge(campaign)
    tasks.expire_pledges(timestamp=0)
    assert (status_of(late), status_of(on_time)) == ("expired", "pending")


def test_periodic_tasks_are_declared():
    periodic = {
        key[0]: task.cron
        for key, task in app.periodic_registry.periodic_tasks.items()
        if key[0].startswith("payments.")
    }
    assert periodic == {"payments.reconcile_pending": "*/10 * * * *", "payments.expire_pledges": "*/5 * * * *"}


# --- The real queue ---------------------------------------------------------------------------------------------


@pytest.fixture
def empty_queue():
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE procrastinate_jobs CASCADE")
    yield
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE procrastinate_jobs CASCADE")


@pytest.mark.django_db(transaction=True)
def test_the_callback_goes_through_the_queue_and_a_worker(settings, empty_queue):
    settings.JUSOOR_TASKS_EAGER = False
    donation = make_pledge(make_campaign("EUR"))
    session = opened(donation)

    with transaction.atomic():
        testpay.testpay_pay(token=session.token, card_number="4242424242424242")
        assert ProcrastinateJob.objects.count() == 0  # queued only once the card is recorded

    job = ProcrastinateJob.objects.get()
    assert (job.task_name, job.args, job.status) == ("payments.testpay_deliver", {"token": session.token}, "todo")
    assert status_of(donation) == "pending"

    with app.replace_connector(app.connector.get_worker_connector()):
        app.run_worker(queues=["payments"], wait=False, install_signal_handlers=False, listen_notify=False)

    assert ProcrastinateJob.objects.get(pk=job.pk).status == "succeeded"
    assert status_of(donation) == "captured"
    assert models.ProviderEvent.objects.get().outcome == "captured"


@pytest.mark.django_db(transaction=True)
def test_the_delayed_card_settles_a_few_seconds_later(settings, empty_queue):
    settings.JUSOOR_TASKS_EAGER = False
    settings.TESTPAY_DELAY_SECONDS = 5
    donation = make_pledge(make_campaign("EUR"))
    session = opened(donation)

    before = timezone.now()
    testpay.testpay_pay(token=session.token, card_number="4000000000000077")

    job = ProcrastinateJob.objects.get()
    assert (job.task_name, job.args) == ("payments.testpay_settle", {"token": session.token})
    assert timedelta(seconds=4) < job.scheduled_at - before < timedelta(seconds=7)
    with app.replace_connector(app.connector.get_worker_connector()):  # too early: nothing runs yet
        app.run_worker(queues=["payments"], wait=False, install_signal_handlers=False, listen_notify=False)
    assert ProcrastinateJob.objects.get(pk=job.pk).status == "todo"
    assert status_of(donation) == "pending"
