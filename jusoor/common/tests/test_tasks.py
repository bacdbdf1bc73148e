"""The mail task goes through the real procrastinate queue on PostgreSQL."""

import pytest
from django.core import mail
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from jusoor.common.tasks import defer_on_commit, send_email


@pytest.fixture(autouse=True)
def _empty_queue():
    """procrastinate's tables are not Django-managed, so test flushes leave jobs behind: clear them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE procrastinate_jobs CASCADE")


@pytest.mark.django_db(transaction=True)
def test_mail_is_queued_after_commit_and_sent_by_a_worker(settings):
    settings.JUSOOR_TASKS_EAGER = False
    from django.db import transaction

    with transaction.atomic():
        defer_on_commit(send_email, subject="Salam", body="Bonjour", to=["a@example.org"], from_email="j@example.org")
        assert ProcrastinateJob.objects.count() == 0  # nothing queued before commit

    job = ProcrastinateJob.objects.get()
    assert job.task_name == "common.send_email"
    assert job.status == "todo"
    assert mail.outbox == []

    with app.replace_connector(app.connector.get_worker_connector()):  # what `manage.py procrastinate worker` does
        app.run_worker(queues=["mail"], wait=False, install_signal_handlers=False, listen_notify=False)

    assert ProcrastinateJob.objects.get(pk=job.pk).status == "succeeded"
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [("Salam", "Bonjour", ["a@example.org"])]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_queues_nothing(settings):
    settings.JUSOOR_TASKS_EAGER = False
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        defer_on_commit(send_email, subject="x", body="y", to=["a@example.org"], from_email="j@example.org")
        raise RuntimeError("rollback")
    assert ProcrastinateJob.objects.count() == 0
