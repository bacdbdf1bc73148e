from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "jusoor.calls"
    verbose_name = _("Calls for applications")

    def ready(self) -> None:
        from jusoor.calls.metrics import register_metrics  # noqa: PLC0415

        register_metrics()
