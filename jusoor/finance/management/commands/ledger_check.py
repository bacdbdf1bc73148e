from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from jusoor.finance.selectors import ledger_problems


class Command(BaseCommand):
    help = (
        "Check the ledger: every group balances per currency, entries match their account's currency, and what "
        "other apps cache (donation totals, matches, refunds) agrees with it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = ledger_problems()
        # Apps that cache ledger figures add their own checks (settings.JUSOOR_LEDGER_CHECKS).
        for path in getattr(settings, "JUSOOR_LEDGER_CHECKS", []):
            problems += import_string(path)()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} ledger problem(s)")
        self.stdout.write(self.style.SUCCESS("Ledger consistent."))
