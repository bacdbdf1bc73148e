"""The import task's service: all or nothing (a failure in the middle leaves nothing written), idempotent,
failures recorded on the job with a translated reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jusoor.accounts.models import Role
from jusoor.accounts.tests.factories import RoleGrantFactory
from jusoor.common.models import AuditEvent
from jusoor.organizations.bulk.messages import failure_message
from jusoor.organizations.models import ImportJob, Membership, Organization
from jusoor.organizations.services import imports
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.organizations.tests.test_bulk_support import checked_row, csv_bytes, make_references, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def refs():
    return make_references()


@pytest.fixture
def verifier():
    return RoleGrantFactory(role=Role.VERIFIER).user


def pending_job(user, rows):
    return ImportJob.objects.create(
        created_by=user, started_by=user, status="pending", original_name="a.csv", file_format="csv",
        total=len(rows), rows=rows,
    )  # fmt: skip


def assert_nothing_written():
    assert Organization.objects.count() == 0
    assert Organization.themes.through.objects.count() == 0
    assert not AuditEvent.objects.filter(action="organizations.import.completed").exists()


def test_a_constraint_violation_in_the_middle_rolls_everything_back_through_the_views(
    client, verifier, refs, monkeypatch, django_capture_on_commit_callbacks
):
    # Given a checked file of 7 rows, imported in batches of 2 …
    client.force_login(verifier)
    content = csv_bytes(
        [row(name_fr=f"Association {i}", name_ar="", themes="health", registry="tn-rne",
             registration_number=f"{i:07d}A") for i in range(7)]
    )  # fmt: skip
    client.post("/en/staff/organisations/import/", {"file": SimpleUploadedFile("a.csv", content)})
    job = ImportJob.objects.get()
    assert (job.status, job.error_count) == ("preview", 0)
    # … where row 7 (in the 3rd batch) now repeats row 2's registration number (as if the data had changed since
    # the check), so the database refuses the 3rd INSERT after two batches were written.
    job.rows[5]["registration_number"] = job.rows[0]["registration_number"]
    job.save(update_fields=["rows"])
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    batches = []
    original_bulk_create = Organization.objects.bulk_create

    def counting_bulk_create(objs, *args, **kwargs):
        batches.append(len(objs))
        return original_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(Organization.objects, "bulk_create", counting_bulk_create)

    # When the import runs …
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/staff/organisations/import/{job.pk}/")

    # … then two batches were written before the failing third one, and nothing of them is left.
    assert batches == [2, 2, 2]
    assert_nothing_written()
    job.refresh_from_db()
    assert (job.status, job.created_count, job.created_ids) == ("failed", 0, [])
    assert job.failure == {"code": "integrity", "params": {"detail": "organization_unique_registration"}}
    page = client.get(f"/en/staff/organisations/import/{job.pk}/").content.decode()
    assert (
        "The import was cancelled and nothing was written: the database refused the data "
        "(organization_unique_registration). Upload the file again to check it."
    ) in page
    report = client.get(f"/en/staff/organisations/import/{job.pk}/report/").content.decode("utf-8-sig")
    assert report.count("not imported") == 7


def test_a_registration_taken_since_the_check_fails_the_import_with_the_rows(verifier, refs):
    job = pending_job(
        verifier,
        [
            checked_row(2, refs["association"].pk, registry="tn-rne", registration_number="1234567A"),
            checked_row(3, refs["association"].pk),
            checked_row(4, refs["association"].pk, registry="tn-rne", registration_number="7654321B"),
        ],
    )
    OrganizationFactory(registry="tn-rne", registration_number="7654321B")

    imports.organization_import_run(job_id=job.pk)

    job.refresh_from_db()
    assert Organization.objects.count() == 1
    assert (job.status, job.failure) == ("failed", {"code": "duplicate_registration", "params": {"rows": "4"}})
    assert failure_message(job.failure) == (
        "The import was cancelled and nothing was written: registration numbers of the file were registered in the "
        "meantime (rows 4). Upload the file again to check it."
    )


def test_a_foreign_key_broken_since_the_check_fails_before_commit(verifier, refs):
    job = pending_job(verifier, [checked_row(2, refs["association"].pk), checked_row(3, 999_999)])

    imports.organization_import_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.failure["code"] == "integrity"
    assert "kind_id" in job.failure["params"]["detail"]
    assert_nothing_written()


def test_an_unexpected_error_fails_the_job_and_writes_nothing(verifier, refs, monkeypatch, caplog):
    job = pending_job(verifier, [checked_row(2, refs["association"].pk, theme_ids=[refs["health"].pk])])

    def broken_audit(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "audit_log", broken_audit)
    imports.organization_import_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", {"code": "unexpected", "params": {}})
    assert_nothing_written()
    assert "organisation import" in caplog.text


def test_the_import_is_idempotent(verifier, refs):
    job = pending_job(verifier, [checked_row(2, refs["association"].pk), checked_row(3, refs["cooperative"].pk)])

    first = imports.organization_import_run(job_id=job.pk)
    second = imports.organization_import_run(job_id=job.pk)

    assert (first.status, first.created_count, second) == ("done", 2, None)
    assert Organization.objects.count() == 2
    assert AuditEvent.objects.filter(action="organizations.import.completed").count() == 1


def test_a_preview_with_errors_or_already_started_is_not_imported(verifier, refs, django_capture_on_commit_callbacks):
    with_errors = ImportJob.objects.create(
        created_by=verifier, original_name="a.csv", file_format="csv", total=1, error_count=1,
        rows=[checked_row(2, refs["association"].pk, ok=False)],
    )  # fmt: skip
    with pytest.raises(imports.ApplicationError) as caught:
        imports.import_job_start(job_id=with_errors.pk, acting_user=verifier)
    assert caught.value.message == "This file has errors or was already imported: it cannot be imported."
    # A row marked in error never gets written, even if the job was forced to pending.
    ImportJob.objects.filter(pk=with_errors.pk).update(status="pending")
    imports.organization_import_run(job_id=with_errors.pk)
    with_errors.refresh_from_db()
    assert (with_errors.status, with_errors.failure["code"]) == ("failed", "not_startable")
    assert_nothing_written()


def test_imported_organisations_are_unverified_and_have_every_field(verifier, refs):
    job = pending_job(
        verifier,
        [
            checked_row(
                2, refs["cooperative"].pk, name_en="Hope", acronym="AEM", registry="tn-rne",
                registration_number="1234567A", founded_on="2012-03-15", territory_id=refs["djerba"].pk,
                theme_ids=[refs["health"].pk, refs["education"].pk], members_count=120, volunteers_count=0,
                contact_email="contact@example.org", contact_phone="+21675640000", website="https://example.org",
                description="Aide", primary_language="fr",
            )
        ],
    )  # fmt: skip

    imports.organization_import_run(job_id=job.pk)

    organization = Organization.objects.get()
    assert (organization.status, organization.kind, organization.territory, organization.founded_on.isoformat()) == (
        "unverified", refs["cooperative"], refs["djerba"], "2012-03-15",
    )  # fmt: skip
    assert (organization.registration_number, organization.members_count, organization.volunteers_count) == (
        "1234567A", 120, 0,
    )  # fmt: skip
    assert (organization.contact_email, organization.contact_phone, organization.website) == (
        "contact@example.org", "+21675640000", "https://example.org",
    )  # fmt: skip
    assert set(organization.themes.all()) == {refs["health"], refs["education"]}
    assert not Membership.objects.filter(organization=organization).exists()
