"""Import organisations in bulk: an ImportJob from the checked upload to the organisations written.

1. `import_job_create` keeps the upload (private storage) and the checked rows as a preview.
2. `import_job_start` queues the import of a preview without errors (the task runs after commit).
3. `organization_import_run` (the task's service) writes every row in ONE transaction, set-based:
   organisations by `bulk_create` in batches, their themes through-table rows in bulk, the search columns in
   one UPDATE (`organization_reindex`), one summary audit row, and the job marked done — all or nothing.

Progress. The import's transaction must stay all-or-nothing, so nothing it writes is visible before the
commit; yet the status page must see the progress. Between batches, the processed count is written through a
second database connection of its own, in autocommit: each write is committed at once and seen by the status
page, whatever happens to the import's transaction. The import's transaction never writes the job row until its
very last statement (status done), so the two connections never wait on each other's row lock (the progress
connection also sets a short lock_timeout, and a failed progress write is only logged). Before the transaction,
the job is claimed (running) and, after a rollback, marked failed, each in its own short transaction.

Imported organisations are unverified and have no owner: their members claim them later.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.common.tasks import defer_on_commit
from jusoor.organizations.bulk.duplicates import existing_registrations
from jusoor.organizations.bulk.messages import ERROR, FAILURE_MESSAGES, WARNING
from jusoor.organizations.models import ImportJob, Organization
from jusoor.organizations.services.search_index import organization_reindex

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
THEME_BATCH_SIZE = 5000
# pg_try_advisory_xact_lock(namespace, job id): one run of a job at a time.
_LOCK_NAMESPACE = 0x4A53  # "JS"
_JOB_TABLE = ImportJob._meta.db_table


class ImportFailedError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# --- 1. Preview ---------------------------------------------------------------------------------------------
@transaction.atomic
def import_job_create(
    *,
    acting_user: Any,
    original_name: str,
    data: bytes,
    file_format: str,
    encoding: str,
    rows: list[dict[str, Any]],
    issues: list[dict[str, Any]],
) -> ImportJob:
    """Keep a checked upload as a preview. `rows` and `issues` come from `bulk.checks.check_file`."""
    job = ImportJob(
        created_by=acting_user,
        original_name=original_name[:255],
        file_format=file_format,
        encoding=encoding,
        total=len(rows),
        rows=rows,
        issues=issues,
        error_count=sum(1 for issue in issues if issue["level"] == ERROR),
        warning_count=sum(1 for issue in issues if issue["level"] == WARNING),
    )
    # The stored name is ours (random), never the browser's.
    job.file.save(f"{uuid.uuid4().hex}.{file_format}", ContentFile(data), save=False)
    try:
        job.save()
    except Exception:
        job.file.delete(save=False)
        raise
    return job


# --- 2. Start -----------------------------------------------------------------------------------------------
@transaction.atomic
def import_job_start(*, job_id: int, acting_user: Any) -> ImportJob:
    """Queue the import of a preview without errors; quiet when it was already started (double click)."""
    # The task module imports this one: import it when needed.
    from jusoor.organizations.tasks import organization_import_run as organization_import_run_task

    job = ImportJob.objects.select_for_update().defer("rows", "issues", "created_ids").get(pk=job_id)
    if job.status != ImportJob.Status.PREVIEW:
        return job
    if not job.can_start:
        raise ApplicationError(FAILURE_MESSAGES["not_startable"], code="import_not_startable")
    job.status = ImportJob.Status.PENDING
    job.started_by = acting_user
    job.save(update_fields=["status", "started_by", "updated_at"])
    defer_on_commit(organization_import_run_task, job_id=job.pk)
    return job


# --- 3. Run -------------------------------------------------------------------------------------------------
def organization_import_run(*, job_id: int) -> ImportJob | None:
    """Write the job's rows, all or nothing; idempotent (a finished job, or one running elsewhere, is left
    alone). Returns the job, or None when there is nothing to do."""
    with transaction.atomic():
        claimed = ImportJob.objects.filter(
            pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING]
        ).update(status=ImportJob.Status.RUNNING, processed=0, started_at=timezone.now(), updated_at=timezone.now())
    if not claimed:
        return None
    progress = _ProgressWriter(job_id)
    try:
        with transaction.atomic():
            # One run at a time (a second one leaves); a run that finished meanwhile is not repeated.
            if _lock(job_id):
                job = ImportJob.objects.select_related("started_by", "created_by").get(pk=job_id)
                if job.status == ImportJob.Status.RUNNING:
                    _write(job, progress)
    except ImportFailedError as failure:
        _fail(job_id, failure.code, failure.params)
    except IntegrityError as error:
        _fail(job_id, "integrity", {"detail": _constraint_name(error)})
    except Exception:
        logger.exception("organisation import %s failed", job_id)
        _fail(job_id, "unexpected", {})
    finally:
        progress.close()
    return ImportJob.objects.defer("rows", "issues", "created_ids").get(pk=job_id)


def _lock(job_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, job_id])
        return bool(cursor.fetchone()[0])


def _write(job: ImportJob, progress: _ProgressWriter) -> None:
    rows = job.rows
    if not rows or any(not row.get("ok") for row in rows):
        raise ImportFailedError("not_startable")
    taken = existing_registrations(
        (row["registry"], row["registration_number"]) for row in rows if row["registry"] and row["registration_number"]
    )
    if taken:
        duplicated = [str(row["row"]) for row in rows if (row["registry"], row["registration_number"]) in taken]
        raise ImportFailedError("duplicate_registration", rows=", ".join(duplicated[:20]))

    created: list[Organization] = []
    for start in range(0, len(rows), BATCH_SIZE):
        batch = [Organization(**organization_fields(row)) for row in rows[start : start + BATCH_SIZE]]
        created.extend(Organization.objects.bulk_create(batch))
        progress.write(min(start + BATCH_SIZE, len(rows)))

    through = Organization.themes.through
    links = [
        through(organization_id=organization.pk, theme_id=theme_id)
        for organization, row in zip(created, rows, strict=True)
        for theme_id in row["theme_ids"]
    ]
    through.objects.bulk_create(links, batch_size=THEME_BATCH_SIZE)
    ids = [organization.pk for organization in created]
    organization_reindex(organization_ids=ids)
    with connection.cursor() as cursor:
        # Foreign keys are checked at commit by default: check them now, inside the all-or-nothing block.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    audit_log(
        actor=job.started_by or job.created_by,
        action="organizations.import.completed",
        target=job,
        changes={
            "organizations": {"old": 0, "new": len(ids)},
            "themes": {"old": 0, "new": len(links)},
            "file": {"old": None, "new": job.original_name},
            "ids": {"old": None, "new": [ids[0], ids[-1]] if ids else []},
        },
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        processed=len(rows),
        created_count=len(ids),
        created_ids=ids,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def organization_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The model fields of a checked row (see `bulk.checks`)."""
    founded_on = row["founded_on"]
    return {
        "name_ar": row["name_ar"],
        "name_fr": row["name_fr"],
        "name_en": row["name_en"],
        "primary_language": row["primary_language"],
        "acronym": row["acronym"],
        "kind_id": row["kind_id"],
        "registry": row["registry"],
        "registration_number": row["registration_number"],
        "founded_on": datetime.date.fromisoformat(founded_on) if founded_on else None,
        "country": row["country"],
        "territory_id": row["territory_id"],
        "members_count": row["members_count"],
        "volunteers_count": row["volunteers_count"],
        "contact_email": row["contact_email"],
        "contact_phone": row["contact_phone"],
        "website": row["website"],
        "description": row["description"],
        "status": Organization.Status.UNVERIFIED,
    }


def _fail(job_id: int, code: str, params: dict[str, Any]) -> None:
    with transaction.atomic():
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            failure={"code": code, "params": params},
            created_count=0,
            created_ids=[],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    logger.warning("organisation import %s failed: %s %s", job_id, code, params)


def _constraint_name(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)
    return str(getattr(diag, "constraint_name", "") or _("unknown constraint"))


class _ProgressWriter:
    """Writes `processed` on the job row through its own connection, committed at once (see the module doc)."""

    def __init__(self, job_id: int) -> None:
        self._job_id = job_id
        self._connection: Any = None

    def write(self, processed: int) -> None:
        try:
            if self._connection is None:
                self._connection = connections.create_connection(DEFAULT_DB_ALIAS)
                with self._connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '2s'")
            with self._connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {_JOB_TABLE} SET processed = %s, updated_at = now() WHERE id = %s AND status = %s",  # noqa: S608
                    [processed, self._job_id, ImportJob.Status.RUNNING],
                )
        except DatabaseError:
            logger.warning("could not write the progress of organisation import %s", self._job_id, exc_info=True)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
