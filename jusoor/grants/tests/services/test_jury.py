from __future__ import annotations

from decimal import Decimal

import pytest

from jusoor.common.audit import AuditEvent
from jusoor.common.exceptions import ApplicationError, PermissionDeniedError
from jusoor.grants.models import DemoDay, JurorScore, Recusal
from jusoor.grants.selectors import demo_day_ranking, juror_sheet
from jusoor.grants.services.jury import (
    criterion_add,
    demo_day_close,
    demo_day_open,
    pitch_score,
    recusal_declare,
)

pytestmark = pytest.mark.django_db


def score(scene, juror, pitch, impact, feasibility):
    pitch_score(pitch=pitch, criterion=scene.impact, value=impact, acting_user=juror)
    pitch_score(pitch=pitch, criterion=scene.feasibility, value=feasibility, acting_user=juror)


def test_ranking_is_the_mean_over_jurors_of_their_weighted_means(scene):
    j1, j2, _j3 = scene.jurors
    p1, p2, p3 = scene.pitches
    # p1: j1 (2×5 + 1×2)/3 = 4.000 ; j2 (2×3 + 1×4)/3 = 3.333… → mean 3.667 (half-up of 3.6666…)
    score(scene, j1, p1, 5, 2)
    score(scene, j2, p1, 3, 4)
    # p2: j1 (2×4 + 1×3)/3 = 3.666… ; j2 (2×4 + 1×3)/3 = 3.666… → 3.667: tied with p1
    score(scene, j1, p2, 4, 3)
    score(scene, j2, p2, 4, 3)
    # p3: j1 (2×5 + 1×5)/3 = 5 ; j2 only one criterion so far: pending, not counted
    score(scene, j1, p3, 5, 5)
    pitch_score(pitch=p3, criterion=scene.impact, value=1, acting_user=j2)

    ranking = demo_day_ranking(scene.demo_day)

    assert [(row.pitch, row.mean, row.rank) for row in ranking] == [
        (p3, Decimal("5.000"), 1),
        (p1, Decimal("3.667"), 2),
        (p2, Decimal("3.667"), 2),
    ]
    assert ranking[0].jurors == 1 and ranking[0].pending == 1
    assert ranking[1].juror_means == [Decimal("4.000"), Decimal("3.333")]
    assert ranking[1].spread == Decimal("0.667")
    assert ranking[1].tied_with == [p2] and ranking[2].tied_with == [p1]
    assert ranking[0].tied_with == []
    # juror 3 belongs to p1's organisation: counted as recused there
    assert [row.recused for row in ranking] == [0, 1, 0]


def test_ranking_runs_a_fixed_number_of_queries(scene, django_assert_num_queries):
    for juror in scene.jurors[:2]:
        for pitch in scene.pitches:
            score(scene, juror, pitch, 4, 4)
    with django_assert_num_queries(6):
        ranking = demo_day_ranking(scene.demo_day)
    assert [row.mean for row in ranking] == [Decimal("4.000")] * 3


def test_score_outside_the_scale_is_refused_and_writes_nothing(scene):
    for value in (0, 6, "x", "", None):
        with pytest.raises(ApplicationError) as error:
            pitch_score(pitch=scene.pitches[0], criterion=scene.impact, value=value, acting_user=scene.jurors[0])
        assert error.value.code == "score_out_of_scale"
        assert str(error.value.message) == "Give a score from 1 to 5."
    assert JurorScore.objects.count() == 0
    assert AuditEvent.objects.filter(action="grants.pitch.scored").count() == 0


def test_a_juror_changes_their_score(scene):
    pitch_score(pitch=scene.pitches[1], criterion=scene.impact, value=2, acting_user=scene.jurors[0])
    pitch_score(pitch=scene.pitches[1], criterion=scene.impact, value=4, acting_user=scene.jurors[0])
    pitch_score(pitch=scene.pitches[1], criterion=scene.impact, value=4, acting_user=scene.jurors[0])
    assert list(JurorScore.objects.values_list("value", flat=True)) == [4]
    events = AuditEvent.objects.filter(action="grants.pitch.scored").order_by("id")
    assert [e.changes["value"] for e in events] == [{"old": None, "new": 2}, {"old": 2, "new": 4}]


def test_member_of_the_pitching_organisation_cannot_score_it(scene):
    with pytest.raises(ApplicationError) as error:
        pitch_score(pitch=scene.pitches[0], criterion=scene.impact, value=3, acting_user=scene.jurors[2])
    assert error.value.code == "juror_recused"
    assert JurorScore.objects.count() == 0
    # …but can score the others
    pitch_score(pitch=scene.pitches[1], criterion=scene.impact, value=3, acting_user=scene.jurors[2])
    assert JurorScore.objects.count() == 1


def test_declared_recusal_excludes_earlier_scores_and_blocks_new_ones(scene):
    j1, j2, _ = scene.jurors
    p2 = scene.pitches[1]
    score(scene, j1, p2, 5, 5)
    score(scene, j2, p2, 2, 2)
    recusal_declare(
        demo_day=scene.demo_day, juror=j1, organization=p2.organization, reason="Ma sœur préside", acting_user=j1
    )
    rows = {row.pitch: row for row in demo_day_ranking(scene.demo_day)}
    assert rows[p2].mean == Decimal("2.000") and rows[p2].recused == 1
    with pytest.raises(ApplicationError) as error:
        pitch_score(pitch=p2, criterion=scene.impact, value=1, acting_user=j1)
    assert error.value.code == "juror_recused"
    assert JurorScore.objects.get(pitch=p2, juror=j1, criterion=scene.impact).value == 5
    sheet = {row.pitch: row for row in juror_sheet(demo_day=scene.demo_day, juror=j1)}
    assert sheet[p2].recused and sheet[p2].reason == "Ma sœur préside"


def test_a_juror_cannot_declare_a_recusal_for_someone_else(scene):
    with pytest.raises(PermissionDeniedError):
        recusal_declare(
            demo_day=scene.demo_day,
            juror=scene.jurors[1],
            organization=scene.pitches[1].organization,
            reason="x",
            acting_user=scene.jurors[0],
        )
    assert Recusal.objects.count() == 0


def test_scoring_only_while_live(scene):
    demo_day_close(demo_day=scene.demo_day, acting_user=scene.manager)
    with pytest.raises(ApplicationError) as error:
        pitch_score(pitch=scene.pitches[1], criterion=scene.impact, value=3, acting_user=scene.jurors[0])
    assert error.value.code == "demo_day_not_live"
    assert JurorScore.objects.count() == 0
    assert DemoDay.objects.get().status == "held"
    # closing again is a quiet no-op; reopening is not a transition
    demo_day_close(demo_day=scene.demo_day, acting_user=scene.manager)
    with pytest.raises(ApplicationError) as error:
        demo_day_open(demo_day=scene.demo_day, acting_user=scene.manager)
    assert error.value.code == "invalid_transition"


def test_non_jurors_cannot_score(scene):
    for user in (scene.coach, scene.owner, scene.manager):
        with pytest.raises(PermissionDeniedError):
            pitch_score(pitch=scene.pitches[1], criterion=scene.impact, value=3, acting_user=user)
    assert JurorScore.objects.count() == 0


def test_criterion_validation(scene):
    scene.demo_day.status = "planned"
    scene.demo_day.save(update_fields=["status"])
    with pytest.raises(ApplicationError) as error:
        criterion_add(
            demo_day=scene.demo_day,
            label={"fr": "Équipe"},
            weight="1",
            scale_min=5,
            scale_max=5,
            acting_user=scene.manager,
        )
    assert error.value.extra["fields"] == {"scale_max": ["The highest score must be above the lowest one."]}
    with pytest.raises(ApplicationError):
        criterion_add(
            demo_day=scene.demo_day,
            label={"fr": "Équipe"},
            weight="-1",
            scale_min=1,
            scale_max=5,
            acting_user=scene.manager,
        )
    criterion = criterion_add(
        demo_day=scene.demo_day,
        label={"fr": "Équipe", "ar": "الفريق"},
        weight="1.5",
        scale_min=0,
        scale_max=10,
        acting_user=scene.manager,
    )
    assert (criterion.weight, criterion.scale_min, criterion.scale_max, criterion.position) == (
        Decimal("1.5"),
        0,
        10,
        3,
    )
