from typing import Any

from django.core.management.base import BaseCommand

from jusoor.programmes.demo import demo_programmes_load


class Command(BaseCommand):
    help = "Load the TAMURI demo programme and its indicators (idempotent; run after load_demo_organizations)."

    def handle(self, *args: Any, **options: Any) -> None:
        programme = demo_programmes_load()
        count = programme.indicators.count()
        self.stdout.write(self.style.SUCCESS(f"Programme “{programme.title_fr}” loaded with {count} indicators."))
