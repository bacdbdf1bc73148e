from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jusoor.organizations.selectors.organizations import organization_get


@require_GET
def organization_profile_view(request: HttpRequest, pk: int) -> HttpResponse:
    organization = organization_get(organization_id=pk, viewer=request.user)
    user = request.user
    context = {
        "organization": organization,
        "can_see_contact": user.has_perm("organizations.view_private_contact", organization),
        "can_change": user.has_perm("organizations.change_organization", organization),
        "can_see_documents": user.has_perm("organizations.view_documents", organization),
        "can_see_members": user.has_perm("organizations.view_membership", organization),
        "can_verify": user.has_perm("organizations.verify_organization", organization),
    }
    return render(request, "organizations/profile.html", context)
