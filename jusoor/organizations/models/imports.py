"""Bulk imports of organisations from a CSV or XLSX file: one ImportJob per uploaded file.

The upload is checked first (every row, duplicates included) and kept as a preview; only a preview without
errors can be imported. The import then runs as a background task, all-or-nothing, and reports its progress
on this row (see services/imports.py for how the progress stays visible outside the import's transaction).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jusoor.common.models import BaseModel
from jusoor.organizations.models.documents import private_storage


def import_file_path(instance: ImportJob, filename: str) -> str:
    # The stored name never comes from the browser: see services/imports.py.
    return f"organisations/imports/{filename}"


class ImportJob(BaseModel):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("Checked, not imported yet")
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed, nothing imported")

    # Allowed status transitions. RUNNING → RUNNING: a task that died is run again (its transaction rolled back).
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PREVIEW: frozenset({Status.PENDING}),
        Status.PENDING: frozenset({Status.RUNNING}),
        Status.RUNNING: frozenset({Status.RUNNING, Status.DONE, Status.FAILED}),
        Status.DONE: frozenset(),
        Status.FAILED: frozenset(),
    }
    FINISHED_STATUSES = frozenset({Status.DONE, Status.FAILED})

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    file = models.FileField(_("file"), upload_to=import_file_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4)  # "csv" or "xlsx"
    encoding = models.CharField(_("text encoding"), max_length=20, blank=True)  # CSV only

    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    created_count = models.PositiveIntegerField(_("organisations created"), default=0)

    # The checked rows, ready to write (ids of kinds, themes and territories resolved), in file order.
    rows = models.JSONField(default=list, editable=False)
    # Row-level problems: [{"row", "field", "level": "error"|"warning", "code", "params"}], translated when shown.
    issues = models.JSONField(default=list, editable=False)
    # The ids of the created organisations, in the order of `rows`.
    created_ids = models.JSONField(default=list, editable=False)
    # Why the import failed: {"code", "params"}, translated when shown.
    failure = models.JSONField(default=dict, blank=True, editable=False)

    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation import")
        verbose_name_plural = _("organisation imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(processed__lte=models.F("total")), name="import_job_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def can_start(self) -> bool:
        return self.status == self.Status.PREVIEW and self.error_count == 0 and self.total > 0

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED_STATUSES

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else (100 * self.processed // self.total if self.total else 0)

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())
