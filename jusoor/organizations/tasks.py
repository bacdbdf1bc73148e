"""Background tasks of the organisations app (procrastinate): each takes ids and calls one service."""

from __future__ import annotations

from procrastinate.contrib.django import app

from jusoor.organizations.services import imports


@app.task(name="organizations.organization_import_run")
def organization_import_run(*, job_id: int) -> None:
    """Import the checked rows of an ImportJob, all or nothing (the service records success or failure on the
    job itself, so the task never needs a retry; running it twice does nothing the second time)."""
    imports.organization_import_run(job_id=job_id)
