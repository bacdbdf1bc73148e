from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jusoor.organizations.services.reference import reference_load


class Command(BaseCommand):
    help = (
        "Load (or refresh) the organisation kinds, themes and the UN Sustainable Development Goals and targets "
        "from the data shipped with the app. Idempotent; kinds and themes added by the admin are kept."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = reference_load()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"organisation kinds: {counts['kinds']}\nthemes: {counts['themes']}\n"
            f"SDG goals: {counts['sdg_goals']}\nSDG targets: {counts['sdg_targets']}"
        )
        self.stdout.write(
            self.style.SUCCESS(f"Reference data loaded: {counts['created']} created, {counts['updated']} updated")
        )
