import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.organizations.models import DocumentKind, MembershipRole, Organization, OrganizationDocument
from jusoor.organizations.services.documents import document_upload
from jusoor.organizations.services.verification import (
    organization_refuse,
    organization_submit,
    organization_suspend,
    organization_verify,
)
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="statuts.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def organization(user_factory):
    organization = OrganizationFactory(status=Organization.Status.UNVERIFIED, contact_email="contact@assoc.tn")
    owner = user_factory(email="owner@assoc.tn", preferred_language="ar")
    MembershipFactory(organization=organization, user=owner, role=MembershipRole.OWNER)
    return organization


def with_documents(organization, user):
    for kind in (DocumentKind.STATUTES, DocumentKind.REGISTRATION_PROOF):
        document_upload(organization=organization, kind=kind, upload=pdf(), acting_user=user)


def test_submit_requires_statutes_and_registration_proof(organization, user):
    with pytest.raises(ApplicationError) as error:
        organization_submit(organization=organization, acting_user=user)
    assert error.value.code == "documents_missing"
    assert str(error.value.message) == (
        "Upload these documents before asking for verification: Statutes, Proof of legal registration."
    )
    organization.refresh_from_db()
    assert organization.status == "unverified"


def test_full_cycle_is_audited_and_notifies_in_each_language(organization, user, django_capture_on_commit_callbacks):
    with_documents(organization, user)
    with django_capture_on_commit_callbacks(execute=True):
        organization_submit(organization=organization, acting_user=user)
        organization_verify(organization=organization, acting_user=user, reason="Statuts et récépissé conformes")
    organization.refresh_from_db()
    assert organization.status == "verified"
    assert organization.status_reason == "Statuts et récépissé conformes"
    assert organization.status_changed_by == user
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "organizations.document.uploaded",
        "organizations.document.uploaded",
        "organizations.organization.submitted",
        "organizations.organization.verified",
    ]
    # The owner reads Arabic; the organisation's contact address gets its primary language (Arabic too here).
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["owner@assoc.tn"], f"[جسور] التحقق من {organization.name_ar}: في انتظار التحقق"),
        (["contact@assoc.tn"], f"[جسور] التحقق من {organization.name_ar}: في انتظار التحقق"),
        (["owner@assoc.tn"], f"[جسور] التحقق من {organization.name_ar}: موثّقة"),
        (["contact@assoc.tn"], f"[جسور] التحقق من {organization.name_ar}: موثّقة"),
    ]
    assert "Statuts et récépissé conformes" in mail.outbox[2].body


def test_transition_to_the_same_state_is_quiet(organization, user):
    with_documents(organization, user)
    organization_submit(organization=organization, acting_user=user)
    organization_submit(organization=organization, acting_user=user)
    assert AuditEvent.objects.filter(action="organizations.organization.submitted").count() == 1


@pytest.mark.parametrize(
    ("status", "service"),
    [
        ("unverified", organization_verify),
        ("unverified", organization_suspend),
        ("pending", organization_suspend),
        ("verified", organization_refuse),
        ("suspended", organization_refuse),
    ],
)
def test_disallowed_transitions_change_nothing(organization, user, status, service):
    Organization.objects.filter(pk=organization.pk).update(status=status)
    with pytest.raises(ApplicationError) as error:
        service(organization=organization, acting_user=user, reason="x")
    assert error.value.code == "invalid_transition"
    organization.refresh_from_db()
    assert organization.status == status
    assert AuditEvent.objects.count() == 0


def test_decisions_need_a_reason(organization, user):
    Organization.objects.filter(pk=organization.pk).update(status="pending")
    with pytest.raises(ApplicationError) as error:
        organization_verify(organization=organization, acting_user=user, reason="  ")
    assert error.value.code == "reason_required"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "upload_type"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "upload_type"),
        ("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "upload_too_large"),
        ("notes.txt", b"hello", "upload_type"),
    ],
)
def test_uploads_are_checked_by_content(organization, user, name, content, code):
    with pytest.raises(ApplicationError) as error:
        document_upload(
            organization=organization, kind=DocumentKind.STATUTES, upload=pdf(name, content), acting_user=user
        )
    assert error.value.code == code
    assert OrganizationDocument.objects.count() == 0


def test_a_real_png_is_accepted_and_stored_under_our_name(organization, user):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    document = document_upload(
        organization=organization,
        kind=DocumentKind.REGISTRATION_PROOF,
        upload=SimpleUploadedFile("../../etc/passwd.pdf", buffer.getvalue(), content_type="application/pdf"),
        acting_user=user,
    )
    assert document.content_type == "image/png"
    assert document.original_name == "passwd.pdf"  # Django already strips the path
    assert document.file.name.startswith(f"organisations/{organization.pk}/documents/registration_proof-")
    assert document.file.name.endswith(".png")
