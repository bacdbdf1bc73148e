"""Demo Day and seed grants for `make run` (run after `load_demo`, `load_demo_organizations` and, when they exist,
the programmes/calls demos).

Idempotent. It uses the first MAD programme with a grant range; when there is none it creates its own with the ORM
("TAMURI — fonds d'amorçage (démo)": operator MCISE, envelope 1,000,000 MAD, grants 20,000–100,000 MAD). It adds
two demo jurors (juror1/juror2@jusoor.demo, the demo password) and the demo reviewer to the jury, the demo manager
to the team, then a held Demo Day (Casablanca) with a three-criterion rubric, five pitches of Moroccan demo
associations and every juror's scores; and three grants of the top three (100,000, 60,000 and 40,000 MAD) with
their tranches — the first grant's first tranche released against an approved report.

Rows are written with the ORM in one transaction (seed data, not user actions: no audit events, no mails); money goes
through `ledger_post` with idempotency keys and the accounts of `services/ledger.py`, so a rerun books nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jusoor.accounts.demo import demo_password
from jusoor.accounts.models import User
from jusoor.finance.services import ledger_post
from jusoor.grants.models import DemoDay, Grant, GrantReport, GrantTranche, JurorScore, JuryCriterion, Pitch
from jusoor.grants.selectors import demo_day_ranking
from jusoor.grants.services import ledger
from jusoor.organizations.models import Organization, OrganizationKind, Registry
from jusoor.programmes.models import Programme, ProgrammeMember, ProgrammeRole

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CASABLANCA = ZoneInfo("Africa/Casablanca")
PITCHING = [
    ("DEMO-MA-HORIZON-CASA", "Atelier numérique pour les jeunes de Sidi Moumen"),
    ("DEMO-MA-FEMMES-ORIENTAL", "Coopérative de couscous des femmes d'Oujda"),
    ("DEMO-MA-SOUSS-SANTE", "Caravane de santé dans les douars de Taroudant"),
    ("DEMO-MA-RIF-VERT", "Reboisement participatif à Chefchaouen"),
    ("DEMO-MA-CITOYENNETE-BM", "École de la participation citoyenne à Béni Mellal"),
]
CRITERIA = [
    ({"ar": "الأثر الاجتماعي", "fr": "Impact social", "en": "Social impact"}, D("3")),
    ({"ar": "قابلية التنفيذ", "fr": "Faisabilité", "en": "Feasibility"}, D("2")),
    ({"ar": "الفريق", "fr": "Équipe", "en": "Team"}, D("1")),
]
# scores[juror][pitch] = (impact, feasibility, team)
SCORES = {
    "juror1@jusoor.demo": [(5, 4, 5), (4, 4, 3), (4, 5, 4), (3, 3, 4), (3, 2, 3)],
    "juror2@jusoor.demo": [(5, 5, 4), (5, 3, 4), (3, 4, 4), (3, 4, 3), (2, 3, 3)],
    "reviewer@jusoor.demo": [(4, 4, 4), (4, 4, 5), (4, 4, 3), (4, 3, 3), (3, 3, 2)],
}
AMOUNTS = [D("100000"), D("60000"), D("40000")]
JURORS = [
    ("juror1@jusoor.demo", "Rachid Bennani", "fr"),
    ("juror2@jusoor.demo", "Fatima Zahra Alaoui", "ar"),
]


def _programme(manager: User | None) -> Programme:
    programme = (
        Programme.objects.filter(currency="MAD", grant_minimum__isnull=False, grant_maximum__isnull=False)
        .order_by("pk")
        .first()
    )
    if programme is not None:
        return programme
    return Programme.objects.create(
        operator=_organization("DEMO-MA-MCISE", "Centre marocain pour l’innovation et l’entrepreneuriat social"),
        title_fr="TAMURI — fonds d’amorçage (démo)",
        title_ar="تامري — التمويل الأولي (تجريبي)",
        title_en="TAMURI — seed funds (demo)",
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
        currency="MAD",
        budget_envelope=D("1000000"),
        grant_minimum=D("20000"),
        grant_maximum=D("100000"),
        status=Programme.Status.ACTIVE,
        created_by=manager,
    )


def _organization(key: str, name_fr: str) -> Organization:
    """The demo organisation (by its demo key), or a minimal stand-in when `load_demo_organizations` did not run."""
    organization = Organization.objects.filter(registry=Registry.OTHER, registration_number=key).first()
    if organization is None:
        kind, _created = OrganizationKind.objects.get_or_create(
            slug="association", defaults={"label": {"ar": "جمعية", "fr": "Association", "en": "Association"}}
        )
        organization = Organization.objects.create(
            registry=Registry.OTHER,
            registration_number=key,
            name_fr=name_fr,
            name_ar=name_fr,
            kind=kind,
            country="MA",
            primary_language="fr",
            status=Organization.Status.VERIFIED,
            status_changed_at=timezone.now(),
        )
    return organization


def _jurors() -> list[User]:
    users = []
    password: str | None = None
    for email, name, language in JURORS:
        user = User.objects.filter(email=email).first()
        if user is None:
            password = password or demo_password()
            user = User.objects.create_user(
                email, password, full_name=name, preferred_language=language, country_of_residence="MA"
            )
        users.append(user)
    reviewer = User.objects.filter(email="reviewer@jusoor.demo").first()
    if reviewer is not None:
        users.append(reviewer)
    return users


def _demo_day(programme: Programme, jurors: list[User], manager: User | None) -> DemoDay:
    demo_day, created = DemoDay.objects.get_or_create(
        programme=programme,
        title="Demo Day TAMURI — Casablanca",
        defaults={
            "starts_at": datetime.combine(date(2025, 11, 20), time(10), tzinfo=CASABLANCA),
            "place": "Technopark, Casablanca",
            "status": DemoDay.Status.HELD,
            "created_by": manager,
        },
    )
    criteria = []
    for position, (label, weight) in enumerate(CRITERIA, start=1):
        criterion, _c = JuryCriterion.objects.get_or_create(
            demo_day=demo_day, position=position, defaults={"label": label, "weight": weight}
        )
        criteria.append(criterion)
    pitches = []
    for order, (key, project) in enumerate(PITCHING, start=1):
        organization = _organization(key, project)
        pitch, _c = Pitch.objects.get_or_create(
            demo_day=demo_day, organization=organization, defaults={"order": order, "title": project}
        )
        pitches.append(pitch)
    by_email = {juror.email: juror for juror in jurors}
    for email, rows in SCORES.items():
        juror = by_email.get(email)
        if juror is None:
            continue
        for pitch, values in zip(pitches, rows, strict=True):
            for criterion, value in zip(criteria, values, strict=True):
                JurorScore.objects.get_or_create(
                    pitch=pitch, juror=juror, criterion=criterion, defaults={"value": value}
                )
    return demo_day


def _grant(programme: Programme, pitch: Pitch, amount: Decimal, manager: User | None) -> Grant:
    grants = Grant.objects.filter(programme=programme, organization=pitch.organization)
    grant = grants.exclude(status=Grant.Status.CANCELLED).first()
    if grant is None:
        grant = Grant.objects.create(
            programme=programme,
            organization=pitch.organization,
            pitch=pitch,
            amount=amount,
            currency=programme.currency,
            status=Grant.Status.AGREED,
            conditions="Rapport narratif et financier avant chaque tranche ; visibilité du programme.",
            agreed_at=timezone.now(),
            awarded_by=manager,
        )
        grant.agreement.save(f"grant-{grant.pk}-agreement.pdf", ContentFile(PDF), save=False)
        grant.save(update_fields=["agreement"])
        half = (amount / 2).quantize(D("0.01"))
        GrantTranche.objects.bulk_create(
            [
                GrantTranche(grant=grant, position=1, amount=half, due_on=date(2026, 1, 15)),
                GrantTranche(grant=grant, position=2, amount=amount - half, due_on=date(2026, 7, 15)),
            ]
        )
    group = ledger_post(
        kind="grant.awarded",
        lines=[
            (ledger.envelope(programme.pk, grant.currency), grant.amount),
            (ledger.committed(grant.pk, grant.currency), -grant.amount),
        ],
        acting_user=manager,
        memo=str(grant.organization)[:200],
        idempotency_key=f"grant:{grant.pk}:award",
    )
    if grant.award_group_id != group.pk:
        grant.award_group_id = group.pk
        grant.save(update_fields=["award_group_id"])
    return grant


def _release_first_tranche(grant: Grant, manager: User | None, owner: Any) -> None:
    tranche = grant.tranches.get(position=1)
    if tranche.status == GrantTranche.Status.RELEASED:
        return
    report = GrantReport(
        grant=grant,
        narrative=(
            "Lancement de l’atelier : 40 jeunes inscrits (22 filles, 18 garçons), matériel acheté, deux formateurs "
            "recrutés. Les séances ont lieu trois fois par semaine."
        ),
        spent_amount=D("18500"),
        beneficiaries_direct=40,
        beneficiaries_indirect=160,
        breakdown={"direct": {"women": 22, "men": 18}},
        status=GrantReport.Status.APPROVED,
        submitted_by=owner,
        decided_by=manager,
        decided_at=timezone.now(),
    )
    report.financial_statement.save(f"grant-{grant.pk}-report-demo.pdf", ContentFile(PDF), save=False)
    report.save()
    group = ledger_post(
        kind="grant.tranche_released",
        lines=[
            (ledger.committed(grant.pk, grant.currency), tranche.amount),
            (ledger.disbursed(grant.pk, grant.currency), -tranche.amount),
        ],
        acting_user=manager,
        memo=f"{grant.organization_id}/1",
        idempotency_key=f"grant-tranche:{tranche.pk}:release",
    )
    tranche.report = report
    tranche.status = GrantTranche.Status.RELEASED
    tranche.release_group_id = group.pk
    tranche.decided_by = manager
    tranche.decided_at = timezone.now()
    tranche.save(update_fields=["report", "status", "release_group_id", "decided_by", "decided_at"])
    grant.status = Grant.Status.ACTIVE
    grant.save(update_fields=["status", "updated_at"])


@transaction.atomic
def demo_grants_load() -> list[Grant]:
    manager = User.objects.filter(email="manager@jusoor.demo").first()
    programme = _programme(manager)
    if manager is not None:
        ProgrammeMember.objects.get_or_create(programme=programme, user=manager, role=ProgrammeRole.MANAGER)
    jurors = _jurors()
    for juror in jurors:
        ProgrammeMember.objects.get_or_create(programme=programme, user=juror, role=ProgrammeRole.JUROR)
    demo_day = _demo_day(programme, jurors, manager)
    ranking = [row for row in demo_day_ranking(demo_day) if row.mean is not None]
    grants = [_grant(programme, row.pitch, amount, manager) for row, amount in zip(ranking, AMOUNTS, strict=False)]
    if grants:
        _release_first_tranche(grants[0], manager, manager)
    return grants
