"""axe-core on every page of the foundation, in Arabic (RTL) and French: no serious or critical violation."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from jusoor.accounts.tests.factories import PASSWORD, UserFactory
from jusoor.territories.services import territories_load

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
LANGS = ["ar", "fr"]
PUBLIC_PAGES = {
    "home": "/",
    "about-data": "/about/data/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
}
TERRITORY_PAGES = {  # with the number of top-level rows listed
    "territories": ("/territories/", 24),  # Tunisian governorates
    "territories-ma": ("/territories/?country=MA", 12),  # Moroccan regions
}
ACCOUNT_PAGES = {
    "profile": "/account/profile/",
    "email": "/accounts/email/",
    "password-change": "/accounts/password/change/",
    "reauthenticate": "/accounts/reauthenticate/",
    "2fa": "/accounts/2fa/",
    "2fa-totp-activate": "/accounts/2fa/totp/activate/",
}
BLOCKING_IMPACTS = {"serious", "critical"}


@functools.cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def audit(page: Page) -> list[str]:
    """Run axe-core on the page; return one readable entry per serious or critical violation."""
    page.add_script_tag(content=axe_source())
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]\n"
        + "\n".join(f"    {' '.join(node['target'])}: {node['failureSummary']}" for node in v["nodes"])
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]


def open_and_audit(page: Page, live_server, lang: str, path: str) -> list[str]:
    response = page.goto(f"/{lang}{path}")
    assert response is not None
    assert response.status == 200
    expect(page).to_have_url(f"{live_server.url}/{lang}{path}")  # not redirected (login, reauthentication)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    return audit(page)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_has_no_serious_axe_violation(audit_page, live_server, screenshot, path, lang):
    violations = open_and_audit(audit_page, live_server, lang, path)
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("path", "rows"), TERRITORY_PAGES.values(), ids=TERRITORY_PAGES.keys())
def test_territory_page_has_no_serious_axe_violation(audit_page, live_server, screenshot, path, rows, lang):
    territories_load()
    violations = open_and_audit(audit_page, live_server, lang, path)
    expect(audit_page.locator("#territory-results tbody tr")).to_have_count(rows)
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ACCOUNT_PAGES.values(), ids=ACCOUNT_PAGES.keys())
def test_account_page_has_no_serious_axe_violation(audit_page, live_server, screenshot, path, lang):
    user = UserFactory(email="salma@example.tn", full_name="Salma Ben Ali")
    audit_page.goto(f"/{lang}/accounts/login/")
    audit_page.locator("#id_login").fill(user.email)
    audit_page.locator("#id_password").fill(PASSWORD)
    audit_page.locator("main button[type=submit]").click()
    expect(audit_page).to_have_url(f"{live_server.url}/{lang}/")
    # Two-factor settings want a fresh password confirmation, even right after logging in.
    audit_page.goto(f"/{lang}/accounts/reauthenticate/")
    audit_page.locator("#id_password").fill(PASSWORD)
    audit_page.locator("main button[type=submit]").click()
    expect(audit_page).to_have_url(f"{live_server.url}/{lang}/")

    violations = open_and_audit(audit_page, live_server, lang, path)
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)
