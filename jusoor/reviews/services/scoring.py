"""A reviewer scores the applications assigned to them: drafts first, then a submission once every non-optional
criterion is scored. Every value must lie within its criterion's scale. A submitted review is final.

`scores` maps criterion id → whole number (or None to clear a draft value); `comments` criterion id → text.
Any refusal writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.calls.models import Application
from jusoor.common.audit import audit_log
from jusoor.common.exceptions import ApplicationError
from jusoor.reviews.error_codes import ReviewErrorCode
from jusoor.reviews.models import Criterion, CriterionScore, ReviewAssignment
from jusoor.reviews.selectors.conflicts import conflict_reasons
from jusoor.reviews.selectors.reviews import REVIEWABLE_STATUSES
from jusoor.reviews.services.common import error


def _lock_assignment(application: Application, reviewer: Any) -> ReviewAssignment:
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("application__call", "application__organization__territory")
        .filter(application_id=application.pk, reviewer_id=getattr(reviewer, "pk", None))
        .first()
    )
    if assignment is None or conflict_reasons(application=assignment.application, reviewer=reviewer):
        raise error(_("This application is not assigned to you."), ReviewErrorCode.NOT_ASSIGNED)
    if assignment.is_submitted:
        raise error(_("You have already submitted this review."), ReviewErrorCode.ALREADY_SUBMITTED)
    if assignment.application.status not in REVIEWABLE_STATUSES:
        raise error(_("This application is no longer being reviewed."), ReviewErrorCode.REVIEW_CLOSED)
    return assignment


def _check(criteria: dict[int, Criterion], scores: dict[int, int | None]) -> None:
    fields: dict[str, list[str]] = {}
    for criterion_id, value in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise error(_("This criterion is not part of the call's rubric."), ReviewErrorCode.UNKNOWN_CRITERION)
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not criterion.scale_min <= value <= criterion.scale_max
        ):
            fields[f"score_{criterion_id}"] = [
                _("Give a whole number from %(min)s to %(max)s.")
                % {"min": criterion.scale_min, "max": criterion.scale_max}
            ]
    if fields:
        raise ApplicationError(
            _("Some scores are outside their scale."), code=ReviewErrorCode.SCORE_OUT_OF_SCALE, extra={"fields": fields}
        )


def _write(
    assignment: ReviewAssignment,
    criteria: dict[int, Criterion],
    scores: dict[int, int | None],
    comments: dict[int, str],
) -> dict[int, int]:
    """Store the scores (upsert) and drop the cleared ones; return the scores now stored."""
    existing = {s.criterion_id: s for s in CriterionScore.objects.filter(assignment=assignment)}
    cleared = [cid for cid, value in scores.items() if value is None and cid in existing]
    if cleared:
        CriterionScore.objects.filter(assignment=assignment, criterion_id__in=cleared).delete()
    rows = [
        CriterionScore(
            assignment=assignment,
            criterion_id=cid,
            value=value,
            comment=(comments.get(cid) or "").strip(),
        )
        for cid, value in scores.items()
        if value is not None
    ]
    if rows:
        CriterionScore.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["assignment", "criterion"],
            update_fields=["value", "comment"],
        )
    stored = {cid: s.value for cid, s in existing.items() if cid not in cleared}
    stored.update({row.criterion_id: row.value for row in rows})
    return {cid: stored[cid] for cid in criteria if cid in stored}


def _save(
    *,
    application: Application,
    reviewer: Any,
    scores: dict[int, int | None],
    comments: dict[int, str] | None,
    comment: str,
    submit: bool,
) -> ReviewAssignment:
    assignment = _lock_assignment(application, reviewer)
    criteria = {c.pk: c for c in Criterion.objects.filter(rubric__call_id=assignment.application.call_id)}
    _check(criteria, scores)
    comments = comments or {}
    if submit:
        given = {cid for cid, value in scores.items() if value is not None}
        given |= set(
            CriterionScore.objects.filter(assignment=assignment)
            .exclude(criterion_id__in=[cid for cid, v in scores.items() if v is None])
            .values_list("criterion_id", flat=True)
        )
        missing = [c for c in criteria.values() if not c.optional and c.pk not in given]
        if missing or not criteria:
            fields = {f"score_{c.pk}": [_("Score this criterion.")] for c in missing}
            raise ApplicationError(
                _("Score every criterion that counts in the total before submitting."),
                code=ReviewErrorCode.SCORES_MISSING,
                extra={"fields": fields},
            )
    stored = _write(assignment, criteria, scores, comments)
    old_comment = assignment.comment
    assignment.comment = (comment or "").strip()
    update_fields = ["comment", "updated_at"]
    changes: dict[str, Any] = {"scores": {"old": None, "new": stored}}
    if old_comment != assignment.comment:
        changes["comment"] = {"old": old_comment, "new": assignment.comment}
    if submit:
        assignment.status = ReviewAssignment.Status.SUBMITTED
        assignment.submitted_at = timezone.now()
        update_fields += ["status", "submitted_at"]
        changes["status"] = {"old": ReviewAssignment.Status.ASSIGNED, "new": ReviewAssignment.Status.SUBMITTED}
    assignment.save(update_fields=update_fields)
    audit_log(
        actor=reviewer,
        action="reviews.review.submitted" if submit else "reviews.review.saved",
        target=assignment,
        changes=changes,
    )
    return assignment


@transaction.atomic
def review_save(
    *,
    application: Application,
    reviewer: Any,
    scores: dict[int, int | None],
    comments: dict[int, str] | None = None,
    comment: str = "",
) -> ReviewAssignment:
    """Save a draft: any subset of the criteria, each within its scale."""
    return _save(
        application=application, reviewer=reviewer, scores=scores, comments=comments, comment=comment, submit=False
    )


@transaction.atomic
def review_submit(
    *,
    application: Application,
    reviewer: Any,
    scores: dict[int, int | None],
    comments: dict[int, str] | None = None,
    comment: str = "",
) -> ReviewAssignment:
    """Save and submit: every non-optional criterion must then have a score. The review is final."""
    return _save(
        application=application, reviewer=reviewer, scores=scores, comments=comments, comment=comment, submit=True
    )
