from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "jusoor.grants"
    verbose_name = _("Demo Day and seed grants")

    def ready(self) -> None:
        from jusoor.grants.metrics import register_metrics

        register_metrics()
