"""The Content-Security-Policy (`script-src 'self'`, no inline script or style) holds with the real front end:
nothing is refused, and htmx's live territory search and the campaign filters work under it; a donation goes through
the donate page, the test processor's hosted page and the status page with nothing refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from jusoor.donations.tests import builders
from jusoor.territories.models import Territory
from jusoor.territories.services import territories_load

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

# Runs before the page's own scripts; records what the browser refuses under the CSP.
RECORD_CSP_VIOLATIONS_JS = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.cspViolations.push(`${event.effectiveDirective} refused ${event.blockedURI || 'inline'} at ${where}`);
});
"""
# The public crowdfunding pages, in both directions ({campaign}: a live campaign's id).
CROWDFUNDING_PAGES = [
    ("/fr/campaigns/", "fr"),
    ("/ar/campaigns/", "ar"),
    ("/ar/campaigns/?territory=TN-82", "ar"),
    ("/fr/campaigns/{campaign}/", "fr"),
    ("/ar/campaigns/{campaign}/", "ar"),
    ("/fr/campaigns/{campaign}/donate/", "fr"),
    ("/ar/campaigns/{campaign}/donate/", "ar"),
]


def watch_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of the page, from now on; CSP violations go to window.cspViolations."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(RECORD_CSP_VIOLATIONS_JS)
    return errors


def assert_nothing_refused(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert page.evaluate("window.cspViolations") == [], page.url


def test_pages_keep_to_the_csp_and_htmx_live_search_works(page: Page, live_server):
    territories_load()
    console_errors: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.add_init_script(RECORD_CSP_VIOLATIONS_JS)

    for path, lang in [("/fr/", "fr"), ("/ar/territories/", "ar")]:
        response = page.goto(path)
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert page.evaluate("window.cspViolations") == []
    # htmx is loaded (from 'self') and running on the territories page
    assert page.evaluate("typeof htmx") == "object"

    page.goto("/fr/territories/")
    expect(page.locator("#territory-results tbody tr")).to_have_count(24)
    with page.expect_response(lambda response: "q=Sousse" in response.url) as search:
        page.locator("#territory-q").fill("Sousse")
    assert search.value.request.header_value("hx-request") == "true"  # a live search, not a page load
    assert search.value.status == 200
    names = page.locator("#territory-results tbody tr td:first-child a")
    expect(names).to_have_count(4)  # the governorate, and the municipalities whose name contains "Sousse"
    assert sorted(names.all_inner_texts()) == ["Hammam Sousse", "Sousse", "Sousse", "Zaouia Sousse"]
    expect(page).to_have_url(f"{live_server.url}/fr/territories/?country=TN&q=Sousse")  # hx-push-url

    assert page.evaluate("window.cspViolations") == []
    assert console_errors == []


def test_crowdfunding_pages_keep_to_the_csp_and_a_donation_goes_through(page: Page, live_server, settings):
    settings.JUSOOR_SITE_URL = live_server.url
    territories_load()
    builders.rate("EUR", "TND", "3.35000000")
    campaign = builders.campaign(where=Territory.objects.get(code="5211", parent__code="TN-82"))  # Medenine
    console_errors = watch_errors(page)

    for path, lang in CROWDFUNDING_PAGES:
        response = page.goto(path.format(campaign=campaign.pk))
        assert response is not None
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert_nothing_refused(page, lang)

    # The campaign filters are htmx (from 'self'): choosing a governorate swaps the results in place
    page.goto("/fr/campaigns/")
    assert page.evaluate("typeof htmx") == "object"
    with page.expect_response(lambda response: "territory=TN-82" in response.url) as filtered:
        page.locator("#f-territory").select_option("TN-82")
    assert filtered.value.request.header_value("hx-request") == "true"
    assert filtered.value.status == 200
    expect(page).to_have_url(re.compile(r"/fr/campaigns/\?(.+&)?territory=TN-82(&|$)"))  # hx-push-url
    expect(page.locator("#campaign-results").get_by_role("link", name=campaign.title_fr)).to_be_visible()
    assert_nothing_refused(page, "fr")

    # A donation: donate page → the processor's hosted page → the status page, the receipt linked
    page.goto(f"/fr/campaigns/{campaign.pk}/donate/")
    page.locator("#id_amount").fill("20")
    page.locator("#id_currency").select_option("EUR")
    page.locator("input[name=provider][value=testpay]").check()
    page.locator("#id_email").fill("sami@example.fr")
    page.locator("#id_country_of_residence").select_option("FR")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fr/payments/testpay/[^/]+/$"))
    assert_nothing_refused(page, "fr")
    page.locator("#id_card_number").fill("4242 4242 4242 4242")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fr/donations/[^/]+/[^/]+/\?return=1$"))
    expect(page.locator(".donation-status")).to_have_attribute("data-status", "captured")
    assert_nothing_refused(page, "fr")

    assert console_errors == []
