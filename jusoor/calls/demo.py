"""A demo TAMURI-like programme with an open call and about twenty applications (seed 002), for `make run`.

Run after `load_demo` and `load_demo_organizations`. Idempotent: the programme is found again by its operator (the
demo MCISE) and French title, the call by its programme and French title, an application by its call and
organisation; a rerun restores statuses and answers without duplicating anything. Dates are set once, when the rows
are created (the call opened ten days ago and closes in thirty). Rows are written directly with the ORM in one
transaction: this is seed data, not a user action (no audit events, no mails).

The figures of the programme follow seed 002 (five regions, EU-funded, run by the MCISE, seed grants of 20,000 to
100,000 MAD); the call, its questions and the applications are illustrative.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jusoor.calls.models import Answer, Application, Call, Question
from jusoor.calls.services.answers import budget_total
from jusoor.calls.services.eligibility import eligibility_snapshot, is_eligible
from jusoor.common.money import quantize
from jusoor.organizations.models import Organization, OrganizationKind, Registry, Theme
from jusoor.programmes.models import Programme, ProgrammeMember, ProgrammeRole
from jusoor.territories.models import Territory

S = Application.Status
OPERATOR = "DEMO-MA-MCISE"
REGIONS = ["MA-06", "MA-01", "MA-02", "MA-09", "MA-05"]
# The demo call also takes the Marrakech-Safi region (MA-07), where the Rhamna demo organisations work (seed 004).
CALL_REGIONS = [*REGIONS, "MA-07"]
PROGRAMME_TITLE_FR = "TAMURI"  # the same programme as the programmes, incubation and grants demos
CALL_TITLE_FR = "Appel à candidatures 2026 : incubation et fonds d’amorçage"
TEAM = [
    ("manager@jusoor.demo", ProgrammeRole.MANAGER, None),
    ("reviewer@jusoor.demo", ProgrammeRole.REVIEWER, 40),
    ("coach@jusoor.demo", ProgrammeRole.COACH, None),
]
TARGETS = [
    {"value": "youth", "label": {"ar": "الشباب", "fr": "Jeunes", "en": "Young people"}},
    {"value": "women", "label": {"ar": "النساء", "fr": "Femmes", "en": "Women"}},
    {"value": "rural", "label": {"ar": "ساكنة العالم القروي", "fr": "Population rurale", "en": "Rural population"}},
    {
        "value": "disability",
        "label": {
            "ar": "الأشخاص في وضعية إعاقة",
            "fr": "Personnes en situation de handicap",
            "en": "People with disabilities",
        },
    },
]
STAGES = [
    {"value": "idea", "label": {"ar": "فكرة", "fr": "Idée", "en": "Idea"}},
    {"value": "pilot", "label": {"ar": "تجربة أولى", "fr": "Projet pilote", "en": "Pilot"}},
    {"value": "scale", "label": {"ar": "توسيع", "fr": "Changement d’échelle", "en": "Scaling up"}},
]
QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "title",
        "kind": Question.Kind.SHORT_TEXT,
        "label": {"ar": "عنوان المشروع", "fr": "Titre du projet", "en": "Project title"},
    },
    {
        "key": "summary",
        "kind": Question.Kind.LONG_TEXT,
        "word_limit": 300,
        "label": {
            "ar": "صِفوا المشروع والحاجة التي يستجيب لها",
            "fr": "Décrivez le projet et le besoin auquel il répond",
            "en": "Describe the project and the need it meets",
        },
        "help_text": {"ar": "300 كلمة على الأكثر.", "fr": "300 mots au maximum.", "en": "300 words at most."},
    },
    {
        "key": "beneficiaries",
        "kind": Question.Kind.NUMBER,
        "label": {
            "ar": "عدد المستفيدين المباشرين",
            "fr": "Nombre de bénéficiaires directs",
            "en": "Number of direct beneficiaries",
        },
    },
    {
        "key": "targets",
        "kind": Question.Kind.MULTIPLE_CHOICE,
        "choices": TARGETS,
        "label": {"ar": "الفئات المستهدفة", "fr": "Publics visés", "en": "Who the project is for"},
    },
    {
        "key": "stage",
        "kind": Question.Kind.SINGLE_CHOICE,
        "choices": STAGES,
        "label": {"ar": "مرحلة المشروع", "fr": "Stade du projet", "en": "Stage of the project"},
    },
    {
        "key": "start",
        "kind": Question.Kind.DATE,
        "required": False,
        "label": {"ar": "تاريخ الانطلاق المتوقع", "fr": "Date de démarrage prévue", "en": "Planned start date"},
    },
    {
        "key": "budget",
        "kind": Question.Kind.BUDGET,
        "label": {"ar": "الميزانية المطلوبة", "fr": "Budget demandé", "en": "Budget requested"},
        "help_text": {
            "ar": "بالدرهم، من 20.000 إلى 100.000.",
            "fr": "En dirhams, de 20 000 à 100 000.",
            "en": "In dirhams, from 20,000 to 100,000.",
        },
    },
    {
        "key": "statutes",
        "kind": Question.Kind.FILE,
        "required": False,
        "label": {
            "ar": "القانون الأساسي للجمعية",
            "fr": "Statuts de l’organisation",
            "en": "The organisation's statutes",
        },
    },
]
# The applicants (demo organisations) and where their application stands. The statuses follow the call's rules: an
# organisation that fails one (not verified, outside the call's regions, Tunisian or French) ends up ineligible.
APPLICANTS: list[tuple[str, str]] = [
    ("DEMO-MA-HORIZON-CASA", S.SELECTED),
    ("DEMO-MA-FEMMES-ORIENTAL", S.SHORTLISTED),
    ("DEMO-MA-CITOYENNETE-BM", S.WAITLISTED),
    ("DEMO-MA-AMAL-BENGUERIR", S.UNDER_REVIEW),
    ("DEMO-MA-COOP-APICOLE-SKHOUR", S.UNDER_REVIEW),
    ("DEMO-MA-NZALAT-ENVIRONNEMENT", S.REJECTED),
    ("DEMO-MA-RIF-VERT", S.ELIGIBLE),
    ("DEMO-MA-SOUSS-SANTE", S.ELIGIBLE),
    ("DEMO-MA-COOP-COUSCOUS-SBO", S.ELIGIBLE),
    ("DEMO-MA-JBILATE-ANIMATION", S.ELIGIBLE),
    ("DEMO-MA-ASWAK-KISSAR", S.ELIGIBLE),
    ("DEMO-MA-RUCHE-RHAMNA", S.ELIGIBLE),
    ("DEMO-MA-RASAIN-EDUCATION", S.DRAFT),
    ("DEMO-MA-RHAMNA-DAS", S.WITHDRAWN),
    ("DEMO-MA-CGLU-AFRIQUE", S.DRAFT),
    ("DEMO-TN-ENFANTS-LUNE-MEDENINE", S.INELIGIBLE),
    ("DEMO-TN-JEUNES-HAMMAMET", S.INELIGIBLE),
    ("DEMO-FR-FTCR", S.INELIGIBLE),
    ("DEMO-FR-CUF", S.DRAFT),
    ("DEMO-MA-COMMUNE-KISSAR", S.DRAFT),
]
REASONS: dict[str, str] = {
    S.SELECTED: "Projet retenu par le comité de sélection : forte adéquation avec les priorités du programme.",
    S.SHORTLISTED: "Dossier présélectionné pour le pitch du Demo Day.",
    S.WAITLISTED: "Bon dossier, placé sur la liste d’attente en raison de l’enveloppe disponible.",
    S.REJECTED: "Le budget présenté ne couvre pas les activités décrites.",
    S.WITHDRAWN: "L’organisation se concentre cette année sur un autre programme.",
}


def _programme(operator: Organization) -> Programme:
    today = timezone.localdate()
    programme, _created = Programme.objects.get_or_create(
        title_fr=PROGRAMME_TITLE_FR,
        defaults={
            "operator": operator,
            "starts_on": today - timedelta(days=365),
            "ends_on": today + timedelta(days=730),
        },
    )
    values = {
        "title_ar": "برنامج تامري لدعم المشاركة المواطنة (عرض توضيحي)",
        "title_en": "TAMURI — Citizen participation support programme (demo)",
        "description_fr": (
            "Renforcer le tissu associatif dans cinq régions du Maroc (Casablanca-Settat, Tanger-Tétouan-Al Hoceïma, "
            "l’Oriental, Souss-Massa, Béni Mellal-Khénifra) : incubation personnalisée (hackathons, bootcamps, "
            "masterclass), événements de réseautage, coaching, et fonds d’amorçage de 20 000 à 100 000 MAD attribués "
            "lors d’un Demo Day. Programme soutenu par l’Union européenne, opéré par le MCISE."
        ),
        "description_ar": (
            "تقوية النسيج الجمعوي في خمس جهات بالمغرب عبر الاحتضان والتدريب والتشبيك، ومنح تمويل أولي من 20.000 إلى "
            "100.000 درهم خلال «الديمو داي». برنامج بدعم من الاتحاد الأوروبي يشغله المركز المغربي للابتكار والمقاولة "
            "الاجتماعية."
        ),
        "funder_names": "Union européenne",
        "primary_language": "fr",
        "currency": "MAD",
        "budget_envelope": Decimal("1900000"),
        "grant_minimum": Decimal("20000"),
        "grant_maximum": Decimal("100000"),
        "status": Programme.Status.ACTIVE,
    }
    changed = [name for name, value in values.items() if getattr(programme, name) != value]
    for name in changed:
        setattr(programme, name, values[name])
    if changed:
        programme.save(update_fields=[*changed, "updated_at"])
    programme.territories.set(Territory.objects.filter(code__in=REGIONS))
    programme.themes.set(
        Theme.objects.filter(slug__in=["women-youth", "governance-participation", "income-generating-activities"])
    )
    users = {user.email: user for user in get_user_model().objects.filter(email__in=[e for e, _r, _c in TEAM])}
    for email, role, capacity in TEAM:
        if email in users:
            ProgrammeMember.objects.update_or_create(
                programme=programme, user=users[email], role=role, defaults={"capacity": capacity}
            )
    return programme


def _call(programme: Programme) -> Call:
    now = timezone.now()
    call, _created = Call.objects.get_or_create(
        programme=programme,
        title_fr=CALL_TITLE_FR,
        defaults={"opens_at": now - timedelta(days=10), "closes_at": now + timedelta(days=30)},
    )
    values = {
        "title_ar": "طلب ترشيحات 2026: الاحتضان والتمويل الأولي",
        "title_en": "2026 call for applications: incubation and seed funds",
        "description_fr": (
            "Les associations et coopératives des cinq régions du programme, fondées depuis au moins un an et "
            "vérifiées sur Jusoor, peuvent demander une place dans la cohorte d’incubation et un fonds d’amorçage "
            "de 20 000 à 100 000 MAD."
        ),
        "description_ar": (
            "يمكن للجمعيات والتعاونيات في الجهات الخمس للبرنامج، الموثّقة على منصة جسور، أن "
            "تترشح للاحتضان وللحصول على تمويل أولي من 20.000 إلى 100.000 درهم."
        ),
        "description_en": (
            "Associations and cooperatives of the programme's five regions, verified "
            "on Jusoor, may apply for the incubation cohort and a seed fund of 20,000 to 100,000 MAD."
        ),
        "primary_language": "fr",
        "published": True,
        "eligible_countries": ["MA"],
        "minimum_age_months": None,  # the demo organisations have no founding date yet
        "require_verified": True,
        "max_requested": Decimal("100000"),
        "reviewers_per_application": 3,
    }
    changed = [name for name, value in values.items() if getattr(call, name) != value]
    for name in changed:
        setattr(call, name, values[name])
    if changed:
        call.save(update_fields=[*changed, "updated_at"])
    call.eligible_kinds.set(OrganizationKind.objects.filter(slug__in=["association", "cooperative"]))
    call.eligible_territories.set(Territory.objects.filter(code__in=CALL_REGIONS))
    for position, spec in enumerate(QUESTIONS):
        Question.objects.update_or_create(
            call=call,
            position=position,
            defaults={
                "kind": spec["kind"],
                "label": spec["label"],
                "help_text": spec.get("help_text", {}),
                "required": spec.get("required", True),
                "word_limit": spec.get("word_limit"),
                "choices": spec.get("choices", []),
            },
        )
    return call


def _answers(organization: Organization, index: int) -> dict[str, Any]:
    amount = Decimal(20000 + (index * 7000) % 80000)
    return {
        "title": f"{organization.name_fr or organization.name_ar} — projet {2026}",
        "summary": (
            "Former des jeunes et des femmes de notre territoire, structurer une activité génératrice de revenus et "
            "renforcer la participation citoyenne avec la commune."
        ),
        "beneficiaries": str(120 + index * 35),
        "targets": [TARGETS[index % 4]["value"], TARGETS[(index + 1) % 4]["value"]],
        "stage": STAGES[index % 3]["value"],
        "start": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "budget": [
            {"label": "Formation et accompagnement", "amount": str(quantize(amount * Decimal("0.6"), "MAD"))},
            {"label": "Équipement", "amount": str(quantize(amount * Decimal("0.4"), "MAD"))},
        ],
    }


def _application(call: Call, organization: Organization, status: str, index: int) -> Application:
    now = timezone.now()
    application, _created = Application.objects.get_or_create(
        call=call,
        organization=organization,
        defaults={"language": organization.primary_language or "ar", "status": S.DRAFT},
    )
    questions = {
        spec["key"]: question for spec, question in zip(QUESTIONS, call.questions.order_by("position"), strict=True)
    }
    answers = _answers(organization, index)
    for key, value in answers.items():
        Answer.objects.update_or_create(application=application, question=questions[key], defaults={"value": value})
    requested = budget_total(answers["budget"])
    sent = status != S.DRAFT
    results = eligibility_snapshot(call=call, organization=organization, requested=requested) if sent else []
    if sent and status != S.WITHDRAWN:
        # The statuses follow the rules: an organisation that fails one stays ineligible, whatever the plan said.
        eligible = is_eligible(results)
        if not eligible:
            status = S.INELIGIBLE
        elif status == S.INELIGIBLE:
            status = S.ELIGIBLE
    values = {
        "status": status,
        "requested_amount": requested,
        "eligibility": results,
        "status_reason": REASONS.get(status, ""),
        "submitted_at": application.submitted_at or (now - timedelta(days=9 - index % 8) if sent else None),
        "status_changed_at": application.status_changed_at or (now - timedelta(days=1) if sent else None),
    }
    changed = [name for name, value in values.items() if getattr(application, name) != value]
    for name in changed:
        setattr(application, name, values[name])
    if changed:
        application.save(update_fields=[*changed, "updated_at"])
    return application


@transaction.atomic
def demo_calls_load() -> tuple[Programme, Call, list[Application]]:
    """Create or update the demo programme, its call and the applications (demo organisations must be loaded)."""
    operator = Organization.objects.filter(registry=Registry.OTHER, registration_number=OPERATOR).first()
    if operator is None:
        raise ValueError("demo data: the MCISE organisation is missing (run load_demo_organizations first)")
    programme = _programme(operator)
    call = _call(programme)
    organizations = {
        organization.registration_number: organization
        for organization in Organization.objects.filter(
            registry=Registry.OTHER, registration_number__in=[key for key, _status in APPLICANTS]
        ).select_related("kind", "territory__parent__parent")
    }
    applications = [
        _application(call, organizations[key], status, index)
        for index, (key, status) in enumerate(APPLICANTS)
        if key in organizations
    ]
    return programme, call, applications
