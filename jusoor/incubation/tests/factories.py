from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from jusoor.calls.models import Application, Call
from jusoor.incubation.models import (
    Activity,
    CoachAssignment,
    CoachingSession,
    LocalTeam,
    LocalTeamMember,
    Registration,
)
from jusoor.organizations.tests.factories import OrganizationFactory
from jusoor.programmes.models import Programme


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    operator = factory.SubFactory(OrganizationFactory, country="MA")
    title_fr = factory.Sequence(lambda n: f"TAMURI {n}")
    title_ar = factory.Sequence(lambda n: f"تامري {n}")
    starts_on = date(2025, 1, 1)
    ends_on = date(2027, 12, 31)
    currency = "MAD"
    status = Programme.Status.ACTIVE


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    programme = factory.SubFactory(ProgrammeFactory)
    title_fr = factory.Sequence(lambda n: f"Appel {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=60))
    closes_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    published = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    organization = factory.SubFactory(OrganizationFactory, country="MA")
    status = Application.Status.SELECTED
    submitted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=40))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Activity.Kind.MASTERCLASS
    title = factory.Sequence(lambda n: f"Masterclass {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + timedelta(hours=3))
    place = "Rabat"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    name = factory.Sequence(lambda n: f"Participant {n}")
    email = factory.Sequence(lambda n: f"p{n}@example.org")


class CoachAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachAssignment

    programme = factory.SubFactory(ProgrammeFactory)
    organization = factory.SubFactory(OrganizationFactory, country="MA")


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingSession

    programme = factory.SubFactory(ProgrammeFactory)
    organization = factory.SubFactory(OrganizationFactory, country="MA")
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    duration_minutes = 90
    modality = CoachingSession.Modality.IN_PERSON
    topics = "Plan d'action"


class LocalTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalTeam

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Équipe locale {n}")


class LocalTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalTeamMember

    team = factory.SubFactory(LocalTeamFactory)
    name = factory.Sequence(lambda n: f"Membre {n}")
    role = LocalTeamMember.Role.ANIMATOR
