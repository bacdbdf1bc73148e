"""Provider callbacks, without a language prefix: /payments/<provider>/callback/ (see views/callbacks.py)."""

from django.urls import path

from jusoor.payments.views.callbacks import callback_view

app_name = "payments_callbacks"

urlpatterns = [
    path("<slug:provider>/callback/", callback_view, name="callback"),
]
