"""Sign-up, e-mail verification, login, password reset and login rate limiting, through the real pages."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from jusoor.accounts.models import User
from jusoor.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """A client whose POSTs run the on-commit callbacks (mail is queued after commit), as a real commit would."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


def signup(client, lang, email, password="Tunis-Medenine-2026"):
    return client.post(f"/{lang}/accounts/signup/", {"email": email, "password1": password, "password2": password})


def link_in(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_signup_sends_verification_in_the_signup_language_and_verification_unlocks_login(client):
    response = signup(client, "ar", "salma@example.tn")
    assert response.status_code == 302
    user = User.objects.get(email="salma@example.tn")
    assert user.preferred_language == "ar"
    assert [m.to for m in mail.outbox] == [["salma@example.tn"]]
    assert mail.outbox[0].subject == "[جسور] أكد عنوان البريد الإلكتروني"

    # not verified yet: login is refused and a new verification is sent
    client.logout()
    response = client.post("/ar/accounts/login/", {"login": "salma@example.tn", "password": "Tunis-Medenine-2026"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/confirm-email/"

    confirm_url = link_in(mail.outbox[0])
    assert client.post(confirm_url).status_code == 302
    assert EmailAddress.objects.get(email="salma@example.tn").verified is True
    response = client.post("/ar/accounts/login/", {"login": "salma@example.tn", "password": "Tunis-Medenine-2026"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


@pytest.mark.parametrize(
    ("lang", "email", "message"),
    [
        ("fr", "not-an-email", "Saisissez une adresse e-mail valide."),
        ("ar", "salma@", "يرجى إدخال عنوان بريد إلكتروني صحيح."),
    ],
)
def test_malformed_email_gets_a_translated_message(client, lang, email, message):
    response = signup(client, lang, email)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == 0


def test_duplicate_email_creates_no_second_account_and_reveals_nothing(client):
    UserFactory(email="dup@example.org", preferred_language="fr")
    response = signup(client, "fr", "dup@example.org")
    # Same answer as a new sign-up (no account enumeration); the owner is told by mail.
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/confirm-email/"
    assert User.objects.filter(email="dup@example.org").count() == 1
    assert [m.to for m in mail.outbox] == [["dup@example.org"]]


def test_password_reset_mail_is_in_the_users_language(client):
    UserFactory(email="mehdi@example.fr", preferred_language="fr")
    response = client.post("/ar/accounts/password/reset/", {"email": "mehdi@example.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "mot de passe" in mail.outbox[0].body.lower()


def test_login_is_rate_limited_after_repeated_failures(client):
    UserFactory(email="target@example.org")
    for _ in range(5):
        response = client.post("/fr/accounts/login/", {"login": "target@example.org", "password": "wrong-password"})
        assert response.status_code == 200
    response = client.post("/fr/accounts/login/", {"login": "target@example.org", "password": PASSWORD})
    assert response.status_code == 200  # even the right password is refused while limited
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives de connexion échouées. Veuillez réessayer ultérieurement." in response.content.decode()


def test_login_with_the_right_password_works(client):
    UserFactory(email="ok@example.org")
    response = client.post("/en/accounts/login/", {"login": "ok@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
