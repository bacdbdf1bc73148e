"""Pages where organisations are created and managed: profile form, documents, members, verification."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from jusoor.accounts.mixins import ProtectedPageMixin
from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.forms import (
    BoardFormSet,
    DocumentUploadForm,
    InvitationForm,
    MemberRoleForm,
    OrganizationForm,
    ReasonForm,
    board_members,
)
from jusoor.organizations.models import DocumentKind, MembershipRole
from jusoor.organizations.selectors.memberships import membership_list
from jusoor.organizations.selectors.organizations import document_list, verification_queue
from jusoor.organizations.services.documents import document_upload, organization_set_logo
from jusoor.organizations.services.memberships import (
    invitation_accept,
    invitation_create,
    membership_change_role,
    membership_remove,
    ownership_transfer,
)
from jusoor.organizations.services.organizations import (
    organization_board_replace,
    organization_create,
    organization_update,
)
from jusoor.organizations.services.verification import (
    organization_refuse,
    organization_submit,
    organization_suspend,
    organization_verify,
)
from jusoor.organizations.views.base import OrganizationPermissionMixin, report_error


def _language() -> str:
    return (get_language() or "ar")[:2]


class OrganizationCreateView(PermissionRequiredMixin, View):
    permission_required = "organizations.add_organization"
    template_name = "organizations/form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = OrganizationForm(language=_language(), initial={"primary_language": _language()})
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OrganizationForm(request.POST, request.FILES, language=_language())
        if form.is_valid():
            try:
                with transaction.atomic():
                    organization = organization_create(acting_user=request.user, data=form.service_data())
                    if form.cleaned_data["logo_upload"]:
                        organization_set_logo(
                            organization=organization, upload=form.cleaned_data["logo_upload"], acting_user=request.user
                        )
            except ApplicationError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(
                    request, _("The organisation has been created. Upload its documents to have it verified.")
                )
                return redirect("organization_documents", pk=organization.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class OrganizationUpdateView(OrganizationPermissionMixin, View):
    permission_required = "organizations.change_organization"
    template_name = "organizations/form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = OrganizationForm(instance=self.organization, language=_language())
        return render(request, self.template_name, {"form": form, "organization": self.organization})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = OrganizationForm(request.POST, request.FILES, instance=self.organization, language=_language())
        if form.is_valid():
            try:
                with transaction.atomic():
                    organization_update(
                        organization=self.organization, acting_user=request.user, data=form.service_data()
                    )
                    if form.cleaned_data["logo_upload"]:
                        organization_set_logo(
                            organization=self.organization,
                            upload=form.cleaned_data["logo_upload"],
                            acting_user=request.user,
                        )
            except ApplicationError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The organisation has been saved."))
                return redirect("organization_detail", pk=pk)
        return render(request, self.template_name, {"form": form, "organization": self.organization}, status=400)


class DocumentsView(OrganizationPermissionMixin, View):
    permission_required = "organizations.view_documents"
    template_name = "organizations/documents.html"

    def _render(self, request: HttpRequest, form: DocumentUploadForm, status: int = 200) -> HttpResponse:
        context = {
            "organization": self.organization,
            "documents": document_list(organization=self.organization),
            "form": form,
            "required_kinds": [DocumentKind.STATUTES, DocumentKind.REGISTRATION_PROOF],
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, DocumentUploadForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.POST.get("action") == "submit":
            if not request.user.has_perm("organizations.submit_organization", self.organization):
                raise PermissionDenied
            try:
                organization_submit(organization=self.organization, acting_user=request.user)
            except ApplicationError as error:
                report_error(request, error)
                return self._render(request, DocumentUploadForm(), status=400)
            messages.success(request, _("Your request for verification has been sent."))
            return redirect("organization_documents", pk=pk)
        if not request.user.has_perm("organizations.upload_document", self.organization):
            raise PermissionDenied
        form = DocumentUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            document_upload(
                organization=self.organization,
                kind=DocumentKind(form.cleaned_data["kind"]),
                upload=form.cleaned_data["file"],
                acting_user=request.user,
            )
        except ApplicationError as error:
            form.add_error("file", str(error.message))
            return self._render(request, form, status=400)
        messages.success(request, _("The document has been uploaded."))
        return redirect("organization_documents", pk=pk)


class DocumentDownloadView(OrganizationPermissionMixin, View):
    """Documents are private: served only to those who may see them, never from a public URL."""

    permission_required = "organizations.view_documents"

    def get(self, request: HttpRequest, pk: int, document_id: int) -> FileResponse:
        document = document_list(organization=self.organization).filter(pk=document_id).first()
        if document is None:
            raise Http404
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )


class MembersView(OrganizationPermissionMixin, View):
    permission_required = "organizations.view_membership"
    template_name = "organizations/members.html"

    def _render(self, request: HttpRequest, invite_form: InvitationForm, status: int = 200) -> HttpResponse:
        context = {
            "organization": self.organization,
            "memberships": membership_list(organization=self.organization),
            "invite_form": invite_form,
            "roles": MembershipRole.choices,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, InvitationForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        handler = getattr(self, f"_post_{action}", None)
        if handler is None:
            return HttpResponse(status=400)
        try:
            return handler(request)  # type: ignore[no-any-return]
        except ApplicationError as error:
            report_error(request, error)
            return self._render(request, InvitationForm(), status=400)

    def _denied_unless(self, request: HttpRequest, permission: str) -> None:
        if not request.user.has_perm(permission, self.organization):
            raise PermissionDenied

    def _post_invite(self, request: HttpRequest) -> HttpResponse:
        self._denied_unless(request, "organizations.invite_member")
        form = InvitationForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        invitation_create(
            organization=self.organization,
            email=form.cleaned_data["email"],
            role=MembershipRole(form.cleaned_data["role"]),
            acting_user=request.user,
            base_url=request.build_absolute_uri("/")[:-1],
        )
        messages.success(request, _("The invitation has been sent."))
        return redirect("organization_members", pk=self.organization.pk)

    def _post_role(self, request: HttpRequest) -> HttpResponse:
        self._denied_unless(request, "organizations.change_membership")
        form = MemberRoleForm(request.POST)
        if not form.is_valid():
            return self._render(request, InvitationForm(), status=400)
        if form.cleaned_data["role"] == MembershipRole.OWNER:
            self._denied_unless(request, "organizations.transfer_ownership")
        membership_change_role(
            organization=self.organization,
            user_id=form.cleaned_data["user_id"],
            role=MembershipRole(form.cleaned_data["role"]),
            acting_user=request.user,
        )
        messages.success(request, _("The role has been changed."))
        return redirect("organization_members", pk=self.organization.pk)

    def _post_transfer(self, request: HttpRequest) -> HttpResponse:
        self._denied_unless(request, "organizations.transfer_ownership")
        ownership_transfer(
            organization=self.organization, to_user_id=int(request.POST.get("user_id", 0)), acting_user=request.user
        )
        messages.success(request, _("The ownership has been transferred."))
        return redirect("organization_members", pk=self.organization.pk)

    def _post_remove(self, request: HttpRequest) -> HttpResponse:
        self._denied_unless(request, "organizations.change_membership")
        membership_remove(
            organization=self.organization, user_id=int(request.POST.get("user_id", 0)), acting_user=request.user
        )
        messages.success(request, _("The member has been removed."))
        return redirect("organization_members", pk=self.organization.pk)

    def _post_leave(self, request: HttpRequest) -> HttpResponse:
        self._denied_unless(request, "organizations.leave_organization")
        membership_remove(organization=self.organization, user_id=int(request.user.pk or 0), acting_user=request.user)
        messages.success(request, _("You have left the organisation."))
        return redirect("profile")


class VerificationView(OrganizationPermissionMixin, ProtectedPageMixin, View):
    permission_required = "organizations.verify_organization"
    template_name = "organizations/verification.html"
    ACTIONS = {"verify": organization_verify, "refuse": organization_refuse, "suspend": organization_suspend}

    def _render(self, request: HttpRequest, form: ReasonForm, status: int = 200) -> HttpResponse:
        context = {
            "organization": self.organization,
            "documents": document_list(organization=self.organization),
            "form": form,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, ReasonForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = self.ACTIONS.get(request.POST.get("action", ""))
        form = ReasonForm(request.POST)
        if service is None or not form.is_valid():
            return self._render(request, form, status=400)
        try:
            service(organization=self.organization, acting_user=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            report_error(request, error)
            return self._render(request, form, status=400)
        messages.success(request, _("The decision has been recorded and the organisation notified."))
        return redirect("organization_verification_queue")


class VerificationQueueView(ProtectedPageMixin, View):
    permission_required = "organizations.verify_organization"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "organizations/verification_queue.html", {"organizations": verification_queue(viewer=request.user)}
        )


class InvitationAcceptView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return render(request, "organizations/invitation.html", {"token": token})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            membership = invitation_accept(token=token, user=request.user)
        except ApplicationError as error:
            report_error(request, error)
            return render(request, "organizations/invitation.html", {"token": token}, status=400)
        messages.success(request, _("Welcome to %(name)s.") % {"name": membership.organization.name})
        return redirect("organization_detail", pk=membership.organization_id)


class BoardView(OrganizationPermissionMixin, View):
    permission_required = "organizations.change_organization"
    template_name = "organizations/board.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        initial = [{"full_name": m.full_name, "role": m.role} for m in self.organization.board.all()]
        return self._render(request, BoardFormSet(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        formset = BoardFormSet(request.POST)
        if not formset.is_valid():
            return self._render(request, formset, status=400)
        try:
            organization_board_replace(
                organization=self.organization, members=board_members(formset), acting_user=request.user
            )
        except ApplicationError as error:
            report_error(request, error)
            return self._render(request, formset, status=400)
        messages.success(request, _("The governing board has been saved."))
        return redirect("organization_detail", pk=pk)

    def _render(self, request: HttpRequest, formset: Any, status: int = 200) -> HttpResponse:
        return render(
            request, self.template_name, {"organization": self.organization, "formset": formset}, status=status
        )
