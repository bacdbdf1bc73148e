"""Background tasks on procrastinate (PostgreSQL-backed queue: no extra server, many workers).

Tasks take plain values, are idempotent and are always scheduled after the surrounding
transaction commits, through `defer_on_commit`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app


def defer_on_commit(task: Any, **kwargs: Any) -> None:
    """Queue `task` once the current transaction commits (run in-process when JUSOOR_TASKS_EAGER)."""
    if settings.JUSOOR_TASKS_EAGER:
        transaction.on_commit(lambda: task(**kwargs))
    else:
        transaction.on_commit(lambda: task.defer(**kwargs))


@app.task(name="common.send_email", queue="mail", retry=RetryStrategy(max_attempts=5, exponential_wait=10))
def send_email(*, subject: str, body: str, to: list[str], from_email: str, html: str = "") -> None:
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
