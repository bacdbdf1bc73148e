"""Links a guest donor can open without an account: signed with the donation's reference."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare

_SALT = "jusoor.donations.access"


def donation_token(reference: str) -> str:
    return signing.Signer(salt=_SALT).signature(reference)


def donation_token_valid(reference: str, token: str) -> bool:
    return constant_time_compare(donation_token(reference), token or "")


def donation_path(reference: str, language: str, name: str = "donations:status") -> str:
    with translation.override(language):
        return reverse(name, kwargs={"reference": reference, "token": donation_token(reference)})


def donation_url(reference: str, language: str, name: str = "donations:status") -> str:
    return settings.JUSOOR_SITE_URL.rstrip("/") + donation_path(reference, language, name)
