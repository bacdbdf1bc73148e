"""What reviewers and managers read: the rubric, a reviewer's queue, one review with the application as the reviewer
may see it (identity hidden in blind review) and the others' scores (only after submitting one's own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from jusoor.calls.models import Answer, Application, Call
from jusoor.common.i18nfield import localized
from jusoor.organizations.models import Organization
from jusoor.programmes.models import Programme, ProgrammeMember, ProgrammeRole
from jusoor.reviews.models import ConflictDeclaration, Criterion, CriterionScore, ReviewAssignment, Rubric
from jusoor.reviews.selectors.conflicts import conflict_reasons
from jusoor.territories.models import Kind, Territory

REGION_KINDS = frozenset({Kind.REGION, Kind.GOVERNORATE})
# Applications a reviewer may still score.
REVIEWABLE_STATUSES = frozenset({Application.Status.ELIGIBLE, Application.Status.UNDER_REVIEW})


def criteria_of(call: Call) -> list[Criterion]:
    """The call's criteria in order ([] when it has no rubric yet)."""
    return list(Criterion.objects.filter(rubric__call=call).order_by("position", "id"))


def rubric_get_or_none(call: Call) -> Rubric | None:
    return Rubric.objects.filter(call=call).first()


def call_reviewers(call: Call) -> list[ProgrammeMember]:
    """The programme's reviewers with the number of applications of this call assigned to each."""
    return list(
        ProgrammeMember.objects.filter(programme_id=call.programme_id, role=ProgrammeRole.REVIEWER)
        .select_related("user")
        .annotate(
            load=Count("user__review_assignments", filter=Q(user__review_assignments__application__call=call)),
            submitted=Count(
                "user__review_assignments",
                filter=Q(
                    user__review_assignments__application__call=call,
                    user__review_assignments__status=ReviewAssignment.Status.SUBMITTED,
                ),
            ),
        )
        .order_by("user__full_name", "user_id")
    )


def reviewer_queue(*, viewer: Any) -> QuerySet[ReviewAssignment]:
    """The viewer's reviews, newest calls first, with what the queue shows (the template hides blind names)."""
    return (
        ReviewAssignment.objects.filter(reviewer=viewer)
        .select_related("application__call", "application__organization")
        .order_by("status", "-application__call__closes_at", "application_id")
    )


def assignment_for_reviewer(*, application_id: int, viewer: Any) -> ReviewAssignment:
    """The viewer's review of an application: 404 when the application does not exist, is not assigned to them or
    they are in conflict with it, the same answer in each case."""
    assignment = (
        ReviewAssignment.objects.filter(application_id=application_id, reviewer_id=getattr(viewer, "pk", None))
        .select_related("application__call__programme", "application__organization__territory__parent__parent")
        .first()
    )
    if assignment is None or conflict_reasons(application=assignment.application, reviewer=viewer):
        raise Http404
    return assignment


def region_of(territory: Territory | None) -> Territory | None:
    """The region (Morocco) or governorate (Tunisia) containing a territory; None when it has none."""
    while territory is not None and territory.kind not in REGION_KINDS:
        territory = territory.parent
    return territory


@dataclass
class ApplicantView:
    """The application as a reviewer sees it. In blind review `name`, `registration_number`, `logo` and
    `territory` are empty and `region` stands for the place; identifying answers are left out."""

    blind: bool
    reference: str
    name: str = ""
    registration_number: str = ""
    logo: Any = None
    territory: Territory | None = None
    region: Territory | None = None
    requested_amount: Any = None
    currency: str = ""
    answers: list[tuple[str, str, Any]] = field(default_factory=list)  # (question, kind, value)


def _answer_value(answer: Answer) -> tuple[str, Any]:
    """(how to show it, value): "file" (its name), "budget" (rows of label and amount), "list", "text", "empty"."""
    if answer.file:
        return "file", (answer.file.name or "").rsplit("/", 1)[-1]
    value = answer.value
    if value in (None, "", []):
        return "empty", None
    if isinstance(value, list) and all(isinstance(row, dict) for row in value):
        return "budget", value
    labels = {choice.get("value"): localized(choice.get("label")) for choice in answer.question.choices or []}
    if isinstance(value, list):
        return "list", ", ".join(labels.get(item) or str(item) for item in value)
    return "text", labels.get(value) or str(value)


def applicant_view(application: Application) -> ApplicantView:
    call = application.call
    organization = application.organization
    blind = call.blind_review
    answers = [
        (answer.question.text, *_answer_value(answer))
        for answer in Answer.objects.filter(application=application)
        .select_related("question")
        .order_by("question__position", "question_id")
        # Questions the manager marks as identifying (a flag the calls app may add) are hidden in blind review.
        if not (blind and answer.question.identifying)
    ]
    view = ApplicantView(
        blind=blind,
        reference=f"#{application.pk}",
        region=region_of(organization.territory),
        requested_amount=application.requested_amount,
        currency=call.programme.currency,
        answers=answers,
    )
    if not blind:
        view.name = organization.name
        view.registration_number = organization.registration_number
        view.logo = organization.logo or None
        view.territory = organization.territory
    return view


@dataclass
class OtherReview:
    reviewer_name: str
    submitted_at: Any
    comment: str
    scores: dict[int, int]


def other_reviews(assignment: ReviewAssignment) -> list[OtherReview]:
    """The other reviewers' submitted reviews of the same application — [] until this one is submitted."""
    if not assignment.is_submitted:
        return []
    others = list(
        ReviewAssignment.objects.filter(
            application_id=assignment.application_id, status=ReviewAssignment.Status.SUBMITTED
        )
        .exclude(pk=assignment.pk)
        .select_related("reviewer")
        .order_by("submitted_at", "id")
    )
    scores: dict[int, dict[int, int]] = {other.pk: {} for other in others}
    for assignment_id, criterion_id, value in CriterionScore.objects.filter(assignment__in=others).values_list(
        "assignment_id", "criterion_id", "value"
    ):
        scores[assignment_id][criterion_id] = value
    return [
        OtherReview(
            reviewer_name=other.reviewer.full_name or other.reviewer.email,
            submitted_at=other.submitted_at,
            comment=other.comment,
            scores=scores[other.pk],
        )
        for other in others
    ]


def own_scores(assignment: ReviewAssignment) -> dict[int, CriterionScore]:
    return {score.criterion_id: score for score in CriterionScore.objects.filter(assignment=assignment)}


def call_get(*, call_id: int) -> Call:
    """A call for the managers' pages (404 when missing; the permission is checked on it by the view)."""
    call = Call.objects.select_related("programme").filter(pk=call_id).first()
    if call is None:
        raise Http404
    return call


def application_get(*, application_id: int) -> Application:
    application = (
        Application.objects.select_related("call__programme", "organization").filter(pk=application_id).first()
    )
    if application is None:
        raise Http404
    return application


def criterion_get(*, call: Call, criterion_id: int) -> Criterion:
    criterion = Criterion.objects.filter(pk=criterion_id, rubric__call=call).first()
    if criterion is None:
        raise Http404
    return criterion


def programme_get(*, programme_id: int) -> Programme:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme


def conflict_candidates(*, programme: Programme) -> QuerySet[Organization]:
    """Organisations that applied to a call of the programme (what a reviewer may declare a conflict with)."""
    return (
        Organization.objects.filter(applications__call__programme=programme)
        .exclude(applications__status=Application.Status.DRAFT)
        .distinct()
        .order_by("name_fr", "name_ar", "id")
    )


def declarations_of(*, reviewer: Any) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(reviewer=reviewer).select_related("organization").order_by("-created_at")


def declaration_get(*, declaration_id: int, reviewer: Any) -> ConflictDeclaration:
    declaration = ConflictDeclaration.objects.filter(pk=declaration_id, reviewer=reviewer).first()
    if declaration is None:
        raise Http404
    return declaration


def short_applications(*, call: Call, limit: int = 50) -> list[Application]:
    """Applications under review with fewer reviewers than the call asks for (the first `limit`)."""
    return list(
        Application.objects.filter(call=call, status__in=REVIEWABLE_STATUSES)
        .annotate(reviewers=Count("review_assignments"))
        .filter(reviewers__lt=call.reviewers_per_application)
        .select_related("organization")
        .order_by("submitted_at", "id")[:limit]
    )


def application_assignments(*, call: Call, application_id: int) -> tuple[Application | None, list[ReviewAssignment]]:
    application = Application.objects.filter(call=call, pk=application_id).select_related("organization").first()
    if application is None:
        return None, []
    return application, list(
        ReviewAssignment.objects.filter(application=application).select_related("reviewer").order_by("assigned_at")
    )


def assignment_of_call(*, call: Call, assignment_id: int) -> ReviewAssignment:
    assignment = ReviewAssignment.objects.filter(pk=assignment_id, application__call=call).first()
    if assignment is None:
        raise Http404
    return assignment


def call_application(*, call: Call, application_id: int) -> Application:
    application = (
        Application.objects.filter(call=call, pk=application_id).select_related("organization__territory").first()
    )
    if application is None:
        raise Http404
    return application


def reviewer_of_call(*, call: Call, user_id: int) -> Any:
    member = (
        ProgrammeMember.objects.filter(programme_id=call.programme_id, role=ProgrammeRole.REVIEWER, user_id=user_id)
        .select_related("user")
        .first()
    )
    return member.user if member else None
