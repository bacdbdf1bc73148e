"""The Content-Security-Policy (`script-src 'self'`, no inline script or style) holds with the real front end:
nothing is refused, and htmx's live territory search works under it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

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
