from typing import Any

from django.core.management.base import BaseCommand

from jusoor.donations.demo import load_demo_donations


class Command(BaseCommand):
    help = "Demo exchange rates, a matching pot and captured donations on the live demo campaigns (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = load_demo_donations()
        self.stdout.write(f"{count} demo donations captured.")
