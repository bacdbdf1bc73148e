from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jusoor.common.audit import AuditEvent
from jusoor.common.exceptions import ApplicationError, PermissionDeniedError
from jusoor.finance.models import EntryGroup
from jusoor.finance.selectors import ledger_problems
from jusoor.grants.models import Grant, GrantTranche
from jusoor.grants.selectors import programme_envelope
from jusoor.grants.services.awards import grant_agreement_sign, grant_award, grant_cancel
from jusoor.grants.services.reports import grant_report_reject, grant_report_submit
from jusoor.grants.services.tranches import grant_tranche_refuse, grant_tranche_release, grant_tranches_set
from jusoor.grants.tests.helpers import approved_report_for, balances, pdf, sign
from jusoor.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def award(scene, amount="60000", organization=None, user=None):
    return grant_award(
        programme=scene.programme,
        organization=organization or scene.org,
        amount=amount,
        acting_user=user or scene.manager,
        pitch=scene.pitches[0] if organization is None else None,
    )


def keys(scene, grant):
    return (f"programme:{scene.programme.pk}:envelope", f"grant:{grant.pk}:committed", f"grant:{grant.pk}:disbursed")


def test_award_commits_the_envelope(scene, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        grant = award(scene)
    assert (grant.status, grant.amount, grant.currency) == ("offered", Decimal("60000.00"), "MAD")
    assert balances(*keys(scene, grant)) == {
        f"programme:{scene.programme.pk}:envelope": Decimal("60000.000"),
        f"grant:{grant.pk}:committed": Decimal("-60000.000"),
        f"grant:{grant.pk}:disbursed": Decimal("0"),
    }
    envelope = programme_envelope(scene.programme)
    assert (envelope.consumed, envelope.remaining) == (Decimal("60000.000"), Decimal("940000.000"))
    assert AuditEvent.objects.filter(action="grants.grant.awarded").count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["admin@assoc.ma", "owner@assoc.ma"]
    arabic = next(m for m in mailoutbox if m.to == ["owner@assoc.ma"])
    french = next(m for m in mailoutbox if m.to == ["admin@assoc.ma"])
    assert scene.programme.title_ar in arabic.subject  # rendered in each recipient's language
    assert scene.programme.title_fr in french.subject
    assert ledger_problems() == []


@pytest.mark.parametrize(
    ("amount", "code", "message"),
    [
        (
            "19999.99",
            "grant_outside_range",
            "A grant of this programme must be between MAD20,000.00 and MAD100,000.00.",
        ),
        (
            "100000.01",
            "grant_outside_range",
            "A grant of this programme must be between MAD20,000.00 and MAD100,000.00.",
        ),
        ("50000.001", "amount_invalid", "50000.001 has more decimals than MAD allows."),
        ("-5", "amount_invalid", "Enter an amount greater than zero."),
        ("abc", "amount_invalid", "Enter an amount greater than zero."),
    ],
)
def test_award_outside_the_range_writes_nothing(scene, amount, code, message):
    with pytest.raises(ApplicationError) as error:
        award(scene, amount)
    assert error.value.code == code
    assert error.value.extra["fields"]["amount"] == [message]
    assert Grant.objects.count() == 0 and EntryGroup.objects.count() == 0


def test_award_beyond_the_envelope_writes_nothing(scene):
    scene.programme.budget_envelope = Decimal("150000")
    scene.programme.save(update_fields=["budget_envelope"])
    award(scene, "100000")
    other = OrganizationFactory()
    with pytest.raises(ApplicationError) as error:
        award(scene, "50000.01", organization=other)
    assert error.value.code == "grant_beyond_envelope"
    assert str(error.value.message) == "Only MAD50,000.00 is left in the programme's envelope."
    assert Grant.objects.count() == 1 and EntryGroup.objects.count() == 1
    award(scene, "50000", organization=other)
    assert programme_envelope(scene.programme).remaining == Decimal("0")


def test_one_grant_per_organisation(scene):
    award(scene)
    with pytest.raises(ApplicationError) as error:
        award(scene, "20000")
    assert error.value.code == "grant_already_awarded"
    assert Grant.objects.count() == 1


def test_only_managers_award(scene):
    for user in (*scene.jurors, scene.coach, scene.owner, scene.admin):
        with pytest.raises(PermissionDeniedError):
            award(scene, user=user)
    assert Grant.objects.count() == 0 and EntryGroup.objects.count() == 0


def test_schedule_must_add_up_to_the_grant(scene):
    grant = award(scene)
    with pytest.raises(ApplicationError) as error:
        grant_tranches_set(
            grant=grant,
            tranches=[("30000", date(2025, 6, 1)), ("20000", date(2025, 12, 1))],
            acting_user=scene.manager,
        )
    assert error.value.code == "tranche_schedule_invalid"
    assert str(error.value.message) == "The tranches add up to MAD50,000.00 but must add up to MAD60,000.00."
    assert GrantTranche.objects.count() == 0
    tranches = grant_tranches_set(
        grant=grant,
        tranches=[("30000", date(2025, 12, 1)), ("30000", date(2025, 6, 1))],
        acting_user=scene.manager,
    )
    assert [(t.position, t.due_on) for t in tranches] == [(1, date(2025, 6, 1)), (2, date(2025, 12, 1))]


def test_agreement_must_be_a_pdf(scene):
    grant = award(scene)
    png = SimpleUploadedFile("a.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 40, content_type="application/pdf")
    with pytest.raises(ApplicationError) as error:
        grant_agreement_sign(grant=grant, agreement=png, acting_user=scene.manager)
    assert error.value.extra["fields"] == {"agreement": ["The agreement must be a PDF file."]}
    grant.refresh_from_db()
    assert (grant.status, grant.agreement.name) == ("offered", "")
    signed = grant_agreement_sign(grant=grant, agreement=pdf(), acting_user=scene.manager)
    assert signed.status == "agreed" and signed.agreed_at is not None
    assert signed.agreement.name.startswith("grants/agreements/grant-")


def test_tranche_release_needs_an_approved_report(scene):
    grant = award(scene)
    first, second = grant_tranches_set(
        grant=grant,
        tranches=[("40000", date(2025, 6, 1)), ("20000", date(2025, 12, 1))],
        acting_user=scene.manager,
    )
    grant = sign(grant, scene.manager)
    # no report at all
    with pytest.raises(ApplicationError) as error:
        grant_tranche_release(tranche=first, acting_user=scene.manager)
    assert error.value.code == "tranche_report_not_approved"
    # a submitted, then rejected, report
    report = grant_report_submit(
        grant=grant,
        narrative="Rapport",
        spent_amount="0",
        financial_statement=pdf(),
        tranche=first,
        acting_user=scene.admin,
    )
    first.refresh_from_db()
    assert first.status == "requested"
    with pytest.raises(ApplicationError):
        grant_tranche_release(tranche=first, acting_user=scene.manager)
    grant_report_reject(report=report, comment="Il manque les factures.", acting_user=scene.manager)
    with pytest.raises(ApplicationError) as error:
        grant_tranche_release(tranche=first, acting_user=scene.manager)
    assert error.value.code == "tranche_report_not_approved"
    assert EntryGroup.objects.filter(kind="grant.tranche_released").count() == 0
    first.refresh_from_db()
    assert first.status == "requested"
    grant_tranche_refuse(tranche=first, comment="Rapport rejeté", acting_user=scene.manager)
    # approved: released, money moves to the organisation
    approved_report_for(first, scene.admin, scene.manager)
    released = grant_tranche_release(tranche=first, acting_user=scene.manager)
    assert released.status == "released"
    grant.refresh_from_db()
    assert grant.status == "active"
    assert balances(*keys(scene, grant)) == {
        f"programme:{scene.programme.pk}:envelope": Decimal("60000.000"),
        f"grant:{grant.pk}:committed": Decimal("-20000.000"),
        f"grant:{grant.pk}:disbursed": Decimal("-40000.000"),
    }
    # releasing twice changes nothing
    grant_tranche_release(tranche=first, acting_user=scene.manager)
    assert EntryGroup.objects.filter(kind="grant.tranche_released").count() == 1
    # the last tranche completes the grant
    approved_report_for(second, scene.owner, scene.manager)
    grant_tranche_release(tranche=second, acting_user=scene.manager)
    grant.refresh_from_db()
    assert grant.status == "completed"
    assert balances(*keys(scene, grant))[f"grant:{grant.pk}:committed"] == Decimal("0")
    assert ledger_problems() == []


def test_cancel_gives_back_what_was_not_paid(scene):
    grant = award(scene, "80000")
    first, _second = grant_tranches_set(
        grant=grant,
        tranches=[("30000", date(2025, 6, 1)), ("50000", date(2025, 12, 1))],
        acting_user=scene.manager,
    )
    grant = sign(grant, scene.manager)
    approved_report_for(first, scene.admin, scene.manager)
    grant_tranche_release(tranche=first, acting_user=scene.manager)
    cancelled = grant_cancel(grant=grant, reason="Association dissoute", acting_user=scene.manager)
    assert cancelled.status == "cancelled"
    assert balances(*keys(scene, grant)) == {
        f"programme:{scene.programme.pk}:envelope": Decimal("30000.000"),
        f"grant:{grant.pk}:committed": Decimal("0"),
        f"grant:{grant.pk}:disbursed": Decimal("-30000.000"),
    }
    assert programme_envelope(scene.programme).remaining == Decimal("970000.000")
    # cancelling again is quiet; a new grant for the organisation is possible
    grant_cancel(grant=cancelled, reason="encore", acting_user=scene.manager)
    assert EntryGroup.objects.filter(kind="grant.cancelled").count() == 1
    award(scene, "20000")
    assert ledger_problems() == []


def test_report_breakdown_must_add_up(scene):
    grant = sign(award(scene), scene.manager)
    with pytest.raises(ApplicationError) as error:
        grant_report_submit(
            grant=grant,
            narrative="R",
            spent_amount="100",
            financial_statement=pdf(),
            acting_user=scene.admin,
            beneficiaries_direct=120,
            breakdown={"direct": {"women": "70", "men": "40"}},
        )
    assert error.value.extra["fields"] == {
        "direct_women": ["Women and men must add up to the number of beneficiaries (120)."]
    }
    assert grant.reports.count() == 0


def test_reports_only_by_the_organisations_admins(scene):
    grant = sign(award(scene), scene.manager)
    for user in (scene.other_admin, scene.jurors[0], scene.coach, scene.manager):
        with pytest.raises(PermissionDeniedError):
            grant_report_submit(
                grant=grant, narrative="R", spent_amount="1", financial_statement=pdf(), acting_user=user
            )
    assert grant.reports.count() == 0
