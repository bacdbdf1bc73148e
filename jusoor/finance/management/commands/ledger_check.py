from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jusoor.finance.selectors import ledger_problems


class Command(BaseCommand):
    help = "Check the ledger: every group balances per currency, entries match their account's currency."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = ledger_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} ledger problem(s)")
        self.stdout.write(self.style.SUCCESS("Ledger consistent."))
