"""axe-core on the pages of the actors registry, in Arabic (RTL) and French: no serious or critical violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.test_accessibility import open_and_audit
from jusoor.accounts.tests.factories import PASSWORD, UserFactory
from jusoor.organizations.demo import demo_organizations_load
from jusoor.organizations.models import Membership, Organization
from jusoor.organizations.services.reference import reference_load
from jusoor.territories.services import territories_load

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
LANGS = ["ar", "fr"]
PUBLIC_PAGES = {
    "directory": "/organisations/",
    "directory-search": "/organisations/?q=jamaia&country=MA",
    "map": "/organisations/map/",
    "map-ma": "/organisations/map/?country=MA&level=province",
    "profile": "/organisations/{pk}/",
}
OWNER_PAGES = {
    "create": "/organisations/new/",
    "edit": "/organisations/{pk}/edit/",
    "documents": "/organisations/{pk}/documents/",
    "members": "/organisations/{pk}/members/",
    "board": "/organisations/{pk}/board/",
}


@pytest.fixture
def demo():
    territories_load()
    reference_load()
    organizations = demo_organizations_load()
    return next(o for o in organizations if o.status == Organization.Status.VERIFIED)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_registry_public_page_has_no_serious_axe_violation(audit_page, live_server, screenshot, demo, path, lang):
    violations = open_and_audit(audit_page, live_server, lang, path.format(pk=demo.pk))
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", OWNER_PAGES.values(), ids=OWNER_PAGES.keys())
def test_registry_owner_page_has_no_serious_axe_violation(audit_page, live_server, screenshot, demo, path, lang):
    owner = UserFactory(email="owner@example.tn")
    Membership.objects.create(organization=demo, user=owner, role="owner")
    audit_page.goto(f"/{lang}/accounts/login/")
    audit_page.locator("#id_login").fill(owner.email)
    audit_page.locator("#id_password").fill(PASSWORD)
    audit_page.locator("main button[type=submit]").click()
    expect(audit_page).to_have_url(f"{live_server.url}/{lang}/")
    violations = open_and_audit(audit_page, live_server, lang, path.format(pk=demo.pk))
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)
