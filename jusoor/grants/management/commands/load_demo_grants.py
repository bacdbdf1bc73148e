from typing import Any

from django.core.management.base import BaseCommand

from jusoor.grants.demo import demo_grants_load


class Command(BaseCommand):
    help = "Load the demo Demo Day and seed grants (idempotent; run after load_demo and load_demo_organizations)."

    def handle(self, *args: Any, **options: Any) -> None:
        grants = demo_grants_load()
        where = f" in programme {grants[0].programme_id}" if grants else ""
        self.stdout.write(self.style.SUCCESS(f"{len(grants)} demo seed grants loaded{where}."))
