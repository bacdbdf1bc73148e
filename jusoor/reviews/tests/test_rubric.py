"""The rubric: validation of criteria, and the lock once scoring has started."""

from decimal import Decimal

import pytest

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.reviews.models import Criterion
from jusoor.reviews.services.rubric import criterion_add, criterion_delete, criterion_update
from jusoor.reviews.tests.factories import make_call, submitted_review

pytestmark = pytest.mark.django_db

VALID = {"label": {"fr": "Pertinence", "ar": "الملاءمة"}, "weight": "2.5", "scale_min": 1, "scale_max": 5}


def test_add_and_update_a_criterion(db):
    call = make_call()
    criterion = criterion_add(call=call, acting_user=None, values={**VALID, "guidance": {"fr": "Besoins réels"}})
    assert criterion.label == {"fr": "Pertinence", "ar": "الملاءمة"}
    assert criterion.weight == Decimal("2.500")
    assert criterion.guidance == {"fr": "Besoins réels"}
    criterion_update(criterion=criterion, acting_user=None, values={**VALID, "weight": "3", "optional": True})
    criterion.refresh_from_db()
    assert (criterion.weight, criterion.optional) == (Decimal("3.000"), True)
    assert AuditEvent.objects.filter(action__startswith="reviews.criterion.").count() == 2


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"label": {"fr": " "}}, "label_required", "label"),
        ({"weight": "0"}, "weight_invalid", "weight"),
        ({"weight": "-1"}, "weight_invalid", "weight"),
        ({"weight": "1.0005"}, "weight_invalid", "weight"),
        ({"weight": "abc"}, "weight_invalid", "weight"),
        ({"scale_min": 5, "scale_max": 5}, "scale_invalid", "scale_max"),
        ({"scale_min": 5, "scale_max": 1}, "scale_invalid", "scale_max"),
        ({"scale_min": -1, "scale_max": 5}, "scale_invalid", "scale_max"),
    ],
)
def test_bad_criteria_are_refused(db, values, code, field):
    call = make_call()
    with pytest.raises(ApplicationError) as error:
        criterion_add(call=call, acting_user=None, values={**VALID, **values})
    assert error.value.code == code
    assert list(error.value.extra["fields"]) == [field]
    assert Criterion.objects.count() == 0


def test_the_rubric_is_locked_once_scoring_has_started(scene):
    relevance, feasibility, _i = scene.criteria
    submitted_review(scene.application, scene.reviewer_a, {relevance: 3, feasibility: 3})
    for attempt in (
        lambda: criterion_add(call=scene.call, acting_user=None, values=VALID),
        lambda: criterion_update(criterion=relevance, acting_user=None, values=VALID),
        lambda: criterion_delete(criterion=feasibility, acting_user=None),
    ):
        with pytest.raises(ApplicationError) as error:
            attempt()
        assert error.value.code == "rubric_locked"
    assert Criterion.objects.filter(rubric__call=scene.call).count() == 3
    relevance.refresh_from_db()
    assert relevance.weight == Decimal("2")
