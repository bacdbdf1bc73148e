"""axe-core on the public pages of crowdfunding, in Arabic (RTL) and French: no serious or critical violation.

The campaign list and a campaign's page, the donate page (blank, and sent back with errors), the test processor's
hosted card page and the donation's status page (received, and failed), with the demo data (campaigns, matching
pot, donations) loaded through the same loaders as `make run`.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.test_accessibility import audit, open_and_audit
from jusoor.accounts.tests.factories import PASSWORD, UserFactory
from jusoor.campaigns.demo import demo_campaigns_load
from jusoor.campaigns.models import Campaign
from jusoor.donations.demo import load_demo_donations
from jusoor.donations.links import donation_path
from jusoor.donations.models import Donation
from jusoor.donations.services.capture import donation_fail
from jusoor.donations.tests import builders
from jusoor.organizations.demo import demo_organizations_load
from jusoor.organizations.models import Membership
from jusoor.organizations.services.reference import reference_load
from jusoor.territories.services import territories_load

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
LANGS = ["ar", "fr"]
PUBLIC_PAGES = {
    "campaigns": "/campaigns/",
    "campaigns-medenine": "/campaigns/?territory=TN-82",
    "campaign": "/campaigns/{campaign}/",
    "donate": "/campaigns/{campaign}/donate/",
}


@pytest.fixture
def demo(settings, live_server) -> Campaign:
    """The demo data; returns the live Medenine campaign (with donations and a matching pot)."""
    settings.JUSOOR_SITE_URL = live_server.url
    territories_load()
    reference_load()
    demo_organizations_load()
    demo_campaigns_load()
    load_demo_donations()
    return Campaign.objects.live().get(territory__parent__code="TN-82")


def _donation_status_path(demo: Campaign, lang: str, outcome: str) -> str:
    """The status page of a donation received, or of one whose payment failed, without the language prefix."""
    if outcome == "captured":
        donation = Donation.objects.filter(campaign=demo, status=Donation.Status.CAPTURED).earliest("pk")
    else:
        pledged = builders.pledge(demo, "40", "EUR", email="declined@example.fr", name="Lina", language=lang)
        donation = donation_fail(donation_id=pledged.pk, reason="card declined")
    return donation_path(donation.reference, lang).removeprefix(f"/{lang}")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_crowdfunding_public_page_has_no_serious_axe_violation(audit_page, live_server, screenshot, demo, path, lang):
    violations = open_and_audit(audit_page, live_server, lang, path.format(campaign=demo.pk))
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("outcome", ["captured", "failed"])
def test_donation_status_page_has_no_serious_axe_violation(audit_page, live_server, screenshot, demo, outcome, lang):
    path = _donation_status_path(demo, lang, outcome)
    violations = open_and_audit(audit_page, live_server, lang, path)
    expect(audit_page.locator(".donation-status")).to_have_attribute("data-status", outcome)
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)


@pytest.mark.parametrize("lang", LANGS)
def test_donate_form_with_errors_has_no_serious_axe_violation(audit_page, live_server, screenshot, demo, lang):
    audit_page.goto(f"/{lang}/campaigns/{demo.pk}/donate/")
    audit_page.locator("#id_amount").fill("0")
    with audit_page.expect_navigation() as navigation:
        audit_page.locator("main form button[type=submit]").click()
    response = navigation.value
    assert response is not None
    assert response.status == 400  # sent back with the errors
    expect(audit_page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(audit_page.locator("main form .invalid-feedback, main form .alert-danger").first).to_be_visible()
    violations = audit(audit_page)
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)


@pytest.mark.parametrize("lang", LANGS)
def test_testpay_hosted_page_has_no_serious_axe_violation(audit_page, live_server, screenshot, demo, lang):
    audit_page.goto(f"/{lang}/campaigns/{demo.pk}/donate/")
    audit_page.locator("#id_amount").fill("50")
    audit_page.locator("#id_currency").select_option("EUR")
    audit_page.locator("input[name=provider][value=testpay]").check()
    audit_page.locator("#id_email").fill("amira@example.fr")
    audit_page.locator("#id_country_of_residence").select_option("FR")
    audit_page.locator("main form button[type=submit]").click()
    expect(audit_page).to_have_url(re.compile(rf"/{lang}/payments/testpay/[^/]+/$"))
    expect(audit_page.locator("html")).to_have_attribute("lang", lang)
    expect(audit_page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    violations = audit(audit_page)
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)


@pytest.mark.parametrize("lang", LANGS)
def test_donation_dashboard_has_no_serious_axe_violation(audit_page, live_server, screenshot, demo, lang):
    admin = UserFactory(email="admin@example.tn", preferred_language=lang)
    Membership.objects.create(organization=demo.organization, user=admin, role="admin")
    audit_page.goto(f"/{lang}/accounts/login/")
    audit_page.locator("#id_login").fill(admin.email)
    audit_page.locator("#id_password").fill(PASSWORD)
    audit_page.locator("main button[type=submit]").click()
    expect(audit_page).to_have_url(f"{live_server.url}/{lang}/")
    violations = open_and_audit(audit_page, live_server, lang, f"/organisations/{demo.organization_id}/donations/")
    expect(audit_page.locator("section[aria-labelledby=latest-title] tbody tr").first).to_contain_text("@")
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)
