from jusoor.organizations.models.documents import DocumentKind, OrganizationDocument
from jusoor.organizations.models.imports import ImportJob
from jusoor.organizations.models.membership import Invitation, Membership, MembershipRole
from jusoor.organizations.models.organization import BoardMember, BudgetBand, Organization, Registry
from jusoor.organizations.models.taxonomy import OrganizationKind, SDGGoal, SDGTarget, Theme

__all__ = [
    "BoardMember",
    "BudgetBand",
    "DocumentKind",
    "ImportJob",
    "Invitation",
    "Membership",
    "MembershipRole",
    "Organization",
    "OrganizationDocument",
    "OrganizationKind",
    "Registry",
    "SDGGoal",
    "SDGTarget",
    "Theme",
]
