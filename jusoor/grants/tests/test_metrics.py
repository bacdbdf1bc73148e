from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jusoor.grants.models import GrantReport
from jusoor.grants.services.awards import grant_award, grant_cancel
from jusoor.grants.services.reports import grant_report_approve, grant_report_submit
from jusoor.grants.tests.helpers import pdf, sign
from jusoor.programmes.metrics import get_metric
from jusoor.territories.models import Territory

pytestmark = pytest.mark.django_db


def place(code, kind, parent=None):
    return Territory.objects.create(
        code=code,
        code_system="ma-hcp",
        country="MA",
        kind=kind,
        parent=parent,
        name_ar=code,
        name_fr=code,
        name_en=code,
    )


def test_grant_metrics_by_region_and_sex(scene):
    region = place("MA-06", "region")
    commune = place("MA-06-141.01.01", "commune", place("MA-06-141", "province", region))
    scene.org.territory = commune
    scene.org.save(update_fields=["territory"])
    other = scene.pitches[1].organization  # no territory: only in the totals
    g1 = grant_award(programme=scene.programme, organization=scene.org, amount="60000", acting_user=scene.manager)
    g2 = grant_award(programme=scene.programme, organization=other, amount="25000", acting_user=scene.manager)
    g3 = grant_award(
        programme=scene.programme, organization=scene.pitches[2].organization, amount="40000", acting_user=scene.manager
    )
    grant_cancel(grant=g3, reason="Retrait", acting_user=scene.manager)
    sign(g1, scene.manager)
    sign(g2, scene.manager)
    approved = grant_report_submit(
        grant=g1,
        narrative="R",
        spent_amount="1000",
        financial_statement=pdf(),
        acting_user=scene.admin,
        beneficiaries_direct=120,
        beneficiaries_indirect=400,
        breakdown={"direct": {"women": 70, "men": 50}},
    )
    grant_report_approve(report=approved, acting_user=scene.manager)
    grant_report_submit(  # not approved: not counted
        grant=g2,
        narrative="R",
        spent_amount="1000",
        financial_statement=pdf(),
        acting_user=scene.other_admin,
        beneficiaries_direct=999,
    )
    today = timezone.localdate()

    funds = get_metric("seed_funds_awarded").compute(scene.programme, today)
    assert (funds.total, funds.by_region) == (Decimal("85000.00"), {region.pk: Decimal("60000.00")})
    count = get_metric("grants_awarded").compute(scene.programme, today)
    assert (count.total, count.by_region) == (Decimal("2"), {region.pk: Decimal("1")})
    direct = get_metric("beneficiaries_direct").compute(scene.programme, today)
    assert (direct.total, direct.by_region, direct.breakdowns) == (
        Decimal("120"),
        {region.pk: Decimal("120")},
        {"sex": {"women": Decimal("70"), "men": Decimal("50")}},
    )
    indirect = get_metric("beneficiaries_indirect").compute(scene.programme, today)
    assert (indirect.total, indirect.breakdowns) == (Decimal("400"), {})
    # up to yesterday nothing had happened yet
    assert get_metric("seed_funds_awarded").compute(scene.programme, today - timedelta(days=1)).total == 0
    assert GrantReport.objects.count() == 2
