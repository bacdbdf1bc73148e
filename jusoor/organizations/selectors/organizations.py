from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from jusoor.organizations.models import BoardMember, Organization, OrganizationDocument


def organization_get(*, organization_id: int, viewer: Any) -> Organization:
    """The organisation if `viewer` may see it; the same 404 whether it is missing or hidden."""
    organization = (
        Organization.objects.select_related("kind", "territory__parent", "status_changed_by")
        .prefetch_related(
            "themes",
            "sdg_goals",
            "operating_territories",
            Prefetch("board", queryset=BoardMember.objects.order_by("position", "id")),
        )
        .filter(pk=organization_id)
        .first()
    )
    if organization is None or not viewer.has_perm("organizations.view_organization", organization):
        raise Http404
    return organization


def document_list(*, organization: Organization) -> QuerySet[OrganizationDocument]:
    return OrganizationDocument.objects.filter(organization=organization).select_related("uploaded_by")


def verification_queue(*, viewer: Any) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(status=Organization.Status.PENDING)
        .select_related("kind", "territory")
        .order_by("status_changed_at", "id")
    )
