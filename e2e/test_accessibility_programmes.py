"""axe-core on the pages of support programmes (issue 5), in Arabic (RTL) and French: no serious or critical
violation. Public pages (programmes, calls) are audited anonymously; the applicant's form, the reviewer's scoring
page, the ranking and the results dashboard as the person who uses them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from e2e.test_accessibility import open_and_audit
from e2e.test_programme_journey import scene
from e2e.test_registry_journey import log_in
from jusoor.accounts.tests.factories import PASSWORD
from jusoor.calls.models import Answer, Application
from jusoor.organizations.models import MembershipRole
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory
from jusoor.reviews.models import Criterion, CriterionScore, ReviewAssignment, Rubric

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
LANGS = ["ar", "fr"]
PUBLIC_PAGES = {
    "programmes": "/programmes/",
    "programme": "/programmes/{programme}/",
    "calls": "/calls/",
    "call": "/calls/{call}/",
}
TEAM_PAGES = {  # page, who opens it
    "applicant-form": ("/calls/applications/{draft}/form/", "applicant"),
    "reviewer-scoring": ("/reviews/applications/{reviewed}/", "reviewer_a"),
    "ranking": ("/reviews/calls/{call}/ranking/", "manager"),
    "dashboard": ("/programmes/{programme}/dashboard/", "manager"),
}


def answers(application: Application, questions: list[Any]) -> None:
    short, long_text, number, single, budget = questions
    for question, value in (
        (short, "تكوين الشباب في المقاولة الاجتماعية"),
        (long_text, "ورشات أسبوعية لمئة شاب وشابة"),
        (number, "120"),
        (single, "youth"),
        (budget, [{"label": "التكوين", "amount": "30000"}, {"label": "المعدات", "amount": "15000.50"}]),
    ):
        Answer.objects.create(application=application, question=question, value=value)


@pytest.fixture
def programme_pages() -> dict[str, Any]:
    """The journey's scene with the call published: the association's draft with its answers, and another
    association's application under review with two reviews assigned (one submitted) on a two-criterion rubric."""
    data = scene()
    call, questions, users = data["call"], data["questions"], data["users"]
    call.published = True
    call.save(update_fields=["published"])
    draft = Application.objects.create(call=call, organization=data["organization"], language="ar")
    answers(draft, questions)
    other = OrganizationFactory(
        name_ar="جمعية نور الدار البيضاء",
        name_fr="Association Nour Casablanca",
        country="MA",
        territory=data["organization"].territory,
    )
    MembershipFactory(organization=other, role=MembershipRole.OWNER)
    reviewed = Application.objects.create(
        call=call,
        organization=other,
        status=Application.Status.UNDER_REVIEW,
        submitted_at=timezone.now() - timedelta(hours=2),
        requested_amount=Decimal("45000.50"),
        language="ar",
    )
    answers(reviewed, questions)
    rubric = Rubric.objects.create(call=call)
    relevance, feasibility = (
        Criterion.objects.create(
            rubric=rubric,
            label=label,
            guidance=guidance,
            weight=Decimal(weight),
            position=position,
        )
        for position, (label, guidance, weight) in enumerate(
            [
                (
                    {"ar": "الملاءمة", "fr": "Pertinence"},
                    {"ar": "هل يستجيب المشروع لحاجات الجهة؟", "fr": "Le projet répond-il aux besoins de la région ?"},
                    "2",
                ),
                ({"ar": "قابلية التنفيذ", "fr": "Faisabilité"}, {}, "1"),
            ]
        )
    )
    ReviewAssignment.objects.create(application=reviewed, reviewer=users["reviewer_a"])
    submitted = ReviewAssignment.objects.create(
        application=reviewed, reviewer=users["reviewer_b"], status="submitted", submitted_at=timezone.now()
    )
    CriterionScore.objects.create(assignment=submitted, criterion=relevance, value=5)
    CriterionScore.objects.create(assignment=submitted, criterion=feasibility, value=4)
    return {
        "ids": {"programme": data["programme"].pk, "call": call.pk, "draft": draft.pk, "reviewed": reviewed.pk},
        "users": users,
    }


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_programme_public_page_has_no_serious_axe_violation(
    audit_page, live_server, screenshot, programme_pages, path, lang
):
    violations = open_and_audit(audit_page, live_server, lang, path.format(**programme_pages["ids"]))
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("path", "who"), TEAM_PAGES.values(), ids=TEAM_PAGES.keys())
def test_programme_work_page_has_no_serious_axe_violation(
    audit_page, live_server, screenshot, programme_pages, path, who, lang
):
    log_in(audit_page, lang, programme_pages["users"][who].email, PASSWORD)
    violations = open_and_audit(audit_page, live_server, lang, path.format(**programme_pages["ids"]))
    screenshot(audit_page, lang)
    assert violations == [], "\n" + "\n".join(violations)
