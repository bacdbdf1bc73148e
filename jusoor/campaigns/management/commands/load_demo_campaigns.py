from typing import Any

from django.core.management.base import BaseCommand

from jusoor.campaigns.demo import demo_campaigns_load


class Command(BaseCommand):
    help = "Load the demo campaigns (idempotent; run after load_demo_organizations)."

    def handle(self, *args: Any, **options: Any) -> None:
        campaigns = demo_campaigns_load()
        self.stdout.write(self.style.SUCCESS(f"{len(campaigns)} demo campaigns loaded."))
