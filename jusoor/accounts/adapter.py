"""allauth adapter: mail in the recipient's language, sent by the task queue after commit."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from jusoor.common.tasks import defer_on_commit, send_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        defer_on_commit(
            send_email,
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            from_email=str(message.from_email),
            html=html,
        )

    def format_email_subject(self, subject: str) -> str:
        return f"[{gettext('Jusoor')}] {subject}"

    def save_user(self, request: Any, user: Any, form: Any, commit: bool = True) -> Any:
        user.preferred_language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return super().save_user(request, user, form, commit=commit)
