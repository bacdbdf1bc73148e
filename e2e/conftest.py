"""Browser tests: one headless Chromium (Debian's) for the session, a fresh context per test, the live server.

pytest-django's `live_server` runs in this process, so `django.core.mail.outbox` (locmem backend) holds the
mail the site sends. Live-server tests are transactional: every table is emptied after each test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Playwright's sync API keeps an asyncio loop in this thread; Django would refuse ORM calls made from the
# test body while it runs. Documented escape hatch for exactly this case (tests only, never in the app).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist registers this marker only when it is loaded; `make e2e` runs with -p no:xdist.
    config.addinivalue_line("markers", "xdist_group(name): keep these tests on one pytest-xdist worker")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


def _new_context(browser: Browser, live_server, **options) -> BrowserContext:
    context = browser.new_context(base_url=live_server.url, locale="en-US", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def page(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies, the site's CSP enforced)."""
    context = _new_context(browser, live_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def audit_page(browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    """A page whose context ignores the site's CSP, for the axe-core audit ONLY.

    The CSP (`script-src 'self'`) rightly blocks the inline <script> that injects axe-core; bypassing it
    here changes nothing the audit measures. CSP itself is checked, enforced, in test_csp.py.
    """
    context = _new_context(browser, live_server, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot as artifacts/screenshots/<test>-<lang>.png.

    <test> is the test's name with its parameters, the language parameter left out.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, lang: str) -> Path:
        name = request.node.name
        params = getattr(request.node, "callspec", None)
        if params is not None:
            ids = [part for part in params.id.split("-") if part != lang]
            name = request.node.originalname + ("-" + "-".join(ids) if ids else "")
        path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}-{lang}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
