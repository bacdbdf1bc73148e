"""allauth adapter: mail in the recipient's language, sent by the task queue after commit."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from jusoor.common.tasks import defer_on_commit, send_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language() or settings.LANGUAGE_CODE
        request = allauth_context.request
        with translation.override(language):
            site = SimpleNamespace(name=gettext("Jusoor"), domain=request.get_host() if request else "")
            message = self.render_mail(
                template_prefix, email, {"request": request, "email": email, "current_site": site, **context}
            )
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
