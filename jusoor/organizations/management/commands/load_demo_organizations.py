from typing import Any

from django.core.management.base import BaseCommand

from jusoor.organizations.demo import demo_organizations_load


class Command(BaseCommand):
    help = "Load the demo organisations from the seed documents (idempotent; run after load_demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        organizations = demo_organizations_load()
        self.stdout.write(self.style.SUCCESS(f"{len(organizations)} demo organisations loaded."))
