import datetime
import re
from decimal import Decimal

import pytest

from jusoor.programmes.tests.conftest import make_actor, pdf_upload
from jusoor.programmes.tests.factories import IndicatorFactory, ProgrammeFactory, ReportFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_the_public_list_runs_a_fixed_number_of_queries(client, programme, regions, django_assert_num_queries):
    # session-less anonymous request: programmes, territories, themes, and the viewer's programmes (none)
    with django_assert_num_queries(3):
        first = client.get("/fr/programmes/")
    for _ in range(5):
        ProgrammeFactory().territories.set(regions)
    ProgrammeFactory(status="draft", title_fr="Brouillon caché")
    with django_assert_num_queries(3):
        response = client.get("/fr/programmes/")
    assert first.status_code == response.status_code == 200
    assert response.content.decode().count('class="card h-100"') == 6
    assert "Brouillon caché" not in response.content.decode()


def test_dashboard_page_in_arabic_draws_the_chart_without_style_attributes(client, programme, regions, fake_metric):
    manager = make_actor("manager", programme)
    indicator = IndicatorFactory(
        programme=programme,
        kind="computed",
        metric="test_beneficiaries",
        name={"ar": "المستفيدون", "fr": "Bénéficiaires"},
    )
    TargetFactory(indicator=indicator, value=Decimal("240"))
    IndicatorFactory(programme=programme, kind="computed", metric="grants_awarded_missing", code="grants", position=1)
    client.force_login(manager)
    html = client.get(f"/ar/programmes/{programme.pk}/dashboard/?until=2024-06-30").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "<svg" in html and "style=" not in html.split("<main", 1)[1]
    # right to left: the target bar (240, full width 520) ends at the right edge, the actual (120) is half as long
    assert re.search(r'<rect x="120" y="18" width="520" height="12" fill="#a7aaad">', html)
    assert re.search(r'<rect x="380" y="34" width="260" height="12" fill="#0b6e4f">', html)
    assert "غير متوفر" in html or "Not available" in html


def test_a_bad_until_is_404(client, programme):
    client.force_login(make_actor("manager", programme))
    assert client.get(f"/en/programmes/{programme.pk}/dashboard/?until=yesterday").status_code == 404


def test_dashboard_page_queries_do_not_grow_with_reports(client, programme, regions, django_assert_num_queries):
    manager = make_actor("manager", programme)
    indicator = IndicatorFactory(programme=programme, disaggregations=["sex"])
    client.force_login(manager)
    client.get(f"/en/programmes/{programme.pk}/dashboard/")
    with django_assert_num_queries(13) as before:
        client.get(f"/en/programmes/{programme.pk}/dashboard/")
    for index in range(20):
        ReportFactory(indicator=indicator, region=regions[index % 2], disaggregation={"sex": "women"})
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(f"/en/programmes/{programme.pk}/dashboard/")
    assert response.status_code == 200


def test_a_report_with_a_fake_pdf_is_refused_with_a_translated_message(client, programme, coach):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jusoor.programmes.models import IndicatorReport

    indicator = IndicatorFactory(programme=programme)
    client.force_login(coach)
    fake = SimpleUploadedFile("liste.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(
        f"/fr/programmes/{programme.pk}/reports/new/",
        {"indicator": indicator.pk, "period_end": "2022-12-31", "value": "12", "evidence": fake},
    )
    assert response.status_code == 400
    assert IndicatorReport.objects.count() == 0
    response = client.post(
        f"/fr/programmes/{programme.pk}/reports/new/",
        {"indicator": indicator.pk, "period_end": "2022-12-31", "value": "12", "evidence": pdf_upload()},
    )
    assert response.status_code == 302
    assert IndicatorReport.objects.get().value == Decimal("12")
    assert IndicatorReport.objects.get().period_end == datetime.date(2022, 12, 31)
