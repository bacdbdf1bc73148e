"""Demo accounts for `make run`: one user per platform role, idempotent.

The password is random, made on first use and kept in var/demo-credentials.txt (never committed).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from jusoor.accounts.models import Role, RoleGrant, User

DEMO_USERS = [
    ("admin@jusoor.demo", "Amira Ben Salah", "ar", "TN", Role.PLATFORM_ADMIN, True),
    ("manager@jusoor.demo", "Youssef El Idrissi", "fr", "MA", Role.PROGRAMME_MANAGER, False),
    ("reviewer@jusoor.demo", "Salma Trabelsi", "fr", "TN", Role.REVIEWER, False),
    ("coach@jusoor.demo", "Karim Ait Lahcen", "ar", "MA", Role.COACH, False),
    ("finance@jusoor.demo", "Nadia Gharbi", "fr", "TN", Role.FINANCE_OFFICER, False),
    ("donor@jusoor.demo", "Mehdi Jlassi", "fr", "FR", Role.DONOR, False),
    ("mairie@jusoor.demo", "Hela Mansour", "ar", "TN", Role.MUNICIPALITY_OFFICIAL, False),
    ("moderator@jusoor.demo", "Sami Ben Amor", "fr", "FR", Role.MODERATOR, False),
]


def demo_password() -> str:
    path = Path(settings.BASE_DIR) / "var" / "demo-credentials.txt"
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


@transaction.atomic
def demo_users_load(*, password: str) -> list[User]:
    from allauth.account.models import EmailAddress  # noqa: PLC0415

    users = []
    for email, name, language, country, role, is_superuser in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                password,
                full_name=name,
                preferred_language=language,
                country_of_residence=country,
                is_staff=is_superuser,
                is_superuser=is_superuser,
            )
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        RoleGrant.objects.get_or_create(user=user, role=role)
        users.append(user)
    return users
