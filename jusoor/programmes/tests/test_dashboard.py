"""Dashboard values from a fake registered metric and from manual reports (only approved ones count), per region and
per breakdown; the XLSX cells; the PDF; a fixed number of queries whatever the number of reports."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jusoor.programmes.exports import dashboard_pdf, dashboard_xlsx
from jusoor.programmes.selectors.dashboard import programme_dashboard
from jusoor.programmes.tests.factories import IndicatorFactory, ReportFactory, TargetFactory

pytestmark = pytest.mark.django_db
UNTIL = datetime.date(2024, 6, 30)


def cell_day(year: int, month: int, day: int) -> datetime.datetime:
    """A date as openpyxl reads it back from a cell (a naive datetime at midnight)."""
    return datetime.datetime.combine(datetime.date(year, month, day), datetime.time())


@pytest.fixture
def framework(programme, regions, fake_metric):
    """Three indicators: computed from the fake metric (target 200, revised to 240), manual (target 100) with four
    reports of which two approved, and computed from a metric nobody registered."""
    computed = IndicatorFactory(
        programme=programme,
        code="reached",
        position=0,
        kind="computed",
        metric="test_beneficiaries",
        name={"fr": "Personnes touchées", "ar": "الأشخاص المستفيدون", "en": "People reached"},
        disaggregations=["sex", "region"],
    )
    TargetFactory(indicator=computed, value=Decimal("200"), version=1, source="Document initial")
    TargetFactory(
        indicator=computed, value=Decimal("240"), version=2, source="Révision 2023", set_on=datetime.date(2023, 1, 1)
    )
    manual = IndicatorFactory(
        programme=programme,
        code="volunteers",
        position=1,
        name={"fr": "Bénévoles formés", "ar": "المتطوعون المكوَّنون", "en": "Volunteers trained"},
        disaggregations=["sex"],
    )
    TargetFactory(indicator=manual, value=Decimal("100"))
    ReportFactory(indicator=manual, value=Decimal("30"), region=regions[0], disaggregation={"sex": "women"})
    ReportFactory(indicator=manual, value=Decimal("12.5"), region=regions[1])
    ReportFactory(indicator=manual, value=Decimal("1000"), status="submitted", region=regions[0])
    ReportFactory(indicator=manual, value=Decimal("500"), status="rejected")
    ReportFactory(indicator=manual, value=Decimal("7"), period_end=datetime.date(2024, 12, 31))  # after UNTIL
    missing = IndicatorFactory(
        programme=programme,
        code="seed-funds",
        position=2,
        kind="computed",
        metric="seed_funds_awarded_not_registered",
        name={"fr": "Fonds d’amorçage", "ar": "التمويل الأولي", "en": "Seed funds"},
    )
    return computed, manual, missing


def test_values_targets_and_percentages(programme, framework, manager, regions, fake_metric):
    dashboard = programme_dashboard(programme=programme, viewer=manager, until=UNTIL)
    computed, manual, missing = dashboard.rows
    assert fake_metric == [(programme.pk, UNTIL)]
    assert (computed.available, computed.actual, computed.target.value, computed.target.version, computed.percent) == (
        True,
        Decimal("120"),
        Decimal("240.000"),
        2,
        Decimal("50.0"),
    )
    assert [(r.territory.code, r.actual) for r in computed.regions] == [
        ("MA-02", Decimal("40")),
        ("MA-06", Decimal("80")),
    ]
    assert [(b.key, b.cells) for b in computed.breakdowns] == [
        ("sex", [("women", "Women", Decimal("70")), ("men", "Men", Decimal("50"))])
    ]
    assert (manual.available, manual.actual, manual.target.value, manual.percent) == (
        True,
        Decimal("42.500"),
        Decimal("100.000"),
        Decimal("42.5"),
    )
    assert [(r.territory.code, r.actual) for r in manual.regions] == [
        ("MA-02", Decimal("12.500")),
        ("MA-06", Decimal("30.000")),
    ]
    assert [(b.key, b.cells) for b in manual.breakdowns] == [
        (
            "sex",
            [
                ("women", "Women", Decimal("30.000")),
                ("men", "Men", Decimal("0")),
                ("unspecified", "Not specified", Decimal("12.500")),
            ],
        )
    ]
    assert (missing.available, missing.actual, missing.percent, missing.target) == (False, None, None, None)
    assert [r.actual for r in missing.regions] == [None, None]


def test_reports_after_the_day_count_later(programme, framework, manager):
    later = programme_dashboard(programme=programme, viewer=manager, until=datetime.date(2025, 1, 1))
    assert later.rows[1].actual == Decimal("49.500")


def test_query_count_does_not_grow_with_reports(programme, framework, manager, regions, django_assert_num_queries):
    manual = framework[1]
    with django_assert_num_queries(4):
        programme_dashboard(programme=programme, viewer=manager, until=UNTIL)
    for index in range(30):
        ReportFactory(indicator=manual, value=Decimal("1"), region=regions[index % 2], disaggregation={"sex": "men"})
        IndicatorFactory(programme=programme, code=f"extra-{index}", position=10 + index)
    with django_assert_num_queries(4):
        dashboard = programme_dashboard(programme=programme, viewer=manager, until=UNTIL)
    assert dashboard.rows[1].actual == Decimal("72.500")
    assert len(dashboard.rows) == 33


def test_xlsx_cells(programme, framework, manager):
    dashboard = programme_dashboard(programme=programme, viewer=manager, until=UNTIL)
    workbook = load_workbook(io.BytesIO(dashboard_xlsx(dashboard)))
    assert workbook.sheetnames == ["Indicators", "By region", "Breakdowns", "Target history"]
    rows = [list(row) for row in workbook["Indicators"].iter_rows(values_only=True)]
    assert rows == [
        ["Code", "Indicator", "Unit", "Measured", "Baseline", "End of the period", "Target", "Actual", "% of target"],
        [
            "reached",
            "People reached",
            "personnes",
            "Computed from the platform's records",
            0,
            cell_day(2025, 12, 31),
            240,
            120,
            50,
        ],
        [
            "volunteers",
            "Volunteers trained",
            "personnes",
            "Reported with evidence",
            0,
            cell_day(2025, 12, 31),
            100,
            42.5,
            42.5,
        ],
        [
            "seed-funds",
            "Seed funds",
            "personnes",
            "Computed from the platform's records",
            0,
            None,
            None,
            "Not available",
            None,
        ],
    ]
    regions = [list(row) for row in workbook["By region"].iter_rows(values_only=True)]
    assert regions[1:3] == [
        ["reached", "People reached", "Oriental", 40],
        ["reached", "People reached", "Casablanca-Settat", 80],
    ]
    history = [list(row) for row in workbook["Target history"].iter_rows(values_only=True)]
    assert history[1:3] == [
        [
            "reached",
            "People reached",
            cell_day(2025, 12, 31),
            2,
            240,
            "Révision 2023",
            cell_day(2023, 1, 1),
            "current",
        ],
        [
            "reached",
            "People reached",
            cell_day(2025, 12, 31),
            1,
            200,
            "Document initial",
            cell_day(2022, 1, 10),
            None,
        ],
    ]


def pdf_text(pdf: bytes, *, rtl: bool = False) -> str:
    """The text WeasyPrint drew, run by run (glyphs mapped back through each font's ToUnicode map)."""
    import re

    from jusoor.donations.tests.test_receipts import _objects, _to_unicode

    objects = _objects(pdf)
    maps = {}
    for number, (head, _data) in objects.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if found:
            maps[number] = _to_unicode(objects[int(found[1])][1] or b"")
    names = {}
    for head, _data in objects.values():
        for name, number in re.findall(rb"/([A-Za-z0-9+_-]+) (\d+) 0 R", head):
            if int(number) in maps:
                names[name.decode()] = maps[int(number)]
    runs: list[str] = []
    operators = rb"/([A-Za-z0-9+_-]+) [\d.]+ Tf|(Tm|Td|TD|T\*)\b|\[(.*?)\] ?TJ|<([0-9a-fA-F]*)> ?Tj"
    for head, data in objects.values():
        if not data or b"BT" not in data or b"/ObjStm" in head:
            continue
        font, run = "", []
        for token in re.finditer(operators, data, re.S):
            if token[1]:
                font = token[1].decode()
            elif token[2]:
                runs.append("".join(reversed(run)) if rtl else "".join(run))
                run = []
            else:
                strings = re.findall(rb"<([0-9a-fA-F]*)>", token[3]) if token[3] is not None else [token[4]]
                for chunk in strings:
                    for index in range(0, len(chunk), 4):
                        run.append(names.get(font, {}).get(int(chunk[index : index + 4], 16), ""))
        runs.append("".join(reversed(run)) if rtl else "".join(run))
    return "".join(runs).replace(" ", "")


def test_pdf_contains_the_indicator_names(programme, framework, manager):
    from django.utils import translation

    with translation.override("fr"):
        pdf = dashboard_pdf(programme_dashboard(programme=programme, viewer=manager, until=UNTIL))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for name in ("Personnes touchées", "Bénévoles formés", "Fonds d’amorçage", "TAMURI"):
        assert name.replace(" ", "") in text
    with translation.override("ar"):
        pdf = dashboard_pdf(programme_dashboard(programme=programme, viewer=manager, until=UNTIL))
    assert pdf.startswith(b"%PDF")
    assert "تامري" in pdf_text(pdf, rtl=True)
