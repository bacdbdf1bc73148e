"""Render a mail in the recipient's language now, send it from the task queue after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from jusoor.common.tasks import defer_on_commit, send_email


def mail_queue(*, template_prefix: str, to: str, language: str, context: dict[str, Any]) -> None:
    """`template_prefix`_subject.txt and `template_prefix`_message.txt, rendered in `language`."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_message.txt", context)
        subject = f"[{gettext('Jusoor')}] {subject}"
    defer_on_commit(send_email, subject=subject, body=body, to=[to], from_email=settings.DEFAULT_FROM_EMAIL)
