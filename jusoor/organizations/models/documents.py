"""Documents an organisation submits as evidence: statutes, registration proof, reports, accounts."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from jusoor.common.models import BaseModel
from jusoor.organizations.models.organization import Organization


class DocumentKind(models.TextChoices):
    STATUTES = "statutes", _("Statutes")
    REGISTRATION_PROOF = "registration_proof", _("Proof of legal registration")
    ANNUAL_REPORT = "annual_report", _("Latest annual report")
    FINANCIAL_STATEMENTS = "financial_statements", _("Financial statements")


def private_storage() -> Storage:
    return storages["private"]


def document_path(instance: OrganizationDocument, filename: str) -> str:
    # The stored name never comes from the browser: kind + random token + the sniffed extension.
    return f"organisations/{instance.organization_id}/documents/{filename}"


class OrganizationDocument(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
