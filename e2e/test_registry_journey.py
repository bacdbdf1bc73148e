"""The actors registry's journey: an association admin signs up, registers the association in Arabic, uploads
its statutes and proof of registration, staff verifies it, and the public finds it by a misspelled French name
and through the map."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from jusoor.accounts.models import Role
from jusoor.accounts.services import role_grant
from jusoor.accounts.tests.factories import PASSWORD as STAFF_PASSWORD
from jusoor.accounts.tests.factories import UserFactory
from jusoor.organizations.models import Organization
from jusoor.organizations.services.reference import reference_load
from jusoor.territories.services import territories_load

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

EMAIL = "rim@assoc-hammamet.tn"
PASSWORD = "Hammamet-Culture-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_in(page: Page, lang: str, email: str, password: str) -> None:
    page.goto(f"/{lang}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_test_id("logout")).to_be_visible()


def test_register_verify_and_find_an_association(page: Page, browser: Browser, live_server, screenshot):
    territories_load()
    reference_load()

    # 1. The association's admin signs up in Arabic and confirms the address
    page.goto("/ar/accounts/signup/")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    link = re.findall(r"https?://\S+", mail.outbox[-1].body)[0]
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    log_in(page, "ar", EMAIL, PASSWORD)

    # 2. Registers the association, in Arabic, in the municipality of Hammamet
    page.goto("/ar/organisations/new/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("#id_name_ar").fill("جمعية الحمامات للثقافة")
    page.locator("#id_name_fr").fill("Association Hammamet Culture")
    page.locator("#id_kind").select_option(label="جمعية")
    page.locator("#id_country").select_option("TN")
    page.locator("#id_territory").fill("1534")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ar/organisations/\d+/documents/$"))
    organization = Organization.objects.get()
    assert (organization.name_ar, organization.territory.code, organization.status) == (
        "جمعية الحمامات للثقافة",
        "1534",
        "unverified",
    )

    # 3. Uploads the statutes and the proof of registration, then asks for verification
    for kind in ("statutes", "registration_proof"):
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_file").set_input_files(
            files=[{"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.locator("form[enctype] button[type=submit]").click()
        expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main table tbody tr")).to_have_count(2)
    page.locator("form:has(input[name=action][value=submit]) button").click()
    expect(page.locator(".badge.text-bg-warning")).to_be_visible()
    screenshot(page, "ar")
    organization.refresh_from_db()
    assert organization.status == "pending"

    # 4. A verification officer checks the evidence and verifies it
    officer = UserFactory(email="verif@jusoor.tn", preferred_language="fr")
    role_grant(user=officer, role=Role.VERIFIER, acting_user=None)
    staff = browser.new_context(base_url=live_server.url)
    staff_page = staff.new_page()
    log_in(staff_page, "fr", officer.email, STAFF_PASSWORD)
    staff_page.goto("/fr/staff/verification/")
    staff_page.get_by_role("link", name="Association Hammamet Culture").click()
    expect(staff_page.locator("main ul li a")).to_have_count(2)  # the two documents, downloadable
    staff_page.locator("#id_reason").fill("Statuts et preuve d’enregistrement conformes.")
    staff_page.locator("button[name=action][value=verify]").click()
    expect(staff_page).to_have_url(f"{live_server.url}/fr/staff/verification/")
    staff.close()
    organization.refresh_from_db()
    assert (organization.status, organization.status_changed_by) == ("verified", officer)

    # 5. The public finds it by a misspelled French name…
    public = browser.new_context(base_url=live_server.url)
    visitor = public.new_page()
    visitor.goto("/fr/organisations/?q=Hamamet+cultur")
    result = visitor.locator("#directory-results").get_by_role("link", name="Association Hammamet Culture")
    expect(result).to_be_visible()
    screenshot(visitor, "fr")
    # …and through the map: Nabeul governorate counts it and links to the filtered directory
    visitor.goto("/fr/organisations/map/")
    row = visitor.locator("table tr", has_text="Nabeul")
    expect(row).to_contain_text("1")
    row.get_by_role("link").first.click()
    expect(visitor).to_have_url(re.compile(r"/fr/organisations/\?territory=TN-21$"))
    expect(
        visitor.locator("#directory-results").get_by_role("link", name="Association Hammamet Culture")
    ).to_be_visible()
    public.close()
