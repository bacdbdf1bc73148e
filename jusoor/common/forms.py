"""Form helpers shared by the apps' pages."""

from __future__ import annotations

from django import forms

from jusoor.common.exceptions import ApplicationError


def add_service_error(form: forms.BaseForm, error: ApplicationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ApplicationError on a form: its per-field messages on the fields they name (renamed by
    `aliases`; unknown fields go above the form), and its message above the form unless a field already says it."""
    fields = error.extra.get("fields", {})
    shown: set[str] = set()
    for name, messages in fields.items():
        field = (aliases or {}).get(name, name)
        for message in messages:
            form.add_error(field if field in form.fields else None, str(message))
            shown.add(str(message))
    if str(error.message) not in shown:
        form.add_error(None, str(error.message))
