from typing import Any

from django.core.management.base import BaseCommand

from jusoor.calls.demo import demo_calls_load


class Command(BaseCommand):
    help = (
        "Load the demo TAMURI programme, its open call and applications "
        "(idempotent; run after load_demo_organizations)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        programme, call, applications = demo_calls_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo programme {programme.pk}, call {call.pk} with {len(applications)} applications loaded."
            )
        )
