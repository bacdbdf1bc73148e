"""Three languages: complete catalogues, RTL for Arabic, no English left in the Arabic or French UI."""

from html.parser import HTMLParser
from pathlib import Path

import allauth
import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
PUBLIC_PAGES = ["", "about/data/", "territories/", "accounts/login/", "accounts/signup/", "accounts/password/reset/"]


def catalogue(lang, root=LOCALE):
    with (root / lang / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle)


def untranslated(lang):
    missing = []
    for message in catalogue(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    return missing


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_every_message_is_translated(lang):
    assert untranslated(lang) == []


def test_arabic_plural_forms_follow_gettext():
    assert catalogue("ar").num_plurals == 6


class TextNodes(HTMLParser):
    """Visible text and labelling attributes, except inside script/style or an element marked
    with another language (e.g. the language switcher's endonyms, lang="en")."""

    def __init__(self, lang):
        super().__init__()
        self.lang = lang
        self.texts = []
        self._skip = 0
        self._foreign = []  # tag names of open elements in another language

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"script", "style"}:
            self._skip += 1
        nested_foreign = bool(self._foreign) and tag == self._foreign[-1]
        starts_foreign = bool(attributes.get("lang")) and attributes["lang"] != self.lang and tag != "html"
        if nested_foreign or starts_foreign:
            self._foreign.append(tag)
        if self._foreign:
            return
        for name, value in attrs:
            if name in {"placeholder", "aria-label", "title", "alt"} and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1
        if self._foreign and tag == self._foreign[-1]:
            self._foreign.pop()

    def handle_data(self, data):
        if not self._skip and not self._foreign and data.strip():
            self.texts.append(" ".join(data.split()))


def english_msgids():
    """English source strings that must not appear untranslated (those whose translation differs)."""
    allauth_locale = Path(allauth.__file__).parent / "locale"
    ids = set()
    for root in (LOCALE, allauth_locale):
        for message in catalogue("fr", root):
            if message.id and isinstance(message.id, str) and message.string and message.string != message.id:
                ids.add(" ".join(message.id.split()))
    return {i for i in ids if len(i) > 3 and "%" not in i and "{" not in i}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ar", "fr"])
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_page_has_no_english_left_and_right_direction(client, lang, page):
    response = client.get(f"/{lang}/{page}")
    assert response.status_code == 200
    html = response.content.decode()
    expected_dir = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{expected_dir}">' in html
    parser = TextNodes(lang)
    parser.feed(html)
    leftovers = sorted(set(parser.texts) & english_msgids())
    assert leftovers == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("fr-FR,fr;q=0.9", "/fr/"),
        ("en-GB,en;q=0.8", "/en/"),
        ("ar-TN,ar;q=0.9", "/ar/"),
        ("de-DE", "/ar/"),
        ("", "/ar/"),
    ],
)
def test_root_redirects_by_accept_language_defaulting_to_arabic(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.django_db
def test_arabic_page_uses_the_rtl_bootstrap_build(client):
    html = client.get("/ar/").content.decode()
    assert "bootstrap.rtl.min.css" in html
    assert "bootstrap.rtl.min.css" not in client.get("/fr/").content.decode()
