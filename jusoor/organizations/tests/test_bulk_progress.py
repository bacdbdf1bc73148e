"""Progress is visible outside the import's transaction, while the import itself stays all or nothing.

These tests commit for real (transactional database): a third connection, like the status page's, reads the
job and the organisations while the import's transaction is still open.
"""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from jusoor.organizations.models import ImportJob, Organization, OrganizationKind
from jusoor.organizations.services import imports
from jusoor.organizations.tests.test_bulk_support import checked_row

pytestmark = pytest.mark.django_db(transaction=True)


def read_from_another_connection(job_id):
    observer = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with observer.cursor() as cursor:
            cursor.execute(f"SELECT status, processed FROM {ImportJob._meta.db_table} WHERE id = %s", [job_id])
            status, processed = cursor.fetchone()
            cursor.execute(f"SELECT count(*) FROM {Organization._meta.db_table}")
            return status, processed, cursor.fetchone()[0]
    finally:
        observer.close()


@pytest.fixture
def seen(monkeypatch):
    """What another connection sees each time the import reports its progress."""
    observations = []
    write = imports._ProgressWriter.write

    def observed_write(self, processed):
        write(self, processed)
        observations.append(read_from_another_connection(self._job_id))

    monkeypatch.setattr(imports._ProgressWriter, "write", observed_write)
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    return observations


def make_job(rows):
    return ImportJob.objects.create(
        status="pending", original_name="a.csv", file_format="csv", total=len(rows), rows=rows
    )


def test_each_batch_is_reported_at_once_and_the_organisations_appear_only_at_the_end(seen):
    kind = OrganizationKind.objects.create(slug="bulk-progress", label={"ar": "ا", "fr": "a", "en": "a"})
    job = make_job([checked_row(number, kind.pk) for number in range(2, 7)])

    imports.organization_import_run(job_id=job.pk)

    assert seen == [("running", 2, 0), ("running", 4, 0), ("running", 5, 0)]
    assert read_from_another_connection(job.pk) == ("done", 5, 5)


def test_a_failure_after_some_progress_leaves_nothing_written(seen):
    kind = OrganizationKind.objects.create(slug="bulk-progress", label={"ar": "ا", "fr": "a", "en": "a"})
    rows = [checked_row(number, kind.pk) for number in range(2, 7)]
    rows[4]["kind_id"] = 999_999  # checked at the end, when the foreign keys are
    job = make_job(rows)

    imports.organization_import_run(job_id=job.pk)

    assert seen == [("running", 2, 0), ("running", 4, 0), ("running", 5, 0)]
    job.refresh_from_db()
    assert (job.status, job.failure["code"], Organization.objects.count()) == ("failed", "integrity", 0)
