"""Security defaults: CSP without inline scripts, CSRF on forms, secure settings behind DJANGO_SECURE, Argon2."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/ar/", "/fr/about/data/", "/fr/territories/", "/ar/accounts/login/", "/fr/accounts/signup/", "/api/docs/"]


@pytest.mark.parametrize("url", PAGES)
def test_csp_forbids_inline_scripts_and_pages_have_none(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "every page loads at least one script file"
    for attributes, body in scripts:
        assert "src=" in attributes
        assert body.strip() == ""
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"
    assert not re.search(r'\sstyle="', html), "no inline style attributes (style-src 'self')"


def test_forms_reject_a_post_without_csrf_token(user_factory):
    user = user_factory(full_name="Before")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/fr/account/profile/", {"full_name": "After", "preferred_language": "fr"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.full_name == "Before"


def test_login_form_rejects_a_post_without_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/fr/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403


def test_passwords_are_hashed_with_argon2_outside_tests():
    output = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS, "PASSWORD_HASHERS"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base"},
        cwd=settings.BASE_DIR,
    )
    assert json.loads(output.stdout)[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


PRINT_SETTINGS = """
import json, sys
import django
django.setup()
from django.conf import settings
names = sys.argv[1:]
print(json.dumps([getattr(settings, n) for n in names] if len(names) > 1 else getattr(settings, names[0])))
"""


def secure_settings(**env):
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "DEBUG"]
    output = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS, *names],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.prod", "DJANGO_SECRET_KEY": "k" * 50, **env},
        cwd=settings.BASE_DIR,
    )
    return dict(zip(names, json.loads(output.stdout), strict=True))


def test_production_behind_django_secure_has_secure_cookies_and_hsts():
    assert secure_settings(DJANGO_SECURE="1") == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "DEBUG": False,
    }


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS, "DEBUG"],
        capture_output=True,
        text=True,
        check=False,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"},
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        },
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production." in result.stderr
