"""Who may see donation receipts and reports and who moves a campaign's money out. Names follow
`donations.<verb>_<model>`; pages, templates and services ask these rules (`user.has_perm(name, obj)`).

The object is the donation (receipts), the organisation (dashboard, export, foreign register), the campaign
(requesting a tranche) or the tranche (its proof, the decision). Objects must come with their campaign and
organisation loaded (`select_related`), so a check runs no query beyond the user's roles (read once per user).
A guest donor opens a receipt with the signed token of `jusoor.donations.links`, without any permission.
"""

from __future__ import annotations

from typing import Any

import rules

from jusoor.accounts.rules import is_finance_officer, is_platform_admin
from jusoor.campaigns.models import Campaign, Tranche
from jusoor.donations.models import Donation
from jusoor.organizations.rules import is_org_admin, is_org_member, is_public_organization


@rules.predicate
def is_donation_donor(user: Any, donation: Donation | None) -> bool:
    return donation is not None and user.is_authenticated and donation.donor_id == user.pk


@rules.predicate
def is_donation_org_admin(user: Any, donation: Donation | None) -> bool:
    return donation is not None and is_org_admin(user, donation.campaign.organization)


@rules.predicate
def is_campaign_org_admin(user: Any, campaign: Campaign | None) -> bool:
    return campaign is not None and is_org_admin(user, campaign.organization)


@rules.predicate
def is_tranche_org_admin(user: Any, tranche: Tranche | None) -> bool:
    return tranche is not None and is_org_admin(user, tranche.campaign.organization)


is_finance_staff = is_finance_officer | is_platform_admin

rules.add_perm("donations.view_receipt", is_donation_donor | is_donation_org_admin | is_finance_staff)
rules.add_perm("donations.view_donation_summary", rules.is_authenticated)
rules.add_perm("donations.view_dashboard", is_org_admin | is_finance_staff)
rules.add_perm("donations.export_donations", is_org_admin | is_finance_staff)
# The register of foreign funding is public for public organisations (Tunisian law asks them to publish it).
rules.add_perm("donations.view_foreign_register", is_public_organization | is_org_member | is_finance_staff)
rules.add_perm("donations.request_tranche", is_campaign_org_admin)
rules.add_perm("donations.view_tranche", is_tranche_org_admin | is_finance_staff)
# Money leaves the platform only on a finance officer's decision (platform administrators do not decide).
rules.add_perm("donations.decide_tranche", is_finance_officer)
rules.add_perm("donations.view_tranche_queue", is_finance_officer)
rules.add_perm("donations.settle_fx", is_finance_officer)
# Matching pots: finance staff see every pot and open new ones (the API's POST asks the same rule).
rules.add_perm("donations.view_matchingpot", is_finance_staff)
rules.add_perm("donations.add_matchingpot", is_finance_staff)
# Refunding a donation sends money back to the donor: finance officers only (platform administrators do not).
rules.add_perm("donations.refund_donation", is_finance_officer)
