import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.programmes.models import Indicator, IndicatorTarget
from jusoor.programmes.selectors.dashboard import programme_dashboard
from jusoor.programmes.services.indicators import indicator_create, indicator_target_set, indicator_update

pytestmark = pytest.mark.django_db
END_2025 = datetime.date(2025, 12, 31)


def indicator_data(**overrides):
    values = {
        "code": "direct-beneficiaries",
        "name": {"fr": "Bénéficiaires directs", "ar": "المستفيدون المباشرون"},
        "unit": "personnes",
        "baseline": Decimal("0"),
        "kind": "manual",
        "disaggregations": ["region", "sex"],
    }
    values.update(overrides)
    return values


def test_create_a_manual_and_a_computed_indicator(programme, manager, fake_metric):
    manual = indicator_create(programme=programme, acting_user=manager, data=indicator_data())
    computed = indicator_create(
        programme=programme,
        acting_user=manager,
        data=indicator_data(code="Reached", kind="computed", metric="test_beneficiaries", disaggregations=["sex"]),
    )
    assert (manual.position, manual.metric, manual.disaggregations) == (0, "", ["sex", "region"])
    assert manual.name == {"ar": "المستفيدون المباشرون", "fr": "Bénéficiaires directs", "en": ""}
    assert (computed.code, computed.position, computed.metric) == ("reached", 1, "test_beneficiaries")
    assert AuditEvent.objects.filter(action="programmes.indicator.created").count() == 2


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"code": "Bad code!"}, "code_invalid", "code"),
        ({"name": {"fr": " "}}, "name_required", "name"),
        ({"unit": ""}, "unit_required", "unit"),
        ({"baseline": Decimal("-1")}, "value_invalid", "baseline"),
        ({"baseline": Decimal("1.0001")}, "value_invalid", "baseline"),
        ({"kind": "guess"}, "kind_invalid", "kind"),
        ({"kind": "computed", "metric": "nobody_registered_this"}, "metric_unknown", "metric"),
        ({"disaggregations": ["religion"]}, "disaggregation_invalid", "disaggregations"),
    ],
)
def test_bad_indicators_are_refused(programme, manager, overrides, code, field):
    with pytest.raises(ApplicationError) as error:
        indicator_create(programme=programme, acting_user=manager, data=indicator_data(**overrides))
    assert (error.value.code, list(error.value.extra["fields"])) == (code, [field])
    assert Indicator.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_codes_are_unique_per_programme(programme, manager):
    first = indicator_create(programme=programme, acting_user=manager, data=indicator_data())
    other = indicator_create(programme=programme, acting_user=manager, data=indicator_data(code="other"))
    with pytest.raises(ApplicationError) as error:
        indicator_update(indicator=other, acting_user=manager, data={"code": first.code})
    assert error.value.code == "code_taken"
    other.refresh_from_db()
    assert other.code == "other"


def test_targets_are_versioned_never_overwritten(programme, manager):
    indicator = indicator_create(programme=programme, acting_user=manager, data=indicator_data())
    first = indicator_target_set(
        indicator=indicator,
        period_end=END_2025,
        value=Decimal("161000"),
        source="TAMURI, bilan de la première année",
        set_on=datetime.date(2022, 12, 15),
        acting_user=manager,
    )
    second = indicator_target_set(
        indicator=indicator,
        period_end=END_2025,
        value=Decimal("166000"),
        source="Autre source de presse",
        set_on=datetime.date(2023, 3, 1),
        acting_user=manager,
    )
    other_period = indicator_target_set(
        indicator=indicator,
        period_end=datetime.date(2023, 12, 31),
        value=Decimal("50000"),
        source="Plan annuel 2023",
        set_on=datetime.date(2023, 1, 5),
        acting_user=manager,
    )
    assert (first.version, second.version, other_period.version) == (1, 2, 1)
    history = list(
        IndicatorTarget.objects.filter(indicator=indicator)
        .order_by("period_end", "version")
        .values_list("period_end", "version", "value", "source", "set_on")
    )
    assert history == [
        (datetime.date(2023, 12, 31), 1, Decimal("50000.000"), "Plan annuel 2023", datetime.date(2023, 1, 5)),
        (END_2025, 1, Decimal("161000.000"), "TAMURI, bilan de la première année", datetime.date(2022, 12, 15)),
        (END_2025, 2, Decimal("166000.000"), "Autre source de presse", datetime.date(2023, 3, 1)),
    ]
    row = programme_dashboard(programme=programme, viewer=manager, until=datetime.date(2024, 6, 1)).rows[0]
    assert [(p.period_end, p.current.value, [t.version for t in p.history]) for p in row.periods] == [
        (datetime.date(2023, 12, 31), Decimal("50000.000"), [1]),
        (END_2025, Decimal("166000.000"), [2, 1]),
    ]
    assert row.target.value == Decimal("166000.000")  # the period not yet over on 1 June 2024
    assert AuditEvent.objects.filter(action="programmes.indicator.target_set").count() == 3


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"value": Decimal("-5")}, "value_invalid", "value"),
        ({"source": "  "}, "source_required", "source"),
        ({"source": "x" * 201}, "source_required", "source"),
        ({"set_on": "tomorrow"}, "date_invalid", "set_on"),
        ({"period_end": None}, "date_invalid", "period_end"),
    ],
)
def test_bad_targets_write_nothing(programme, manager, overrides, code, field):
    indicator = indicator_create(programme=programme, acting_user=manager, data=indicator_data())
    values = {
        "period_end": END_2025,
        "value": Decimal("500"),
        "source": "Document",
        "set_on": datetime.date(2024, 1, 1),
    }
    values.update(overrides)
    if values["set_on"] == "tomorrow":
        values["set_on"] = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ApplicationError) as error:
        indicator_target_set(indicator=indicator, acting_user=manager, **values)
    assert (error.value.code, list(error.value.extra["fields"])) == (code, [field])
    assert IndicatorTarget.objects.count() == 0
