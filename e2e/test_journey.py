"""The issue's journey: sign up in French, verify the e-mail, log in, use the site in Arabic, French and English,
log out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core import mail
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

LOCALE = Path(__file__).resolve().parent.parent / "locale"
EMAIL = "amal.benali@example.tn"
PASSWORD = "Sfax-Gabes-2026!"

# Every string of the page's own language (text nodes, title, aria-label, placeholder, alt) that is shown or
# announced. Elements marked with another `lang` (the language switcher's names, a French source credit)
# are left out: they are meant to be in that language.
PAGE_LANGUAGE_TEXT_JS = """() => {
  const lang = document.documentElement.lang;
  const inPageLanguage = (el) => el.closest('[lang]').lang === lang;
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (el.closest('script, style') || !el.checkVisibility() || !inPageLanguage(el)) continue;
    parts.push(walker.currentNode.textContent);
  }
  for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [alt], [title]')) {
    if (!el.checkVisibility() || !inPageLanguage(el)) continue;
    for (const name of ['aria-label', 'placeholder', 'alt', 'title']) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  return parts.join('\\n');
}"""


def untranslated_msgids(text: str, lang: str) -> list[str]:
    """The English msgids of the project catalogue that appear as such in `text`.

    Msgids translated to themselves in `lang` (such as "ISO 3166-2") are not counted; placeholders match
    anything.
    """
    with (LOCALE / "fr" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        msgids = [msgid for m in read_po(handle) if m.id for msgid in ([m.id] if isinstance(m.id, str) else m.id)]
    with (LOCALE / lang / "LC_MESSAGES" / "django.po").open("rb") as handle:
        same = {m.id for m in read_po(handle) if isinstance(m.id, str) and m.id == m.string}
    found = []
    for msgid in msgids:
        if msgid in same:
            continue
        literal = re.split(r"%\(\w+\)[sd]|\{\w+\}", msgid)
        pattern = r"(?<!\w)" + r".+?".join(re.escape(part) for part in literal) + r"(?!\w)"
        if re.search(pattern, text):
            found.append(msgid)
    return found


def switch_language(page: Page, name: str, lang: str, direction: str) -> None:
    page.locator(f'.language-switcher a[hreflang="{lang}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(page.locator(f'a[hreflang="{lang}"]')).to_have_text(name)
    expect(page.locator(f'a[hreflang="{lang}"]')).to_have_attribute("aria-current", "true")


def test_signup_verify_login_switch_languages_logout(page: Page, live_server, screenshot):
    # Sign up, in French
    page.goto("/fr/accounts/signup/")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Création de compte", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/fr/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre adresse e-mail")

    # The verification mail, in French, links to this server
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert mail.outbox[0].subject == "[Jusoor] Confirmez votre adresse e-mail"
    links = re.findall(r"https?://\S+", mail.outbox[0].body)
    assert len(links) == 1
    assert re.fullmatch(re.escape(live_server.url) + r"/fr/accounts/confirm-email/[\w:-]+/", links[0])

    # Confirm the address
    page.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer l'adresse e-mail")
    page.get_by_role("button", name="Confirmer", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/fr/accounts/login/")
    expect(page.get_by_role("status")).to_have_text(f"Vous avez confirmé {EMAIL}.")

    # Log in
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/fr/")
    expect(page.get_by_test_id("logout")).to_have_text("Se déconnecter")

    # Arabic, through the navbar's language switcher: right to left and entirely in Arabic
    switch_language(page, "العربيّة", "ar", "rtl")
    expect(page).to_have_url(f"{live_server.url}/ar/")
    expect(page.get_by_test_id("logout")).to_have_text("تسجيل الخروج")
    expect(page.locator(".navbar-brand")).to_have_text("جسور")  # once, not "جسور جسور"
    expect(page.get_by_role("link", name="تسجيل الدخول")).to_have_count(0)
    assert untranslated_msgids(page.evaluate(PAGE_LANGUAGE_TEXT_JS), "ar") == []
    screenshot(page, "ar")

    switch_language(page, "français", "fr", "ltr")
    expect(page).to_have_url(f"{live_server.url}/fr/")
    expect(page.get_by_test_id("logout")).to_have_text("Se déconnecter")
    expect(page.locator(".navbar-brand")).to_have_text("Jusoor جسور")
    assert untranslated_msgids(page.evaluate(PAGE_LANGUAGE_TEXT_JS), "fr") == []
    screenshot(page, "fr")

    switch_language(page, "English", "en", "ltr")
    expect(page).to_have_url(f"{live_server.url}/en/")
    expect(page.get_by_test_id("logout")).to_have_text("Log out")
    screenshot(page, "en")

    # Log out (a POST form in the navbar): logged out, the login link is back
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(f"{live_server.url}/en/")
    expect(page.get_by_test_id("logout")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Log in")).to_be_visible()
