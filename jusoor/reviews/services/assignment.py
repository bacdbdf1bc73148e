"""Who reviews what. `assign_reviewers` fills every eligible or under-review application of a call up to
`call.reviewers_per_application` reviewers from the programme's reviewers:

* never a conflicted reviewer (`selectors/conflicts.py`), never twice the same reviewer;
* at most `capacity` applications of the call per reviewer (no capacity: no limit);
* the least-loaded reviewer first, ties broken by user id, applications taken in submission order — so the same
  data always gives the same assignment.

It reads everything in a fixed number of queries, decides in memory and writes with `bulk_create`; running it again
adds nothing. Managers can also add or remove one reviewer by hand (`assignment_add`, `assignment_remove`).
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jusoor.calls.models import Application, Call
from jusoor.common.audit import audit_log
from jusoor.programmes.models import ProgrammeMember, ProgrammeRole
from jusoor.reviews.error_codes import ReviewErrorCode
from jusoor.reviews.models import ReviewAssignment
from jusoor.reviews.selectors.conflicts import conflict_pairs
from jusoor.reviews.selectors.reviews import REVIEWABLE_STATUSES
from jusoor.reviews.services.common import error

BATCH_SIZE = 2000


@dataclass
class AssignmentOutcome:
    created: int = 0
    # Applications left with fewer reviewers than asked: application id → how many are missing.
    short: dict[int, int] = field(default_factory=dict)


def _reviewers(call: Call) -> list[tuple[int, int | None]]:
    return list(
        ProgrammeMember.objects.filter(
            programme_id=call.programme_id, role=ProgrammeRole.REVIEWER, user__is_active=True
        )
        .order_by("user_id")
        .values_list("user_id", "capacity")
    )


@transaction.atomic
def assign_reviewers(*, call: Call, acting_user: Any) -> AssignmentOutcome:
    call = Call.objects.select_for_update().get(pk=call.pk)  # one run at a time per call
    wanted = call.reviewers_per_application
    applications = list(
        Application.objects.filter(call=call, status__in=REVIEWABLE_STATUSES)
        .order_by("submitted_at", "id")
        .values_list("id", "organization_id", "organization__territory_id", "organization__territory__kind")
    )
    reviewers = _reviewers(call)
    capacity = dict(reviewers)
    assigned: dict[int, set[int]] = defaultdict(set)
    load: Counter[int] = Counter()
    for application_id, reviewer_id in ReviewAssignment.objects.filter(application__call=call).values_list(
        "application_id", "reviewer_id"
    ):
        assigned[application_id].add(reviewer_id)
        load[reviewer_id] += 1
    conflicts = conflict_pairs(call=call, reviewer_ids=capacity, applications=applications)

    # A heap of (load, reviewer id) for reviewers with room left; popped in order until `need` are found.
    heap = [(load[rid], rid) for rid, cap in reviewers if cap is None or load[rid] < cap]
    heapq.heapify(heap)
    now = timezone.now()
    outcome = AssignmentOutcome()
    new: list[ReviewAssignment] = []
    for application_id, *_rest in applications:
        need = wanted - len(assigned[application_id])
        if need <= 0:
            continue
        chosen: list[int] = []
        skipped: list[tuple[int, int]] = []
        while heap and len(chosen) < need:
            entry = heapq.heappop(heap)
            rid = entry[1]
            if rid in assigned[application_id] or (application_id, rid) in conflicts:
                skipped.append(entry)
            else:
                chosen.append(rid)
        for rid in chosen:
            load[rid] += 1
            assigned[application_id].add(rid)
            new.append(
                ReviewAssignment(
                    application_id=application_id, reviewer_id=rid, assigned_at=now, assigned_by=acting_user
                )
            )
            if capacity[rid] is None or load[rid] < capacity[rid]:  # type: ignore[operator]
                skipped.append((load[rid], rid))
        for entry in skipped:
            heapq.heappush(heap, entry)
        if len(chosen) < need:
            outcome.short[application_id] = need - len(chosen)
    ReviewAssignment.objects.bulk_create(new, batch_size=BATCH_SIZE)
    outcome.created = len(new)
    if new:
        audit_log(
            actor=acting_user,
            action="reviews.reviewers.assigned",
            target=call,
            changes={"assignments": {"old": None, "new": len(new)}, "short": {"old": None, "new": outcome.short}},
        )
    return outcome


@transaction.atomic
def assignment_add(*, application: Application, reviewer: Any, acting_user: Any) -> ReviewAssignment:
    """A manager assigns one reviewer by hand: a reviewer of the programme, not in conflict, with room left."""
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    call = application.call
    member = ProgrammeMember.objects.filter(
        programme_id=call.programme_id, role=ProgrammeRole.REVIEWER, user=reviewer
    ).first()
    if member is None:
        raise error(_("This person is not a reviewer of the programme."), ReviewErrorCode.NOT_A_REVIEWER, "reviewer")
    if application.status not in REVIEWABLE_STATUSES:
        raise error(_("This application is no longer being reviewed."), ReviewErrorCode.REVIEW_CLOSED)
    if ReviewAssignment.objects.filter(application=application, reviewer=reviewer).exists():
        raise error(_("This reviewer already reviews this application."), ReviewErrorCode.ALREADY_ASSIGNED, "reviewer")
    if conflict_pairs(call=call, reviewer_ids=[reviewer.pk], applications=[application]):
        raise error(
            _("This reviewer is in conflict of interest with the applicant."), ReviewErrorCode.CONFLICT, "reviewer"
        )
    load = ReviewAssignment.objects.filter(application__call=call, reviewer=reviewer).count()
    if member.capacity is not None and load >= member.capacity:
        raise error(
            _("This reviewer has no capacity left in this call."),
            ReviewErrorCode.CAPACITY_REACHED,
            "reviewer",
        )
    assignment = ReviewAssignment.objects.create(application=application, reviewer=reviewer, assigned_by=acting_user)
    audit_log(
        actor=acting_user,
        action="reviews.assignment.added",
        target=assignment,
        changes={"reviewer": {"old": None, "new": reviewer.pk}, "application": {"old": None, "new": application.pk}},
    )
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: ReviewAssignment, acting_user: Any) -> None:
    """A manager takes a review back, as long as it was not submitted."""
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.is_submitted:
        raise error(_("A submitted review cannot be taken back."), ReviewErrorCode.ALREADY_SUBMITTED)
    audit_log(
        actor=acting_user,
        action="reviews.assignment.removed",
        target=assignment,
        changes={
            "reviewer": {"old": assignment.reviewer_id, "new": None},
            "application": {"old": assignment.application_id, "new": None},
        },
    )
    assignment.delete()
