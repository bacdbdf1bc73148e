"""The TAMURI demo programme (seed 002) with its results framework, for `make run`.

Run after `load_demo_users` and `load_demo_organizations`. The programme is found by its French title "TAMURI"
(the calls demo may have created it first: it is then completed, never duplicated); its operator is the MCISE demo
organisation (registration number DEMO-MA-MCISE), its regions the five of the seed (MA-06, MA-01, MA-02, MA-09,
MA-05). Idempotent: indicators are keyed by code, targets by (period, version), reports by (indicator, period,
region, value). Rows are written with the ORM in one transaction: seed data, not user actions (no audit events).

Figures from the seed: targets by 2025 of 500 organisations, 161,000 direct and 5,000 indirect beneficiaries (another
source says 166,000: the direct target has two versions, each with its source); first year: ~2,400 applications,
110+ incubated organisations, ~70 events, 510 coaching sessions, 50 eligible for funding, 19 seed grants of
20,000–100,000 MAD.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from jusoor.organizations.models import Organization
from jusoor.programmes.models import Indicator, IndicatorReport, IndicatorTarget, Programme, ProgrammeMember
from jusoor.territories.models import Territory

TITLE_FR = "TAMURI"
OPERATOR_KEY = "DEMO-MA-MCISE"
REGION_CODES = ("MA-06", "MA-01", "MA-02", "MA-09", "MA-05")
END_2022 = datetime.date(2022, 12, 31)
END_2025 = datetime.date(2025, 12, 31)
PROGRAMME_DOCUMENT = "Programme TAMURI, bilan de la première année (presse, 2023)"
D = Decimal

# (code, names, unit, kind, metric, disaggregations, targets [(period end, value, source, set on)])
INDICATORS: list[tuple[Any, ...]] = [
    (
        "organisations-supported",
        ("المنظمات المستفيدة من المواكبة", "Organisations accompagnées", "Organisations supported"),
        "OSC",
        "computed",
        "organisations_supported",
        ["region"],
        [
            (END_2022, D("110"), PROGRAMME_DOCUMENT, datetime.date(2022, 1, 15)),
            (END_2025, D("500"), PROGRAMME_DOCUMENT, datetime.date(2022, 1, 15)),
        ],
    ),
    (
        "applications",
        ("الترشيحات المتوصل بها", "Candidatures reçues", "Applications received"),
        "candidatures",
        "computed",
        "applications_received",
        ["region"],
        [(END_2022, D("2400"), PROGRAMME_DOCUMENT, datetime.date(2022, 1, 15))],
    ),
    (
        "events",
        ("فعاليات التبادل والتشبيك", "Événements d’échange et de réseautage", "Exchange and networking events"),
        "événements",
        "computed",
        "events_held",
        ["region"],
        [(END_2022, D("70"), PROGRAMME_DOCUMENT, datetime.date(2022, 1, 15))],
    ),
    (
        "participants",
        ("المشاركون في الأنشطة", "Participants aux activités", "Participants in activities"),
        "personnes",
        "computed",
        "participants",
        ["sex", "region"],
        [],
    ),
    (
        "coaching-sessions",
        ("حصص المواكبة", "Sessions de coaching", "Coaching sessions"),
        "sessions",
        "computed",
        "coaching_sessions",
        ["region"],
        [(END_2022, D("510"), PROGRAMME_DOCUMENT, datetime.date(2022, 1, 15))],
    ),
    (
        "coaching-hours",
        ("ساعات المواكبة", "Heures de coaching", "Coaching hours"),
        "heures",
        "computed",
        "coaching_hours",
        [],
        [],
    ),
    (
        "seed-grants",
        ("المنح الأولية الممنوحة", "Fonds d’amorçage accordés", "Seed grants awarded"),
        "subventions",
        "computed",
        "grants_awarded",
        ["region"],
        [(END_2022, D("19"), PROGRAMME_DOCUMENT, datetime.date(2022, 1, 15))],
    ),
    (
        "seed-funds",
        ("مبالغ التمويل الأولي", "Montant des fonds d’amorçage", "Seed funds awarded"),
        "MAD",
        "computed",
        "seed_funds_awarded",
        [],
        [],
    ),
    (
        "direct-beneficiaries",
        ("المستفيدون المباشرون", "Bénéficiaires directs", "Direct beneficiaries"),
        "personnes",
        "computed",
        "beneficiaries_direct",
        ["sex", "age_band", "region"],
        [
            (END_2025, D("161000"), PROGRAMME_DOCUMENT, datetime.date(2022, 1, 15)),
            (
                END_2025,
                D("166000"),
                "Autre source de presse sur TAMURI (166 000 bénéficiaires directs)",
                datetime.date(2023, 3, 1),
            ),
        ],
    ),
    (
        "indirect-beneficiaries",
        ("المستفيدون غير المباشرين", "Bénéficiaires indirects", "Indirect beneficiaries"),
        "personnes",
        "computed",
        "beneficiaries_indirect",
        [],
        [(END_2025, D("5000"), PROGRAMME_DOCUMENT, datetime.date(2022, 1, 15))],
    ),
    (
        "eligible-for-funding",
        ("المنظمات المؤهلة للتمويل", "Organisations éligibles au financement", "Organisations eligible for funding"),
        "OSC",
        "manual",
        "",
        ["region"],
        [(END_2022, D("50"), PROGRAMME_DOCUMENT, datetime.date(2022, 1, 15))],
    ),
    (
        "volunteers-trained",
        ("الشباب المنشطون المكوَّنون", "Jeunes animateurs formés", "Young animators trained"),
        "personnes",
        "manual",
        "",
        ["sex", "age_band", "region"],
        [(END_2025, D("300"), "Plan d’action TAMURI", datetime.date(2022, 3, 1))],
    ),
]

# (indicator code, region code, value, status, disaggregation, note)
REPORTS: list[tuple[Any, ...]] = [
    ("eligible-for-funding", "MA-06", D("14"), "approved", {}, "Liste validée par le comité (Casablanca-Settat)"),
    ("eligible-for-funding", "MA-02", D("9"), "approved", {}, "Liste validée par le comité (Oriental)"),
    ("eligible-for-funding", "MA-09", D("11"), "submitted", {}, "Liste en attente de signature"),
    (
        "volunteers-trained",
        "MA-05",
        D("18"),
        "approved",
        {"sex": "women", "age_band": "15_24"},
        "Bootcamp de Béni Mellal",
    ),
    (
        "volunteers-trained",
        "MA-05",
        D("12"),
        "approved",
        {"sex": "men", "age_band": "15_24"},
        "Bootcamp de Béni Mellal",
    ),
]
EVIDENCE = b"%PDF-1.4\n% Jusoor demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _programme(operator: Organization, regions: list[Territory]) -> Programme:
    programme = Programme.objects.filter(title_fr=TITLE_FR).order_by("id").first()
    if programme is None:
        programme = Programme.objects.create(
            operator=operator,
            title_fr=TITLE_FR,
            title_ar="تامري",
            title_en="TAMURI",
            primary_language="fr",
            description_fr=(
                "Renforcer le tissu associatif dans cinq régions du Maroc, dans le cadre du Programme d’appui à la "
                "participation citoyenne soutenu par l’Union européenne : incubation (hackathons, bootcamps, "
                "masterclass), réseautage, coaching et fonds d’amorçage attribués lors d’un Demo Day."
            ),
            description_ar=(
                "تقوية النسيج الجمعوي في خمس جهات بالمغرب في إطار برنامج دعم المشاركة المواطنة بدعم من الاتحاد "
                "الأوروبي: الاحتضان والتشبيك والمواكبة وتمويل أولي يُمنح خلال يوم العرض."
            ),
            funder_names="Union européenne",
            starts_on=datetime.date(2022, 1, 1),
            ends_on=END_2025,
            currency="MAD",
            budget_envelope=D("1900000.00"),
            grant_minimum=D("20000.00"),
            grant_maximum=D("100000.00"),
            status=Programme.Status.ACTIVE,
        )
    programme.territories.add(*regions)
    return programme


def _team(programme: Programme) -> None:
    users = get_user_model().objects.filter(
        email__in=["manager@jusoor.demo", "reviewer@jusoor.demo", "coach@jusoor.demo"]
    )
    roles = {"manager@jusoor.demo": "manager", "reviewer@jusoor.demo": "reviewer", "coach@jusoor.demo": "coach"}
    for user in users:
        ProgrammeMember.objects.get_or_create(
            programme=programme,
            user=user,
            role=roles[user.email],
            defaults={"capacity": 60 if roles[user.email] == "reviewer" else None},
        )


@transaction.atomic
def demo_programmes_load() -> Programme:
    operator = Organization.objects.get(registration_number=OPERATOR_KEY)
    regions = list(Territory.objects.filter(code__in=REGION_CODES))
    by_code = {territory.code: territory for territory in regions}
    programme = _programme(operator, regions)
    _team(programme)
    manager = get_user_model().objects.filter(email="manager@jusoor.demo").first()
    indicators = {}
    for position, (code, names, unit, kind, metric, breakdowns, targets) in enumerate(INDICATORS):
        indicator, _created = Indicator.objects.update_or_create(
            programme=programme,
            code=code,
            defaults={
                "name": dict(zip(("ar", "fr", "en"), names, strict=True)),
                "unit": unit,
                "kind": kind,
                "metric": metric,
                "disaggregations": breakdowns,
                "position": position,
            },
        )
        indicators[code] = indicator
        versions: dict[datetime.date, int] = {}
        for period_end, value, source, set_on in targets:
            versions[period_end] = versions.get(period_end, 0) + 1
            IndicatorTarget.objects.get_or_create(
                indicator=indicator,
                period_end=period_end,
                version=versions[period_end],
                defaults={"value": value, "source": source, "set_on": set_on, "created_by": manager},
            )
    coach = get_user_model().objects.filter(email="coach@jusoor.demo").first()
    for code, region_code, value, status, cells, note in REPORTS:
        report, created = IndicatorReport.objects.get_or_create(
            indicator=indicators[code],
            period_end=END_2022,
            region=by_code.get(region_code),
            value=value,
            disaggregation=cells,
            defaults={
                "status": status,
                "note": note,
                "submitted_by": coach,
                "decided_by": manager if status == "approved" else None,
            },
        )
        if created:
            report.evidence.save(f"demo-{report.pk}.pdf", ContentFile(EVIDENCE), save=True)
    return programme
