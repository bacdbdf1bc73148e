"""Reading import jobs: access, the preview (first rows and issues, in the reader's language), the report.

The large JSON columns (rows, issues, created ids) are never loaded to show the status: the page that polls
reads a few numbers only, and the preview reads the first rows and issues sliced in SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Func, JSONField, Value
from django.http import Http404
from django.utils.translation import gettext as _

from jusoor.organizations.bulk.messages import ERROR, WARNING, failure_message, issue_message
from jusoor.organizations.models import ImportJob, OrganizationKind, Theme
from jusoor.territories.models import Territory

PREVIEW_ROWS = 20
SHOWN_ISSUES = 500
REPORT_HEADER = ("row", "result", "organization_id", "name", "messages")
_LINKED_CODES = frozenset({"duplicate_registration", "similar_name"})


class _JsonSlice(Func):
    """`jsonb_path_query_array(column, '$[0 to n-1]')`: the first n items of a JSON array, in SQL."""

    function = "jsonb_path_query_array"
    output_field = JSONField()

    def __init__(self, column: str, count: int) -> None:
        super().__init__(column, Value(f"$[0 to {count - 1}]"))


def import_job_get(*, job_id: int, viewer: Any, preview: bool = False, full: bool = False) -> ImportJob:
    """The job for someone who may import (404 otherwise, as for a missing job). Without `full`, the large
    columns are not loaded; with `preview`, `preview_rows` and `shown_issues` hold their first items."""
    if not viewer.has_perm("organizations.import_organizations"):
        raise Http404
    jobs = ImportJob.objects.select_related("created_by", "started_by")
    if not full:
        jobs = jobs.defer("rows", "issues", "created_ids")
    if preview:
        jobs = jobs.annotate(
            preview_rows=_JsonSlice("rows", PREVIEW_ROWS), shown_issues=_JsonSlice("issues", SHOWN_ISSUES)
        )
    job = jobs.filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def preview_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The checked rows as shown in the preview table (labels in the active language; three queries)."""
    kinds = OrganizationKind.objects.in_bulk({row["kind_id"] for row in rows if row.get("kind_id")})
    territories = Territory.objects.in_bulk({row["territory_id"] for row in rows if row.get("territory_id")})
    themes = Theme.objects.in_bulk({theme_id for row in rows for theme_id in row.get("theme_ids", [])})
    shown = []
    for row in rows:
        kind = kinds.get(row.get("kind_id") or 0)
        territory = territories.get(row.get("territory_id") or 0)
        shown.append(
            {
                "row": row["row"],
                "ok": row.get("ok", False),
                "names": [row.get(f"name_{code}", "") for code in ("ar", "fr", "en")],
                "kind": kind.name if kind else "",
                "territory": territory.name if territory else "",
                "territory_code": territory.code if territory else "",
                "country": row.get("country", ""),
                "registration": row.get("registration_number", ""),
                "themes": ", ".join(themes[i].name for i in row.get("theme_ids", []) if i in themes),
            }
        )
    return shown


def shown_issues(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "row": issue["row"],
            "field": issue["field"],
            "is_error": issue["level"] == ERROR,
            "message": issue_message(issue),
            "organization_id": (issue.get("params") or {}).get("id") if issue["code"] in _LINKED_CODES else None,
        }
        for issue in issues
    ]


def report_rows(job: ImportJob) -> Iterator[list[Any]]:
    """One line per row of the file: result, created organisation id, messages (needs a `full` job)."""
    by_row: dict[int, list[dict[str, Any]]] = {}
    for issue in job.issues:
        by_row.setdefault(issue["row"], []).append(issue)
    failure = failure_message(job.failure)
    created_ids = job.created_ids if job.status == ImportJob.Status.DONE else []
    for index, row in enumerate(job.rows):
        issues = by_row.get(row["row"], [])
        messages = [
            f"{issue['field']}: {issue_message(issue)}" if issue["field"] else issue_message(issue) for issue in issues
        ]
        organization_id: int | str = ""
        if job.status == ImportJob.Status.DONE and index < len(created_ids):
            result, organization_id = _("created"), created_ids[index]
        elif job.status == ImportJob.Status.PREVIEW:
            if any(issue["level"] == ERROR for issue in issues):
                result = _("error")
            elif any(issue["level"] == WARNING for issue in issues):
                result = _("ready, with a warning")
            else:
                result = _("ready")
        else:
            result = _("not imported")
            if failure:
                messages.insert(0, failure)
        name = next((row.get(f"name_{code}") for code in ("fr", "ar", "en") if row.get(f"name_{code}")), "")
        yield [row["row"], result, organization_id, name, " | ".join(messages)]
