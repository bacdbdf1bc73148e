from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jusoor.territories.loaders import TERRITORY_LOADERS
from jusoor.territories.services import territories_load


class Command(BaseCommand):
    help = "Load (or refresh) the territories of Tunisia, Morocco and France from the data shipped with the app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--country",
            action="append",
            type=str.upper,
            choices=sorted(TERRITORY_LOADERS),
            help="Only this country (repeat for several). Default: all.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            counts = territories_load(countries=options["country"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for (country, kind), count in counts.items():
            self.stdout.write(f"{country} {kind}: {count}")
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} territories loaded in {elapsed:.1f} s"))
