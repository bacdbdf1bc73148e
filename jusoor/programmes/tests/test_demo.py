import datetime
from decimal import Decimal

import pytest

from jusoor.accounts.demo import demo_users_load
from jusoor.organizations.demo import demo_organizations_load
from jusoor.organizations.services.reference import reference_load
from jusoor.programmes.demo import INDICATORS, demo_programmes_load
from jusoor.programmes.models import Indicator, IndicatorReport, IndicatorTarget, Programme, ProgrammeMember
from jusoor.programmes.selectors.dashboard import programme_dashboard


@pytest.fixture
def demo(territories):
    reference_load()
    demo_users_load(password="demo-pass-123")  # noqa: S106
    demo_organizations_load()
    return demo_programmes_load()


def test_tamuri_with_its_results_framework(demo):
    assert (demo.title_fr, demo.status, demo.operator.acronym) == ("TAMURI", "active", "MCISE")
    assert sorted(demo.territories.values_list("code", flat=True)) == ["MA-01", "MA-02", "MA-05", "MA-06", "MA-09"]
    assert (demo.grant_minimum, demo.grant_maximum) == (Decimal("20000.000"), Decimal("100000.000"))
    assert Indicator.objects.filter(programme=demo).count() == len(INDICATORS) == 12
    direct = Indicator.objects.get(programme=demo, code="direct-beneficiaries")
    assert list(direct.targets.order_by("version").values_list("version", "value")) == [
        (1, Decimal("161000.000")),
        (2, Decimal("166000.000")),
    ]
    assert set(ProgrammeMember.objects.filter(programme=demo).values_list("user__email", "role")) == {
        ("manager@jusoor.demo", "manager"),
        ("reviewer@jusoor.demo", "reviewer"),
        ("coach@jusoor.demo", "coach"),
    }
    rows = {
        row.indicator.code: row
        for row in programme_dashboard(programme=demo, viewer=None, until=datetime.date(2024, 1, 1)).rows
    }
    assert rows["eligible-for-funding"].actual == Decimal("23.000")
    assert rows["volunteers-trained"].actual == Decimal("30.000")


def test_second_load_changes_nothing(demo):
    counts = (
        Programme.objects.count(),
        Indicator.objects.count(),
        IndicatorTarget.objects.count(),
        IndicatorReport.objects.count(),
    )
    demo_programmes_load()
    assert counts == (
        Programme.objects.count(),
        Indicator.objects.count(),
        IndicatorTarget.objects.count(),
        IndicatorReport.objects.count(),
    )
    assert counts[1:] == (12, 11, 5)
