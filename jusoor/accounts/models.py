"""Users, their profile (language, country of residence, phone) and platform roles.

Organisation roles (owner/admin/member) live with organisations; the roles here are held platform-wide.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class JusoorUserManager(BaseUserManager["User"]):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None  # type: ignore[assignment,misc]  # log in by e-mail
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    country_of_residence = models.CharField(_("country of residence"), max_length=2, blank=True)
    # Where the person lives or works: calls can treat reviewers of the applicant's commune as in conflict.
    commune = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("commune where you live or work"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("phone number"), max_length=20, blank=True, help_text=_("International format"))

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]  # django-stubs declares it a ClassVar
    objects = JusoorUserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    REVIEWER = "reviewer", _("Reviewer")
    COACH = "coach", _("Coach")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    DONOR = "donor", _("Donor")
    MUNICIPALITY_OFFICIAL = "municipality_official", _("Municipality official")
    VERIFIER = "verifier", _("Verification officer")
    MODERATOR = "moderator", _("Campaign moderator")


# Roles whose holders must have two-factor authentication before reaching protected pages.
ROLES_REQUIRING_2FA = frozenset({Role.PLATFORM_ADMIN, Role.FINANCE_OFFICER})


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="rolegrant_unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
