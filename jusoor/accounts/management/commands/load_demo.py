from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from jusoor.accounts.demo import DEMO_USERS, demo_password, demo_users_load


class Command(BaseCommand):
    help = "Load the demo data set (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        demo_users_load(password=password)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in at http://127.0.0.1:8000/ with:"))
        with translation.override("en"):
            for email, _name, _lang, _country, role, _su in DEMO_USERS:
                self.stdout.write(f"  {email:<24} {password}   ({role.label})")
