from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "jusoor.payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from jusoor.payments.providers import register_all  # noqa: PLC0415

        register_all()
