"""The figures the calls app gives the programme dashboards."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from jusoor.calls.models import Application
from jusoor.calls.tests.factories import ApplicationFactory, CallFactory
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.programmes.metrics import get_metric

S = Application.Status
TUNIS = ZoneInfo("Africa/Tunis")


def _at(day: int) -> datetime:
    return datetime(2026, 3, day, 12, tzinfo=TUNIS)


def test_both_metrics_are_registered():
    assert get_metric("applications_received").key == "applications_received"
    assert get_metric("organisations_supported").key == "organisations_supported"


def test_applications_received_by_region(programme, call, organization, region, prefecture):
    in_prefecture = OrganizationFactory(country="MA", territory=prefecture)
    nowhere = OrganizationFactory(country="MA", territory=None)
    ApplicationFactory(call=call, organization=organization, status=S.ELIGIBLE, submitted_at=_at(1))
    ApplicationFactory(call=call, organization=in_prefecture, status=S.SELECTED, submitted_at=_at(2))
    ApplicationFactory(call=call, organization=nowhere, status=S.INELIGIBLE, submitted_at=_at(3))
    ApplicationFactory(call=call, status=S.DRAFT)
    ApplicationFactory(call=call, status=S.WITHDRAWN, submitted_at=_at(1))
    ApplicationFactory(call=call, status=S.ELIGIBLE, submitted_at=_at(20))  # after the day asked
    ApplicationFactory(call=CallFactory(), status=S.ELIGIBLE, submitted_at=_at(1))  # another programme
    value = get_metric("applications_received").compute(programme, date(2026, 3, 10))
    assert value.total == Decimal(3)
    assert value.by_region == {region.pk: Decimal(2)}


def test_organisations_supported_counts_each_organisation_once(programme, call, organization, region):
    second_call = CallFactory(programme=programme)
    for target in (call, second_call):
        ApplicationFactory(call=target, organization=organization, status=S.SELECTED, status_changed_at=_at(5))
    ApplicationFactory(call=call, status=S.WAITLISTED, status_changed_at=_at(5))
    value = get_metric("organisations_supported").compute(programme, date(2026, 3, 10))
    assert (value.total, value.by_region) == (Decimal(1), {region.pk: Decimal(1)})
    assert get_metric("organisations_supported").compute(programme, date(2026, 3, 4)).total == Decimal(0)
