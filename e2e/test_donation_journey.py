"""The crowdfunding journey: a donor living in France gives 50 EUR to a Medenine association's campaign (counted in
TND) in French with the offline test processor, downloads the receipt and sees the campaign's progress move; the
association's administrator then finds the donation on the organisation's dashboard, in Arabic. A declined card
leaves the donation not completed and the campaign's total unchanged."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from e2e.test_registry_journey import log_in
from jusoor.accounts.tests.factories import PASSWORD, UserFactory
from jusoor.campaigns.models import Campaign
from jusoor.common.money import format_money
from jusoor.donations.models import Donation
from jusoor.donations.tests import builders
from jusoor.organizations.models import Membership, MembershipRole
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.payments.models import ProviderEvent, TestPaySession
from jusoor.territories.models import Territory
from jusoor.territories.services import territories_load

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

GOAL = Decimal("1000.000")  # TND
DONOR_EMAIL = "camille.dupont@example.fr"
DONOR_NAME = "Camille Dupont"
SUCCEEDING_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"


def medenine_campaign() -> Campaign:
    """A live campaign in TND of a verified association of Medenine, and today's EUR→TND rate (3.35)."""
    territories_load()
    municipality = Territory.objects.get(code="5211", parent__code="TN-82")  # the municipality of Medenine
    organization = OrganizationFactory(
        name_fr="Association Enfants de la Lune de Médenine",
        name_ar="جمعية أطفال القمر بمدنين",
        territory=municipality,
    )
    builders.rate("EUR", "TND", "3.35000000")
    return builders.campaign(org=organization, where=municipality, goal=GOAL)


def raised_text(page: Page):
    """The "<raised> raised of <goal>" line of the campaign page's progress card."""
    return page.locator("aside .card p.small span").first


def donate(page: Page, campaign: Campaign, screenshot, card: str, shots: bool) -> None:
    """From the campaign's French page: fill the donate form (50 EUR, test card, France) and pay on the hosted
    page with `card`; ends on the donation's status page."""
    page.get_by_role("link", name="Faire un don", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/fr/campaigns/{campaign.pk}/donate/$"))
    page.locator("#id_amount").fill("50")
    page.locator("#id_currency").select_option("EUR")
    page.get_by_label("Carte de test (sans argent réel)").check()
    page.locator("#id_email").fill(DONOR_EMAIL)
    page.locator("#id_name").fill(DONOR_NAME)
    page.locator("#id_country_of_residence").select_option("FR")
    if shots:
        screenshot(page, "fr-2-donate-form")
    page.get_by_role("button", name="Continuer vers le paiement").click()

    # The processor's hosted page (offline test processor), in the donor's language
    expect(page).to_have_url(re.compile(r"/fr/payments/testpay/[^/]+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main dl")).to_contain_text(format_money(Decimal("50"), "EUR", "fr"))
    page.get_by_label("Numéro de carte").fill(card)
    if shots:
        screenshot(page, "fr-3-hosted-page")
    page.locator("main form button[type=submit]").click()

    # Back on Jusoor: the donation's status page (the return URL, absolute from JUSOOR_SITE_URL)
    expect(page).to_have_url(re.compile(r"/fr/donations/[^/]+/[^/]+/\?return=1$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_donor_in_france_gives_50_eur_and_the_association_sees_it(
    page: Page, browser: Browser, live_server, settings, screenshot
):
    settings.JUSOOR_SITE_URL = live_server.url
    campaign = medenine_campaign()
    zero, goal = format_money(Decimal("0"), "TND", "fr"), format_money(GOAL, "TND", "fr")
    raised = format_money(Decimal("167.500"), "TND", "fr")  # 50 EUR × 3.35

    # 1. The donor opens the campaign in French and reads its progress: nothing raised yet
    page.goto(f"/fr/campaigns/{campaign.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Une bibliothèque pour les enfants")
    expect(page.locator("progress.campaign-progress")).to_have_attribute("value", "0")
    expect(raised_text(page)).to_contain_text(zero)
    expect(raised_text(page)).to_contain_text(goal)
    screenshot(page, "fr-1-campaign")

    # 2. Donates 50 EUR with the test card that succeeds
    donate(page, campaign, screenshot, SUCCEEDING_CARD, shots=True)
    donation = Donation.objects.get()
    assert (donation.status, donation.amount, donation.currency) == ("captured", Decimal("50.00"), "EUR")
    assert (donation.campaign_amount, donation.campaign_currency) == (Decimal("167.500"), "TND")
    assert (donation.name, donation.email, donation.country_of_residence, donation.language) == (
        DONOR_NAME,
        DONOR_EMAIL,
        "FR",
        "fr",
    )
    # The processor's signed callback (delivered from the task queue) was received and acted on
    assert TestPaySession.objects.get().status == "succeeded"
    assert list(ProviderEvent.objects.values_list("provider", "outcome", "donation")) == [
        ("testpay", "captured", donation.pk)
    ]

    # 3. The status page says the donation was received
    expect(page.locator(".donation-status")).to_have_attribute("data-status", "captured")
    expect(page.locator("main [role=status].alert-success")).to_have_text("Merci ! Votre don a bien été reçu.")
    expect(page.locator(".donation-status")).to_contain_text(donation.reference)
    expect(page.locator(".donation-status")).to_contain_text(format_money(Decimal("50"), "EUR", "fr"))
    expect(page.locator(".donation-status")).to_contain_text(raised)
    screenshot(page, "fr-4-status")

    # The confirmation mail links back to this site (JUSOOR_SITE_URL), in French
    confirmation = [m for m in mail.outbox if m.to == [DONOR_EMAIL]]
    assert len(confirmation) == 1
    links = re.findall(r"https?://\S+", confirmation[0].body)
    assert links
    assert all(link.startswith(f"{live_server.url}/fr/") for link in links), links

    # 4. Downloads the receipt: a PDF
    receipt_link = page.get_by_role("link", name="Télécharger le reçu (PDF)")
    expect(receipt_link).to_be_visible()
    href = receipt_link.get_attribute("href")
    assert href is not None
    assert href.startswith(f"/fr/receipts/{donation.reference}/")
    receipt = page.request.get(href)
    assert receipt.status == 200
    assert receipt.headers["content-type"] == "application/pdf"
    assert receipt.headers["content-disposition"].endswith('.pdf"')
    assert receipt.body().startswith(b"%PDF")

    # 5. Back on the campaign page, the progress bar moved: 167.500 TND of 1,000.000 TND, 16 %
    page.goto(f"/fr/campaigns/{campaign.pk}/")
    expect(page.locator("progress.campaign-progress")).to_have_attribute("value", "16")
    expect(raised_text(page)).to_contain_text(raised)
    expect(raised_text(page)).to_contain_text(goal)
    expect(page.locator("aside")).to_contain_text(DONOR_NAME)  # the donor wall
    screenshot(page, "fr-5-campaign-after")

    # 6. The association's administrator logs in, in Arabic, and finds the donation on the dashboard
    admin = UserFactory(email="admin@enfants-lune-medenine.tn", full_name="سلمى بن علي", preferred_language="ar")
    Membership.objects.create(organization=campaign.organization, user=admin, role=MembershipRole.ADMIN)
    staff = browser.new_context(base_url=live_server.url)
    staff_page = staff.new_page()
    log_in(staff_page, "ar", admin.email, PASSWORD)
    response = staff_page.goto(f"/ar/organisations/{campaign.organization_id}/donations/")
    assert response is not None
    assert response.status == 200
    expect(staff_page.locator("html")).to_have_attribute("lang", "ar")
    expect(staff_page.locator("html")).to_have_attribute("dir", "rtl")
    row = staff_page.locator("section[aria-labelledby=latest-title] tbody tr", has_text=DONOR_NAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(DONOR_EMAIL)
    expect(row).to_contain_text(format_money(Decimal("50"), "EUR", "ar"))
    expect(row).to_contain_text(format_money(Decimal("167.500"), "TND", "ar"))
    expect(row).to_contain_text("فرنسا")  # France, the donor's country of residence
    campaign_row = staff_page.locator("section[aria-labelledby=campaigns-title] tbody tr", has_text="مكتبة للأطفال")
    expect(campaign_row).to_contain_text(format_money(Decimal("167.500"), "TND", "ar"))
    screenshot(staff_page, "ar-6-dashboard")
    staff.close()


def test_declined_card_leaves_the_donation_not_completed(page: Page, live_server, settings, screenshot):
    settings.JUSOOR_SITE_URL = live_server.url
    campaign = medenine_campaign()
    builders.captured(campaign, "100.000", "TND", email="ines@example.tn", name="Inès")  # raised before
    before = format_money(Decimal("100.000"), "TND", "fr")

    page.goto(f"/fr/campaigns/{campaign.pk}/")
    expect(page.locator("progress.campaign-progress")).to_have_attribute("value", "10")
    expect(raised_text(page)).to_contain_text(before)
    donate(page, campaign, screenshot, DECLINED_CARD, shots=False)

    declined = Donation.objects.get(email=DONOR_EMAIL)
    assert declined.status == "failed"
    assert not hasattr(declined, "receipt")
    expect(page.locator(".donation-status")).to_have_attribute("data-status", "failed")
    expect(page.locator("main [role=status].alert-warning")).to_contain_text("Ce don n'a pas abouti.")
    expect(page.get_by_role("link", name="Télécharger le reçu (PDF)")).to_have_count(0)
    expect(page.get_by_role("link", name="Réessayer")).to_have_attribute("href", f"/fr/campaigns/{campaign.pk}/donate/")
    screenshot(page, "fr-status-declined")

    # The campaign's total is unchanged
    page.goto(f"/fr/campaigns/{campaign.pk}/")
    expect(page.locator("progress.campaign-progress")).to_have_attribute("value", "10")
    expect(raised_text(page)).to_contain_text(before)
    expect(page.locator("aside")).not_to_contain_text(DONOR_NAME)
