import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from jusoor.common.exceptions import ApplicationError
from jusoor.common.models import AuditEvent
from jusoor.programmes.models import IndicatorReport
from jusoor.programmes.services.reports import (
    indicator_report_approve,
    indicator_report_reject,
    indicator_report_submit,
)
from jusoor.programmes.tests.conftest import pdf_upload
from jusoor.programmes.tests.factories import IndicatorFactory, RegionFactory

pytestmark = pytest.mark.django_db
END_2022 = datetime.date(2022, 12, 31)


@pytest.fixture
def indicator(programme):
    return IndicatorFactory(programme=programme, disaggregations=["sex", "region"])


def submit(indicator, user, **overrides):
    values = {"period_end": END_2022, "value": Decimal("45"), "evidence": pdf_upload()}
    values.update(overrides)
    return indicator_report_submit(indicator=indicator, acting_user=user, **values)


def test_a_coach_reports_with_evidence_kept_privately(indicator, coach, regions):
    report = submit(indicator, coach, region=regions[1], disaggregation={"sex": "women"}, note="Atelier d’Oujda")
    assert (report.status, report.value, report.region, report.disaggregation) == (
        "submitted",
        Decimal("45"),
        regions[1],
        {"sex": "women"},
    )
    assert report.evidence.name.startswith(f"programmes/evidence/{indicator.pk}-")
    assert report.evidence.name.endswith(".pdf")
    assert report.evidence.storage.__class__.__name__ != "FileSystemStorage" or "private" in str(
        report.evidence.storage.location
    )
    assert AuditEvent.objects.get(action="programmes.indicator_report.submitted").actor == coach


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"evidence": None}, "evidence_required", "evidence"),
        (
            {"evidence": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
            "upload_type",
            "evidence",
        ),
        ({"value": Decimal("-1")}, "value_invalid", "value"),
        ({"disaggregation": {"sex": "other"}}, "disaggregation_invalid", "sex"),
        ({"disaggregation": {"age_band": "15_24"}}, "disaggregation_invalid", "age_band"),
        ({"note": "x" * 2001}, "value_invalid", "note"),
    ],
)
def test_bad_reports_write_nothing(indicator, coach, overrides, code, field):
    with pytest.raises(ApplicationError) as error:
        submit(indicator, coach, **overrides)
    assert (error.value.code, list(error.value.extra["fields"])) == (code, [field])
    assert IndicatorReport.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_region_outside_the_programme_is_refused(indicator, coach):
    elsewhere = RegionFactory(code="MA-09", name_fr="Souss-Massa", name_en="Souss-Massa", name_ar="سوس ماسة")
    with pytest.raises(ApplicationError) as error:
        submit(indicator, coach, region=elsewhere)
    assert error.value.code == "region_invalid"
    assert IndicatorReport.objects.count() == 0


def test_computed_indicators_take_no_report(programme, coach, fake_metric):
    computed = IndicatorFactory(programme=programme, kind="computed", metric="test_beneficiaries")
    with pytest.raises(ApplicationError) as error:
        submit(computed, coach)
    assert error.value.code == "not_manual"


def test_approve_then_mail_the_reporter_in_their_language(
    indicator, coach, manager, django_capture_on_commit_callbacks
):
    coach.preferred_language = "ar"
    coach.save(update_fields=["preferred_language"])
    report = submit(indicator, coach)
    with django_capture_on_commit_callbacks(execute=True):
        indicator_report_approve(report=report, acting_user=manager)
    report.refresh_from_db()
    assert (report.status, report.decided_by, report.decided_at is not None) == ("approved", manager, True)
    assert indicator_report_approve(report=report, acting_user=manager).status == "approved"  # quiet repeat
    assert [m.to for m in mail.outbox] == [[coach.email]]
    assert "تامري" in mail.outbox[0].body


def test_reject_needs_a_reason_and_a_decided_report_stays_decided(indicator, coach, manager):
    report = submit(indicator, coach)
    with pytest.raises(ApplicationError) as error:
        indicator_report_reject(report=report, acting_user=manager, reason=" ")
    assert error.value.code == "reason_required"
    assert IndicatorReport.objects.get(pk=report.pk).status == "submitted"
    indicator_report_reject(report=report, acting_user=manager, reason="La liste n’est pas signée.")
    with pytest.raises(ApplicationError) as error:
        indicator_report_approve(report=report, acting_user=manager)
    assert error.value.code == "already_decided"
    report.refresh_from_db()
    assert (report.status, report.decision_reason) == ("rejected", "La liste n’est pas signée.")
    assert list(
        AuditEvent.objects.filter(action__startswith="programmes.indicator_report.")
        .values_list("action", flat=True)
        .order_by("id")
    ) == [
        "programmes.indicator_report.submitted",
        "programmes.indicator_report.rejected",
    ]
