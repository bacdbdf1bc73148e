"""Demo incubation data for `make run` (seed 002, TAMURI; seed 003, territorial coaching in Kissar).

Works with or without the other demos. The programme is the "TAMURI" one (made by `load_demo_programmes`, which is
run here when the MCISE demo organisation exists); without the organisations demo, a small programme "TAMURI" and
its operator are created with the ORM. Organisations are the Moroccan demo associations, or three created here.
Territories are used when `load_territories` has run, otherwise left empty.

Idempotent: everything is found again by a natural key (activity title, registration e-mail, session date and topics,
team name…). Rows are written with the ORM in one transaction: seed data, not user actions (no audit events).
"""

from __future__ import annotations

import datetime
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jusoor.calls.models import Application
from jusoor.incubation.models import (
    Activity,
    Attendance,
    CoachAssignment,
    CoachingSession,
    Cohort,
    CohortMembership,
    Feedback,
    LocalTeam,
    LocalTeamMember,
    Milestone,
    Registration,
)
from jusoor.organizations.models import Organization, OrganizationKind
from jusoor.programmes.models import Programme, ProgrammeMember, ProgrammeRole
from jusoor.territories.models import Territory

ORGANIZATION_KEYS = (
    "DEMO-MA-HORIZON-CASA",
    "DEMO-MA-RIF-VERT",
    "DEMO-MA-FEMMES-ORIENTAL",
    "DEMO-MA-SOUSS-SANTE",
    "DEMO-MA-CITOYENNETE-BM",
)
FALLBACK_ORGANIZATIONS = (
    ("DEMO-MA-INCUBATION-1", "جمعية أفق للتنمية", "Association Horizon Développement"),
    ("DEMO-MA-INCUBATION-2", "جمعية نساء الجهة الشرقية", "Association des femmes de l'Oriental"),
    ("DEMO-MA-INCUBATION-3", "جمعية سوس للصحة", "Association Souss Santé"),
)
PARTICIPANTS = [
    ("Salma Bennani", "women", "15-24"),
    ("Youssef Amrani", "men", "25-34"),
    ("Hajar El Fassi", "women", "25-34"),
    ("Amine Tazi", "men", "15-24"),
    ("Nadia Ouazzani", "women", "35-54"),
    ("Karim Berrada", "men", "35-54"),
    ("Imane Alaoui", "women", "15-24"),
    ("Omar Chraibi", "men", "25-34"),
    ("Fatima Zahra Idrissi", "women", "25-34"),
    ("Mehdi Lahlou", "men", "15-24"),
    ("Khadija Benjelloun", "women", "55+"),
    ("Rachid Naciri", "men", "35-54"),
]
TOPICS = [
    (
        "Diagnostic organisationnel",
        "Cartographier les forces et les besoins",
        "Partager les statuts et le dernier bilan",
    ),
    ("Plan d'action annuel", "Trois priorités pour l'année", "Chiffrer chaque priorité"),
    ("Budget et recherche de financements", "Un budget par activité", "Préparer une note conceptuelle"),
    ("Gouvernance et rôle du bureau", "Réunion du bureau chaque mois", "Rédiger un règlement intérieur"),
    ("Communication et plaidoyer", "Une page publique et un calendrier éditorial", "Publier le premier article"),
]


def _user(email: str, full_name: str, language: str = "fr") -> Any:
    user = get_user_model().objects.filter(email=email).first()
    if user is None:
        user = get_user_model().objects.create_user(
            email=email, password=None, full_name=full_name, preferred_language=language
        )
    return user


def _territory(**lookup: Any) -> Territory | None:
    return Territory.objects.filter(**lookup).order_by("id").first()


def _kind() -> OrganizationKind:
    return OrganizationKind.objects.get_or_create(
        slug="association", defaults={"label": {"ar": "جمعية", "fr": "Association", "en": "Association"}}
    )[0]


def _programme() -> Programme:
    programme = Programme.objects.filter(title_fr="TAMURI").order_by("id").first()
    if programme is None and Organization.objects.filter(registration_number="DEMO-MA-MCISE").exists():
        from jusoor.programmes.demo import demo_programmes_load  # noqa: PLC0415  (only when its data is there)

        programme = demo_programmes_load()
    if programme is None:
        operator, _created = Organization.objects.get_or_create(
            registration_number="DEMO-MA-INCUBATION-MCISE",
            defaults={
                "name_fr": "MCISE (démo)",
                "name_ar": "المركز المغربي للابتكار والمقاولة الاجتماعية",
                "country": "MA",
                "kind": _kind(),
                "primary_language": "fr",
                "status": Organization.Status.VERIFIED,
            },
        )
        programme = Programme.objects.create(
            operator=operator,
            title_fr="TAMURI",
            title_ar="تامري",
            title_en="TAMURI",
            starts_on=datetime.date(2022, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            currency="MAD",
            status=Programme.Status.ACTIVE,
        )
    return programme


def _organizations() -> list[Organization]:
    found = list(Organization.objects.filter(registration_number__in=ORGANIZATION_KEYS).order_by("registration_number"))
    if found:
        return found
    return [
        Organization.objects.get_or_create(
            registration_number=key,
            defaults={
                "name_ar": name_ar,
                "name_fr": name_fr,
                "country": "MA",
                "kind": _kind(),
                "primary_language": "ar",
                "status": Organization.Status.VERIFIED,
            },
        )[0]
        for key, name_ar, name_fr in FALLBACK_ORGANIZATIONS
    ]


def _activity(programme: Programme, title: str, **values: Any) -> Activity:
    activity = Activity.objects.filter(programme=programme, title=title).first()
    if activity is None:
        activity = Activity.objects.create(programme=programme, title=title, **values)
    return activity


def _attend(
    activity: Activity, organizations: list[Organization], people: list[tuple[str, str, str]], present: int
) -> None:
    for index, (name, sex, age_band) in enumerate(people):
        email = f"{name.lower().replace(' ', '.')}@participants.jusoor.demo"
        registration, _created = Registration.objects.get_or_create(
            activity=activity,
            email=email,
            defaults={
                "name": name,
                "sex": sex,
                "age_band": age_band,
                "organization": organizations[index % len(organizations)],
            },
        )
        if index < present and activity.status == Activity.Status.HELD:
            Attendance.objects.get_or_create(
                registration=registration,
                defaults={
                    "activity": activity,
                    "checked_in_at": activity.starts_at + timedelta(minutes=10 + index),
                    "method": Attendance.Method.QR if index % 2 else Attendance.Method.SHEET,
                },
            )


@transaction.atomic
def demo_incubation_load() -> dict[str, int]:
    programme = _programme()
    manager = _user("manager@jusoor.demo", "Youssef El Idrissi")
    coach = _user("coach@jusoor.demo", "Karim Ait Lahcen", "ar")
    territorial_coach = _user("coach.kissar@jusoor.demo", "Samira Bouzidi", "ar")
    for user, role in (
        (manager, ProgrammeRole.MANAGER),
        (coach, ProgrammeRole.COACH),
        (territorial_coach, ProgrammeRole.COACH),
    ):
        ProgrammeMember.objects.get_or_create(programme=programme, user=user, role=role)
    organizations = _organizations()
    now = timezone.now()

    cohort, _created = Cohort.objects.get_or_create(
        programme=programme, name="Cohorte 2025", defaults={"created_by": manager}
    )
    for organization in organizations:
        application = Application.objects.filter(
            call__programme=programme, organization=organization, status=Application.Status.SELECTED
        ).first()
        CohortMembership.objects.get_or_create(
            cohort=cohort,
            organization=organization,
            defaults={"application": application, "joined_at": now - timedelta(days=90)},
        )

    rabat = _territory(country="MA", kind="commune", name_fr="Rabat") or _territory(code="MA-04")
    casablanca = _territory(country="MA", kind="commune", name_fr="Casablanca") or _territory(code="MA-06")
    agadir = _territory(country="MA", kind="commune", name_fr="Agadir") or _territory(code="MA-09")
    kissar_org = Organization.objects.filter(registration_number="DEMO-MA-COMMUNE-KISSAR").first()
    kissar = (kissar_org.territory if kissar_org else None) or _territory(
        country="MA", kind="commune", name_ar__contains="كيسر"
    )
    day = now.replace(hour=9, minute=0, second=0, microsecond=0)

    hackathon = _activity(
        programme,
        "Hackathon civique de Rabat",
        kind=Activity.Kind.HACKATHON,
        cohort=cohort,
        language="fr",
        starts_at=day - timedelta(days=60),
        ends_at=day - timedelta(days=59),
        place="Technopark, Rabat",
        territory=rabat,
        capacity=80,
        status=Activity.Status.HELD,
        facilitator_names="Équipe MCISE",
        created_by=manager,
    )
    bootcamp = _activity(
        programme,
        "Bootcamp : gérer un projet associatif",
        kind=Activity.Kind.BOOTCAMP,
        cohort=cohort,
        language="fr",
        starts_at=day - timedelta(days=40),
        ends_at=day - timedelta(days=38),
        place="Casablanca",
        territory=casablanca,
        capacity=40,
        status=Activity.Status.HELD,
        created_by=manager,
    )
    masterclass = _activity(
        programme,
        "ماستركلاس: تعبئة التمويل",
        kind=Activity.Kind.MASTERCLASS,
        cohort=cohort,
        language="ar",
        starts_at=day - timedelta(days=25),
        ends_at=day - timedelta(days=25, hours=-3),
        online_link="https://meet.jusoor.demo/masterclass-financement",
        status=Activity.Status.HELD,
        created_by=manager,
    )
    _activity(
        programme,
        "Masterclass : plaidoyer et communication",
        kind=Activity.Kind.MASTERCLASS,
        cohort=cohort,
        language="fr",
        starts_at=day + timedelta(days=10),
        ends_at=day + timedelta(days=10, hours=3),
        place="Agadir",
        territory=agadir,
        capacity=30,
        created_by=manager,
    )
    _activity(
        programme,
        "Demo Day TAMURI",
        kind=Activity.Kind.DEMO_DAY,
        cohort=cohort,
        language="fr",
        starts_at=day + timedelta(days=30),
        ends_at=day + timedelta(days=30, hours=6),
        place="Casablanca",
        territory=casablanca,
        capacity=150,
        created_by=manager,
    )
    for activity in (hackathon, bootcamp, masterclass):
        activity.facilitators.add(coach)
    _attend(hackathon, organizations, PARTICIPANTS, present=10)
    _attend(bootcamp, organizations, PARTICIPANTS[:8], present=7)
    _attend(masterclass, organizations, PARTICIPANTS[4:], present=6)
    if not Feedback.objects.filter(activity=hackathon).exists():
        for rating, comment in (
            (5, "Très bonne dynamique entre associations."),
            (4, ""),
            (4, "Plus de temps pour le pitch."),
        ):
            Feedback.objects.create(activity=hackathon, rating=rating, comment=comment, anonymous=True)

    sessions = 0
    for index, organization in enumerate(organizations):
        CoachAssignment.objects.get_or_create(
            programme=programme, coach=coach, organization=organization, defaults={"assigned_by": manager}
        )
        # 13 organisation sessions in all (plus 2 of the local team: 15), spread over the organisations.
        count = 13 // len(organizations) + (1 if index < 13 % len(organizations) else 0)
        for step, (topics, agreed, next_steps) in enumerate(TOPICS[:count]):
            session_day = (now - timedelta(days=85 - 15 * step - index)).date()
            _session, _created = CoachingSession.objects.get_or_create(
                programme=programme,
                organization=organization,
                coach=coach,
                date=session_day,
                topics=topics,
                defaults={
                    "duration_minutes": 60 + 30 * (step % 2),
                    "modality": ("in_person", "online", "phone")[step % 3],
                    "agreed": agreed,
                    "next_steps": next_steps,
                    "status": CoachingSession.Status.CONFIRMED if step < 2 else CoachingSession.Status.LOGGED,
                    "confirmed_at": now - timedelta(days=70 - 20 * step) if step < 2 else None,
                },
            )
            sessions += 1
        Milestone.objects.get_or_create(
            programme=programme,
            organization=organization,
            label="Plan d'action validé",
            defaults={
                "date": (now - timedelta(days=45)).date(),
                "kind": Milestone.Kind.ACTION_PLAN,
                "created_by": coach,
            },
        )

    team_territory = kissar or rabat
    if team_territory is not None:
        team, _created = LocalTeam.objects.get_or_create(
            programme=programme,
            name="Équipe locale de coaching territorial de Kissar",
            defaults={
                "territory": team_territory,
                "partner": "Aswak Kissar (SDL) · CGLU Afrique",
                "created_by": manager,
            },
        )
        LocalTeamMember.objects.get_or_create(
            team=team, name="Samira Bouzidi", defaults={"user": territorial_coach, "role": LocalTeamMember.Role.COACH}
        )
        LocalTeamMember.objects.get_or_create(
            team=team, name="Mohamed Daoudi", defaults={"role": LocalTeamMember.Role.OFFICIAL}
        )
        for n in range(1, 16):
            LocalTeamMember.objects.get_or_create(
                team=team, name=f"Animateur·rice {n}", defaults={"role": LocalTeamMember.Role.ANIMATOR}
            )
        training = _activity(
            programme,
            "Posture et prise de parole en public",
            kind=Activity.Kind.TEAM_TRAINING,
            local_team=team,
            language="fr",
            starts_at=day - timedelta(days=15),
            ends_at=day - timedelta(days=15, hours=-4),
            place="Souk hebdomadaire de Kissar",
            territory=team_territory,
            capacity=20,
            status=Activity.Status.HELD,
            created_by=manager,
        )
        training.facilitators.add(territorial_coach)
        for topics in ("Sociogramme territorial : cartographie des acteurs", "Gérer la pression en réunion publique"):
            CoachingSession.objects.get_or_create(
                programme=programme,
                local_team=team,
                coach=territorial_coach,
                topics=topics,
                defaults={
                    "date": (now - timedelta(days=20 if "Socio" in topics else 8)).date(),
                    "duration_minutes": 180,
                    "modality": CoachingSession.Modality.IN_PERSON,
                    "status": CoachingSession.Status.LOGGED,
                },
            )
            sessions += 1
    return {
        "programme": programme.pk,
        "activities": Activity.objects.filter(programme=programme).count(),
        "attendances": Attendance.objects.filter(activity__programme=programme).count(),
        "sessions": CoachingSession.objects.filter(programme=programme).count(),
    }
