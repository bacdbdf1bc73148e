"""Evidence documents of an organisation, stored through Django's storage API (disk or S3)."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from jusoor.common.audit import audit_log
from jusoor.common.uploads import DOCUMENT_TYPES, IMAGE_TYPES, check_upload, discard_files_on_error
from jusoor.organizations.models import DocumentKind, Organization, OrganizationDocument

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def document_upload(
    *, organization: Organization, kind: DocumentKind, upload: UploadedFile, acting_user: Any
) -> OrganizationDocument:
    size = upload.size or 0
    sniffed = check_upload(upload, allowed=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES, size=size)
    document = OrganizationDocument(
        organization=organization,
        kind=kind,
        original_name=(upload.name or "")[:255],
        content_type=sniffed.content_type,
        size=size,
        uploaded_by=acting_user,
    )
    # The stored name is ours: the kind, a random token and the extension of the sniffed type.
    with discard_files_on_error() as files:
        files.save(document.file, f"{kind}-{secrets.token_hex(8)}.{sniffed.extension}", upload)
        document.save()
    audit_log(
        actor=acting_user,
        action="organizations.document.uploaded",
        target=organization,
        changes={"document": {"old": None, "new": f"{document.get_kind_display()}: {document.original_name}"}},
    )
    return document


MAX_LOGO_BYTES = 2 * 1024 * 1024


@transaction.atomic
def organization_set_logo(*, organization: Organization, upload: UploadedFile, acting_user: Any) -> Organization:
    """Replace the public logo (PNG, JPEG or WebP, checked by content, 2 MB at most)."""
    sniffed = check_upload(upload, allowed=IMAGE_TYPES, max_bytes=MAX_LOGO_BYTES, size=upload.size or 0)
    old_name = organization.logo.name
    organization.logo.save(f"{organization.pk}-{secrets.token_hex(6)}.{sniffed.extension}", upload, save=False)
    organization.save(update_fields=["logo", "updated_at"])
    if old_name:
        transaction.on_commit(lambda: organization.logo.storage.delete(old_name))
    audit_log(
        actor=acting_user,
        action="organizations.organization.logo_changed",
        target=organization,
        changes={"logo": {"old": old_name or None, "new": organization.logo.name}},
    )
    return organization
