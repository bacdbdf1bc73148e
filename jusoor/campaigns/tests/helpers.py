"""Helpers shared by the campaign tests: actors in every role, campaign data, images, documents on file."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jusoor.accounts.models import Role
from jusoor.accounts.tests.factories import RoleGrantFactory, UserFactory
from jusoor.organizations.models import DocumentKind, MembershipRole, Organization, OrganizationDocument
from jusoor.organizations.tests.factories import MembershipFactory, ThemeFactory
from jusoor.territories.models import Territory


def with_documents(organization: Organization) -> None:
    for kind in (DocumentKind.STATUTES, DocumentKind.REGISTRATION_PROOF):
        OrganizationDocument.objects.create(
            organization=organization,
            kind=kind,
            file=f"x/{kind}.pdf",
            original_name=f"{kind}.pdf",
            content_type="application/pdf",
            size=10,
        )


def make_actor(kind: str, organization: Organization):
    """A user in the given role towards `organization` (platform admins and finance officers have 2FA set up)."""
    if kind == "anonymous":
        return AnonymousUser()
    user = UserFactory()
    if kind in {"member", "admin", "owner"}:
        MembershipFactory(organization=organization, user=user, role=MembershipRole(kind))
    elif kind == "verifier":
        RoleGrantFactory(user=user, role=Role.VERIFIER)
    elif kind == "moderator":
        RoleGrantFactory(user=user, role=Role.MODERATOR)
    elif kind == "platform_admin":
        RoleGrantFactory(user=user, role=Role.PLATFORM_ADMIN)
        TOTP.activate(user, generate_totp_secret())
    elif kind == "finance_officer":
        RoleGrantFactory(user=user, role=Role.FINANCE_OFFICER)
        TOTP.activate(user, generate_totp_secret())
    return user


def campaign_data(where: Territory, **overrides):
    """What `campaign_create` takes: a TND campaign in Medenine with two budget lines (10,000.500 TND)."""
    now = timezone.now()
    data = {
        "title_ar": "فضاء لعب لأطفال مدنين",
        "title_fr": "Un espace de jeu pour les enfants de Médenine",
        "summary_fr": "Un lieu sûr pour 120 enfants.",
        "story_fr": "Notre quartier n’a aucun lieu pour les enfants.",
        "primary_language": "ar",
        "territory": where,
        "currency": "TND",
        "funding_model": "all_or_nothing",
        "starts_at": now + timedelta(days=1),
        "ends_at": now + timedelta(days=31),
        "budget_lines": [
            {"label": "Mobilier", "amount": Decimal("7250.500")},
            {"label": "Livres", "amount": Decimal("2750.000")},
        ],
        "themes": [ThemeFactory()],
    }
    data.update(overrides)
    return data


def png(name: str = "photo.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
