from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from jusoor.accounts.forms import ProfileForm
from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.accounts.selectors import audit_event_list, audit_target_types, user_has_2fa, user_role_grants
from jusoor.accounts.services import profile_update


class ProfileView(LoginRequiredMixin, View):
    template_name = "accounts/profile.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ProfileForm(instance=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProfileForm(request.POST, instance=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        user = profile_update(user=form.instance, acting_user=request.user, **form.cleaned_data)
        next_url = translate_url(request.path, user.preferred_language)
        with translation.override(user.preferred_language):
            messages.success(request, _("Your profile has been saved."))
        return redirect(next_url)

    def _render(self, request: HttpRequest, form: ProfileForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "roles": user_role_grants(user=request.user),  # type: ignore[arg-type]
            "has_2fa": user_has_2fa(request.user),
        }
        return render(request, self.template_name, context, status=status)


class AuditLogView(ProtectedPageMixin, ListView):  # type: ignore[type-arg]
    permission_required = "common.view_auditevent"
    template_name = "accounts/audit_log.html"
    paginate_by = 50
    context_object_name = "events"

    def get_queryset(self) -> Any:
        params = self.request.GET
        return audit_event_list(
            viewer=self.request.user,
            action=params.get("action", "").strip()[:100],
            target_type=params.get("target_type", "").strip()[:100],
            actor=params.get("actor", "").strip()[:254],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filters = {k: self.request.GET.get(k, "") for k in ("action", "target_type", "actor")}
        context["filters"] = filters
        context["query_string"] = urlencode({k: v for k, v in filters.items() if v})
        context["target_types"] = audit_target_types()
        return context
