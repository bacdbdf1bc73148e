from __future__ import annotations

from decimal import Decimal

import pytest

from jusoor.finance.models import EntryGroup
from jusoor.finance.selectors import ledger_problems
from jusoor.grants.demo import demo_grants_load
from jusoor.grants.models import DemoDay, Grant, GrantTranche, JurorScore
from jusoor.grants.selectors import demo_day_ranking, programme_envelope

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_consistent(tmp_path, settings):
    settings.BASE_DIR = tmp_path  # the demo password file
    grants = demo_grants_load()
    again = demo_grants_load()
    assert [g.pk for g in grants] == [g.pk for g in again]
    assert [g.amount for g in grants] == [Decimal("100000"), Decimal("60000"), Decimal("40000")]
    demo_day = DemoDay.objects.get()
    assert demo_day.status == "held"
    assert JurorScore.objects.count() == 2 * 5 * 3  # two jurors (no demo reviewer here), five pitches, three criteria
    ranking = demo_day_ranking(demo_day)
    # juror1 on pitch 1: (3×5 + 2×4 + 1×5)/6 = 4.6667; juror2: (3×5 + 2×5 + 1×4)/6 = 4.8333 → 4.750
    assert ranking[0].mean == Decimal("4.750")
    assert GrantTranche.objects.filter(status="released").count() == 1
    assert EntryGroup.objects.filter(kind="grant.awarded").count() == 3
    assert programme_envelope(grants[0].programme).remaining == Decimal("800000")
    assert Grant.objects.get(pk=grants[0].pk).status == "active"
    assert ledger_problems() == []
