"""Builders for review scenarios: a programme, a closed call, applications under review, a rubric. Applications are
created through the ORM in the state a test needs (their transitions are the calls app's business)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jusoor.accounts.tests.factories import UserFactory
from jusoor.calls.models import Application, Call
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.programmes.models import Programme, ProgrammeMember, ProgrammeRole
from jusoor.reviews.models import Criterion, Rubric


def make_programme(**values: Any) -> Programme:
    defaults: dict[str, Any] = {
        "operator": OrganizationFactory(country="MA"),
        "title_fr": "TAMURI",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2027, 12, 31),
        "currency": "MAD",
        "budget_envelope": Decimal("300000"),
        "grant_minimum": Decimal("20000"),
        "grant_maximum": Decimal("100000"),
        "status": Programme.Status.ACTIVE,
    }
    defaults.update(values)
    return Programme.objects.create(**defaults)


def make_call(programme: Programme | None = None, **values: Any) -> Call:
    now = timezone.now()
    defaults: dict[str, Any] = {
        "programme": programme or make_programme(),
        "title_fr": "Appel à candidatures 2026",
        "title_ar": "دعوة لتقديم الطلبات 2026",
        "opens_at": now - timedelta(days=40),
        "closes_at": now - timedelta(days=10),
        "published": True,
        "reviewers_per_application": 2,
        "disagreement_threshold": Decimal("1.5"),
    }
    defaults.update(values)
    return Call.objects.create(**defaults)


def make_application(call: Call, *, organization: Any = None, **values: Any) -> Application:
    defaults: dict[str, Any] = {
        "call": call,
        "organization": organization or OrganizationFactory(country="MA"),
        "status": Application.Status.UNDER_REVIEW,
        "submitted_at": timezone.now() - timedelta(days=12),
        "requested_amount": Decimal("50000"),
    }
    defaults.update(values)
    return Application.objects.create(**defaults)


def add_member(programme: Programme, role: str, user: Any = None, capacity: int | None = None) -> Any:
    user = user or UserFactory()
    ProgrammeMember.objects.create(programme=programme, user=user, role=role, capacity=capacity)
    return user


def add_reviewer(programme: Programme, user: Any = None, capacity: int | None = None) -> Any:
    return add_member(programme, ProgrammeRole.REVIEWER, user, capacity)


def make_rubric(call: Call, specs: list[tuple[str, str, bool]] | None = None) -> list[Criterion]:
    """Criteria from (label, weight, optional), scale 1–5. Default: Relevance ×2, Feasibility ×1, Innovation
    optional ×1."""
    rubric = Rubric.objects.create(call=call)
    specs = specs or [("Relevance", "2", False), ("Feasibility", "1", False), ("Innovation", "1", True)]
    return [
        Criterion.objects.create(
            rubric=rubric,
            label={"fr": label, "en": label, "ar": label},
            weight=Decimal(weight),
            optional=optional,
            position=position,
        )
        for position, (label, weight, optional) in enumerate(specs)
    ]


def submitted_review(application: Application, reviewer: Any, scores: dict[Criterion, int], **values: Any) -> Any:
    """A submitted review written straight to the database (the scoring service has its own tests)."""
    from jusoor.reviews.models import CriterionScore, ReviewAssignment

    assignment = ReviewAssignment.objects.create(
        application=application,
        reviewer=reviewer,
        status=ReviewAssignment.Status.SUBMITTED,
        submitted_at=values.pop("submitted_at", timezone.now()),
        **values,
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(assignment=assignment, criterion=criterion, value=value) for criterion, value in scores.items()
    )
    return assignment
