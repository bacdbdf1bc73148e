from collections import Counter

import pytest

from jusoor.accounts.demo import demo_users_load
from jusoor.calls.demo import APPLICANTS, QUESTIONS, demo_calls_load
from jusoor.calls.models import Answer, Application, Call, Question
from jusoor.organizations.demo import demo_organizations_load
from jusoor.organizations.services.reference import reference_load
from jusoor.programmes.models import Programme, ProgrammeMember


@pytest.fixture
def demo(territories):
    reference_load()
    demo_users_load(password="demo-pass-123")  # noqa: S106
    demo_organizations_load()
    return demo_calls_load()


def test_loads_an_open_call_with_applications_in_every_stage(demo):
    programme, call, applications = demo
    assert call.is_open
    assert (programme.currency, programme.operator.acronym) == ("MAD", "MCISE")
    assert sorted(ProgrammeMember.objects.filter(programme=programme).values_list("role", flat=True)) == [
        "coach",
        "manager",
        "reviewer",
    ]
    assert Question.objects.filter(call=call).count() == len(QUESTIONS) == 8
    assert all(set(q.label) == {"ar", "fr", "en"} for q in Question.objects.filter(call=call))
    assert len(applications) == len(APPLICANTS) == 20
    statuses = Counter(a.status for a in applications)
    assert statuses == {
        "selected": 1,
        "shortlisted": 1,
        "waitlisted": 1,
        "under_review": 2,
        "rejected": 1,
        "ineligible": 9,
        "withdrawn": 1,
        "draft": 4,
    }
    for application in applications:
        if application.status != "draft":
            assert application.submitted_at is not None
            assert application.eligibility


def test_second_load_changes_nothing(demo):
    before = (
        list(Application.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        Answer.objects.count(),
        Call.objects.count(),
        Programme.objects.count(),
    )
    demo_calls_load()
    after = (
        list(Application.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        Answer.objects.count(),
        Call.objects.count(),
        Programme.objects.count(),
    )
    assert after == before
