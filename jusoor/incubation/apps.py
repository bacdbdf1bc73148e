from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncubationConfig(AppConfig):
    name = "jusoor.incubation"
    verbose_name = _("Incubation")

    def ready(self) -> None:
        from jusoor.incubation.metrics import register_metrics

        register_metrics()
