from typing import Any

from django.core.management.base import BaseCommand

from jusoor.incubation.demo import demo_incubation_load


class Command(BaseCommand):
    help = "Load the demo incubation data: activities, attendance, coaching sessions, a local team (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = demo_incubation_load()
        self.stdout.write(
            self.style.SUCCESS(
                "Incubation demo loaded: programme {programme}, {activities} activities, {attendances} attendances, "
                "{sessions} coaching sessions.".format(**counts)
            )
        )
