"""The calls API: the public list of open calls and one call (its rules in words, its form), a call's applications
(managers see every one, an organisation's members their own, reviewers nothing here), applying (with answers,
idempotent) and submitting (never after the deadline). Every refusal checks that nothing was written; responses are
checked against openapi/schema.yaml."""

from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import ngettext

from jusoor.accounts.models import Role, RoleGrant
from jusoor.accounts.tests.factories import UserFactory
from jusoor.api.tests.test_campaigns_api import api, assert_matches_schema, iso, translated
from jusoor.calls.models import Answer, Application, Call, Question
from jusoor.common.models import AuditEvent, IdempotencyRecord
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.organizations.tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    OrganizationKindFactory,
    ThemeFactory,
)
from jusoor.programmes.models import Programme, ProgrammeMember
from jusoor.programmes.tests.factories import ProgrammeFactory
from jusoor.territories.models import Territory

pytestmark = pytest.mark.django_db

URL = "/api/v1/calls/"
NOT_FOUND = {"code": "not_found", "message": "Not found.", "extra": {}}
NOT_AUTHENTICATED = {
    "code": "not_authenticated",
    "message": "Authentication credentials were not provided.",
    "extra": {},
}
PERMISSION_DENIED = {
    "code": "permission_denied",
    "message": "You do not have permission to perform this action.",
    "extra": {},
}
NOT_ORGANIZATION_ADMIN = {
    "code": "not_organization_admin",
    "message": "Only the owners and administrators of an organisation can apply on its behalf.",
    "extra": {},
}
DEADLINE = "The deadline of this call has passed: applications can no longer be submitted or changed."
CHOICES = [
    {"value": "youth", "label": {"ar": "الشباب", "fr": "Jeunes", "en": "Young people"}},
    {"value": "women", "label": {"ar": "النساء", "fr": "Femmes", "en": "Women"}},
]


def _territory(code: str, kind: str, names: tuple[str, str, str], parent: Territory | None = None) -> Territory:
    return Territory.objects.create(
        code=code,
        code_system="iso3166-2" if parent is None else "ma-hcp",
        country=code[:2] if parent is None else "MA",
        kind=kind,
        parent=parent,
        name_ar=names[0],
        name_fr=names[1],
        name_en=names[2],
    )


def make_call(programme: Programme, **kwargs: Any) -> Call:
    now = timezone.now()
    values: dict[str, Any] = {
        "title_ar": "دعوة تامري 2025",
        "title_fr": "Appel TAMURI 2025",
        "title_en": "TAMURI call 2025",
        "description_fr": "Pour les associations de Casablanca-Settat.",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
        "published": True,
        "require_verified": True,
        "eligible_countries": ["MA"],
    }
    values.update(kwargs)
    return Call.objects.create(programme=programme, **values)


@pytest.fixture
def world(db) -> dict[str, Any]:
    """TAMURI (education, Casablanca-Settat) with an open call of three questions (a short text and a budget
    required, a long text of at most 5 words, a single choice), a verified association in Sidi Belyout, another
    organisation, and the programme's manager and reviewer."""
    region = _territory("MA-06", "region", ("الدار البيضاء-سطات", "Casablanca-Settat", "Casablanca-Settat"))
    province = _territory("MA-CAS", "prefecture", ("عمالة الدار البيضاء", "Casablanca", "Casablanca"), region)
    commune = _territory("141.01.01", "commune", ("سيدي بليوط", "Sidi Belyout", "Sidi Belyout"), province)
    kind = OrganizationKindFactory(slug="association", label={"ar": "جمعية", "fr": "Association", "en": "Association"})
    education = ThemeFactory(slug="education", label={"ar": "التعليم", "fr": "Éducation", "en": "Education"})
    ThemeFactory(slug="health")
    operator = OrganizationFactory(name_ar="جمعية تامري", name_fr="Association Tamuri", name_en="", country="MA")
    programme = ProgrammeFactory(operator=operator, title_ar="تامري", title_fr="TAMURI", title_en="TAMURI")
    programme.territories.set([region])
    programme.themes.set([education])
    call = make_call(programme)
    short = Question.objects.create(
        call=call,
        position=0,
        kind=Question.Kind.SHORT_TEXT,
        label={"ar": "اسم المشروع", "fr": "Nom du projet", "en": "Project name"},
        help_text={"fr": "En une ligne."},
    )
    long = Question.objects.create(
        call=call,
        position=1,
        kind=Question.Kind.LONG_TEXT,
        label={"ar": "الهدف", "fr": "Objectif", "en": "Goal"},
        required=False,
        word_limit=5,
    )
    single = Question.objects.create(
        call=call,
        position=2,
        kind=Question.Kind.SINGLE_CHOICE,
        label={"ar": "الفئة المستهدفة", "fr": "Public visé", "en": "Who it is for"},
        required=False,
        choices=CHOICES,
    )
    budget = Question.objects.create(
        call=call, position=3, kind=Question.Kind.BUDGET, label={"ar": "الميزانية", "fr": "Budget", "en": "Budget"}
    )
    applicant = OrganizationFactory(
        name_ar="جمعية أفق",
        name_fr="Association Horizon",
        name_en="",
        country="MA",
        kind=kind,
        territory=commune,
        founded_on=datetime.date(2015, 3, 1),
        status=Organization.Status.VERIFIED,
    )
    return {
        "region": region,
        "commune": commune,
        "kind": kind,
        "operator": operator,
        "programme": programme,
        "call": call,
        "short": short,
        "long": long,
        "single": single,
        "budget": budget,
        "applicant": applicant,
        "other": OrganizationFactory(name_fr="Association Autre", country="MA"),
    }


ROLES = [
    "anonymous",
    "user",
    "member",
    "admin",
    "owner",
    "other_admin",
    "reviewer",
    "manager",
    "programme_manager",
    "platform_admin",
]


def person(role: str, world: dict[str, Any]) -> Any:
    """A user holding `role` towards the applicant organisation and the programme; None for anonymous."""
    if role == "anonymous":
        return None
    user = UserFactory(preferred_language="fr")
    if role in {"member", "admin", "owner"}:
        MembershipFactory(organization=world["applicant"], user=user, role=MembershipRole(role))
    elif role == "other_admin":
        MembershipFactory(organization=world["other"], user=user, role=MembershipRole.ADMIN)
    elif role in {"reviewer", "manager"}:
        ProgrammeMember.objects.create(programme=world["programme"], user=user, role=role)
    elif role == "programme_manager":
        RoleGrant.objects.create(user=user, role=Role.PROGRAMME_MANAGER)
    elif role == "platform_admin":
        RoleGrant.objects.create(user=user, role=Role.PLATFORM_ADMIN)
        TOTP.activate(user, generate_totp_secret())
    return user


def snapshot() -> tuple[Any, ...]:
    return (
        Application.objects.count(),
        Answer.objects.count(),
        AuditEvent.objects.count(),
        IdempotencyRecord.objects.count(),
        sorted(Application.objects.values_list("pk", "status", "submitted_at")),
    )


def answers(world: dict[str, Any]) -> dict[str, Any]:
    return {
        str(world["short"].pk): "Jeunes entrepreneurs de Casablanca",
        str(world["single"].pk): "youth",
        str(world["budget"].pk): [
            {"label": "Formation", "amount": "30000"},
            {"label": "Matériel", "amount": "15000.5"},
        ],
    }


def applications_url(call: Call) -> str:
    return f"{URL}{call.pk}/applications/"


def submit_url(application: Application) -> str:
    return f"{URL}{application.call_id}/applications/{application.pk}/submit/"


def draft_for(world: dict[str, Any], organization: Organization | None = None, **kwargs: Any) -> Application:
    values: dict[str, Any] = {
        "call": world["call"],
        "organization": organization or world["applicant"],
        "language": "fr",
    }
    values.update(kwargs)
    return Application.objects.create(**values)


def complete(world: dict[str, Any], application: Application) -> None:
    Answer.objects.create(application=application, question=world["short"], value="Jeunes entrepreneurs")
    Answer.objects.create(
        application=application, question=world["budget"], value=[{"label": "Formation", "amount": "30000.00"}]
    )
    Application.objects.filter(pk=application.pk).update(requested_amount=Decimal("30000"))


def ref(organization: Organization) -> dict[str, Any]:
    return {
        "id": organization.pk,
        "name": {"ar": organization.name_ar, "fr": organization.name_fr, "en": organization.name_en},
    }


# --- Open calls ---------------------------------------------------------------------------------------------------


def call_item(world: dict[str, Any], call: Call) -> dict[str, Any]:
    return {
        "id": call.pk,
        "title": {"ar": call.title_ar, "fr": call.title_fr, "en": call.title_en},
        "programme": {
            "id": world["programme"].pk,
            "title": {"ar": "تامري", "fr": "TAMURI", "en": "TAMURI"},
            "operator": ref(world["operator"]),
        },
        "opens_at": iso(call.opens_at),
        "closes_at": iso(call.closes_at),
        "is_open": True,
        "countries": call.eligible_countries,
    }


def test_the_list_shows_open_calls_nearest_deadline_first(world):
    now = timezone.now()
    sooner = make_call(world["programme"], title_fr="Appel éclair", closes_at=now + timedelta(days=2))
    make_call(world["programme"], title_fr="Clos", opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1))
    make_call(world["programme"], title_fr="Bientôt", opens_at=now + timedelta(days=1), closes_at=now + timedelta(9))
    make_call(world["programme"], title_fr="Pas publié", published=False)

    response = api().get(URL)

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "PaginatedCallListOutputList")
    assert body == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [call_item(world, sooner), call_item(world, world["call"])],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=MA", ["call", "anywhere"]),
        ("country=TN", ["anywhere"]),
        ("theme=education", ["call"]),
        ("theme=health", ["anywhere"]),
        ("programme={programme}", ["call"]),
        ("programme={other_programme}", ["anywhere"]),
        ("programme=999999", []),
    ],
)
def test_list_filters(world, query, expected):
    other_programme = ProgrammeFactory()
    other_programme.themes.set([ThemeFactory(slug="health")])
    anywhere = make_call(other_programme, eligible_countries=[], closes_at=timezone.now() + timedelta(days=40))
    world |= {"anywhere": anywhere}
    query = query.format(programme=world["programme"].pk, other_programme=other_programme.pk)
    body = api().get(f"{URL}?{query}").json()
    assert [item["id"] for item in body["results"]] == [world[name].pk for name in expected]


@pytest.mark.parametrize(
    ("query", "lang", "code", "message", "fields"),
    [
        ("theme=sport", "fr", "unknown_theme", "This theme does not exist.", None),
        (
            "country=DZ",
            "en",
            "invalid",
            "The request is not valid.",
            {"country": ['"DZ" is not allowed. Allowed values: TN, MA, FR.']},
        ),
        (
            "programme=abc",
            "en",
            "invalid",
            "The request is not valid.",
            {"programme": ["A valid integer is required."]},
        ),
    ],
)
def test_list_bad_filters_are_translated_400s(world, query, lang, code, message, fields):
    response = api().get(f"{URL}?{query}", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 400
    expected: dict[str, Any] = {"code": code, "message": translated(lang, message), "extra": {}}
    if fields:
        expected["extra"]["fields"] = fields
    assert response.json() == expected


def test_list_query_count_does_not_grow_with_the_calls(world, django_assert_num_queries):
    """A count and the page (with the programme and its operator)."""
    with django_assert_num_queries(2):
        api().get(URL)
    for _index in range(5):
        make_call(ProgrammeFactory())
    with django_assert_num_queries(2):
        assert api().get(URL).json()["count"] == 6


# --- One call -----------------------------------------------------------------------------------------------------


def test_detail_with_its_rules_in_words_and_its_form(world):
    call = world["call"]
    call.eligible_kinds.set([world["kind"]])
    call.eligible_territories.set([world["region"]])
    Call.objects.filter(pk=call.pk).update(minimum_age_months=24, max_requested=Decimal("100000"))

    response = api().get(f"{URL}{call.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "CallDetailOutput")
    region = {
        "code": "MA-06",
        "name": {"ar": "الدار البيضاء-سطات", "fr": "Casablanca-Settat", "en": "Casablanca-Settat"},
    }
    assert body == call_item(world, call) | {
        "primary_language": "fr",
        "description": {"ar": "", "fr": "Pour les associations de Casablanca-Settat.", "en": ""},
        "eligibility": {
            "kinds": [{"slug": "association", "name": {"ar": "جمعية", "fr": "Association", "en": "Association"}}],
            "countries": ["MA"],
            "territories": [region],
            "minimum_age_months": 24,
            "verified_only": True,
            "max_requested": "100000.00",
            "currency": "MAD",
            "rules": [
                {"rule": "kind", "text": "Organisations of these kinds can apply: Association."},
                {"rule": "country", "text": "Organisations registered in these countries can apply: Morocco."},
                {
                    "rule": "territory",
                    "text": "Organisations based in these territories (or in a place inside them) can apply: "
                    "Casablanca-Settat.",
                },
                {"rule": "age", "text": "The organisation must have been founded at least 24 months before applying."},
                {"rule": "verified", "text": "Only organisations verified on Jusoor can apply."},
                {"rule": "amount", "text": "At most MAD100,000.00 can be requested."},
            ],
        },
        "questions": [
            {
                "id": world["short"].pk,
                "position": 0,
                "kind": "short_text",
                "label": {"ar": "اسم المشروع", "fr": "Nom du projet", "en": "Project name"},
                "help_text": {"ar": "", "fr": "En une ligne.", "en": ""},
                "required": True,
                "word_limit": None,
                "choices": [],
            },
            {
                "id": world["long"].pk,
                "position": 1,
                "kind": "long_text",
                "label": {"ar": "الهدف", "fr": "Objectif", "en": "Goal"},
                "help_text": {"ar": "", "fr": "", "en": ""},
                "required": False,
                "word_limit": 5,
                "choices": [],
            },
            {
                "id": world["single"].pk,
                "position": 2,
                "kind": "single_choice",
                "label": {"ar": "الفئة المستهدفة", "fr": "Public visé", "en": "Who it is for"},
                "help_text": {"ar": "", "fr": "", "en": ""},
                "required": False,
                "word_limit": None,
                "choices": CHOICES,
            },
            {
                "id": world["budget"].pk,
                "position": 3,
                "kind": "budget",
                "label": {"ar": "الميزانية", "fr": "Budget", "en": "Budget"},
                "help_text": {"ar": "", "fr": "", "en": ""},
                "required": True,
                "word_limit": None,
                "choices": [],
            },
        ],
    }


def test_the_rules_are_worded_in_the_callers_language(world):
    Call.objects.filter(pk=world["call"].pk).update(minimum_age_months=1)
    rules = api().get(f"{URL}{world['call'].pk}/", HTTP_ACCEPT_LANGUAGE="fr").json()["eligibility"]["rules"]
    assert rules == [
        {
            "rule": "country",
            "text": translated("fr", "Organisations registered in these countries can apply: %(countries)s.")
            % {"countries": "Maroc"},
        },
        {
            "rule": "age",
            "text": translated(
                "fr", "The organisation must have been founded at least %(count)d month before applying."
            )
            % {"count": 1},
        },
        {"rule": "verified", "text": translated("fr", "Only organisations verified on Jusoor can apply.")},
    ]


def test_a_closed_call_stays_readable_an_unpublished_one_is_hidden(world):
    now = timezone.now()
    closed = make_call(world["programme"], opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1))
    hidden = make_call(world["programme"], published=False)
    closed_body = api().get(f"{URL}{closed.pk}/").json()
    assert (closed_body["id"], closed_body["is_open"]) == (closed.pk, False)
    assert api().get(f"{URL}{hidden.pk}/", HTTP_ACCEPT_LANGUAGE="en").json() == NOT_FOUND
    assert api(person("other_admin", world)).get(f"{URL}{hidden.pk}/").status_code == 404
    assert api(person("manager", world)).get(f"{URL}{hidden.pk}/").status_code == 200


@pytest.mark.parametrize("raw_id", ["999999", "abc", "99999999999999999999"])
def test_unknown_call_is_a_json_404(world, raw_id):
    for url in (f"{URL}{raw_id}/", f"{URL}{raw_id}/applications/"):
        response = api(person("manager", world)).get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


# --- A call's applications ----------------------------------------------------------------------------------------


def submitted(
    world: dict[str, Any], organization: Organization, status: str = "eligible", **kwargs: Any
) -> Application:
    values: dict[str, Any] = {
        "status": status,
        "submitted_at": timezone.now(),
        "requested_amount": Decimal("45000.5"),
        "eligibility": [
            {
                "rule": "country",
                "ok": True,
                "reason": {"ar": "بلد مقبول.", "fr": "Pays accepté.", "en": "Accepted country."},
            }
        ],
    }
    values.update(kwargs)
    return draft_for(world, organization, **values)


def test_managers_see_every_submitted_application(world):
    mine = submitted(world, world["applicant"])
    others = submitted(world, world["other"], status="ineligible", submitted_at=timezone.now() - timedelta(days=1))
    draft_for(world, OrganizationFactory())  # drafts are left out

    response = api(person("manager", world)).get(applications_url(world["call"]), HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "PaginatedApplicationOutputList")
    assert body["count"] == 2
    assert body["results"][0] == {
        "id": mine.pk,
        "call": world["call"].pk,
        "organisation": ref(world["applicant"]),
        "status": "eligible",
        "status_reason": "",
        "requested_amount": "45000.50",
        "currency": "MAD",
        "language": "fr",
        "eligibility": [{"rule": "country", "ok": True, "reason": "Pays accepté."}],
        "created_at": iso(mine.created_at),
        "submitted_at": iso(mine.submitted_at),
        "status_changed_at": None,
    }
    assert body["results"][1]["id"] == others.pk


def test_managers_filter_by_status_drafts_included_when_asked(world):
    eligible = submitted(world, world["applicant"])
    draft = draft_for(world, world["other"])
    client = api(person("manager", world))
    assert [a["id"] for a in client.get(f"{applications_url(world['call'])}?status=draft").json()["results"]] == [
        draft.pk
    ]
    assert [a["id"] for a in client.get(f"{applications_url(world['call'])}?status=eligible").json()["results"]] == [
        eligible.pk
    ]
    response = client.get(f"{applications_url(world['call'])}?status=accepted", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["extra"]["fields"]) == ["status"]


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("anonymous", 401, NOT_AUTHENTICATED),
        ("user", 403, PERMISSION_DENIED),
        ("reviewer", 403, PERMISSION_DENIED),
        ("member", 200, ["own_draft", "own_app"]),
        ("admin", 200, ["own_draft", "own_app"]),
        ("owner", 200, ["own_draft", "own_app"]),
        ("other_admin", 200, []),
        ("manager", 200, ["own_app", "other_app"]),
        ("programme_manager", 200, ["own_app", "other_app"]),
        ("platform_admin", 200, ["own_app", "other_app"]),
    ],
)
def test_who_sees_which_applications(world, role, status, expected):
    own = submitted(world, world["applicant"])
    other = submitted(world, OrganizationFactory(), submitted_at=timezone.now() - timedelta(days=1))
    second_call = make_call(world["programme"])
    own_draft = draft_for(world, world["applicant"], call=second_call)  # the applicant's, in another call
    world = world | {"own_app": own, "other_app": other}
    user = person(role, world)

    response = api(user).get(applications_url(world["call"]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == status
    if status != 200:
        assert response.json() == expected
        return
    if "own_draft" in expected:  # the applicant also sees its draft in the other call, there
        listed = api(user).get(applications_url(second_call)).json()["results"]
        assert [a["id"] for a in listed] == [own_draft.pk]
        expected = [name for name in expected if name != "own_draft"]
    assert [a["id"] for a in response.json()["results"]] == [world[name].pk for name in expected]


def test_the_managers_list_query_count_is_the_same_for_3_and_30_applications(world):
    client = api(person("manager", world))
    for _index in range(3):
        submitted(world, OrganizationFactory(country="MA"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(applications_url(world["call"]))
        assert response.status_code == 200
        return len(queries.captured_queries)

    few = count()
    assert few == 9  # session, user, the call (with its kinds, territories), platform and team roles, count, page
    for _index in range(27):
        submitted(world, OrganizationFactory(country="MA"))
    assert count() == few
    assert len(client.get(applications_url(world["call"])).json()["results"]) == 30


# --- Applying -----------------------------------------------------------------------------------------------------


def apply(user: Any, world: dict[str, Any], body: dict[str, Any], *, key: str | None = None, lang: str = "en"):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return api(user).post(applications_url(world["call"]), body, format="json", **headers)


def test_an_administrator_starts_an_application_with_answers(world):
    admin = person("admin", world)

    response = apply(admin, world, {"organisation": world["applicant"].pk, "answers": answers(world)})

    assert response.status_code == 201
    body = response.json()
    assert_matches_schema(body, "ApplicationDetailOutput")
    application = Application.objects.get()
    assert body == {
        "id": application.pk,
        "call": world["call"].pk,
        "organisation": ref(world["applicant"]),
        "status": "draft",
        "status_reason": "",
        "requested_amount": "45000.50",
        "currency": "MAD",
        "language": "fr",
        "eligibility": [],
        "created_at": iso(application.created_at),
        "submitted_at": None,
        "status_changed_at": None,
        "answers": [
            {"question": world["short"].pk, "value": "Jeunes entrepreneurs de Casablanca"},
            {"question": world["single"].pk, "value": "youth"},
            {
                "question": world["budget"].pk,
                "value": [{"label": "Formation", "amount": "30000.00"}, {"label": "Matériel", "amount": "15000.50"}],
            },
        ],
    }
    assert list(AuditEvent.objects.order_by("pk").values_list("action", "actor_id")) == [
        ("calls.application.started", admin.pk),
        ("calls.application.answers_saved", admin.pk),
    ]


def test_an_application_may_start_without_answers(world):
    response = apply(person("owner", world), world, {"organisation": world["applicant"].pk})
    assert response.status_code == 201
    assert (response.json()["answers"], response.json()["requested_amount"]) == ([], None)


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("anonymous", 401, NOT_AUTHENTICATED),
        ("user", 403, NOT_ORGANIZATION_ADMIN),
        ("member", 403, NOT_ORGANIZATION_ADMIN),
        ("other_admin", 403, NOT_ORGANIZATION_ADMIN),
        ("reviewer", 403, NOT_ORGANIZATION_ADMIN),
        ("manager", 403, NOT_ORGANIZATION_ADMIN),
        ("programme_manager", 403, NOT_ORGANIZATION_ADMIN),
        ("platform_admin", 403, NOT_ORGANIZATION_ADMIN),
        ("admin", 201, None),
        ("owner", 201, None),
    ],
)
def test_who_may_apply_for_the_organisation(world, role, status, expected):
    user = person(role, world)
    before = snapshot()

    response = apply(user, world, {"organisation": world["applicant"].pk, "answers": answers(world)})

    assert response.status_code == status
    if expected is not None:
        assert response.json() == expected
        assert snapshot() == before
    else:
        assert Application.objects.get().organization == world["applicant"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"answers": {}}, {"organisation": ["This field is required."]}),
        ({"organisation": 999999}, {"organisation": ["This organisation does not exist."]}),
        ({"organisation": "x"}, {"organisation": ["A valid integer is required."]}),
        ({"organisation": "{org}", "status": "selected"}, {"status": ["This field does not exist."]}),
        (
            {"organisation": "{org}", "answers": {"name": "x"}},
            {"answers": ["Answers are given by question id: whole numbers such as 12."]},
        ),
        (
            {"organisation": "{org}", "answers": ["x"]},
            {"answers": ["Answers are given by question id: whole numbers such as 12."]},
        ),
    ],
)
def test_bad_bodies_are_400s_and_write_nothing(world, body, fields):
    body = {key: (world["applicant"].pk if value == "{org}" else value) for key, value in body.items()}
    before = snapshot()
    response = apply(person("admin", world), world, body)
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "message": "The request is not valid.", "extra": {"fields": fields}}
    assert snapshot() == before


def test_one_invalid_answer_refuses_the_whole_application(world):
    admin = person("admin", world)
    before = snapshot()
    body = {
        "organisation": world["applicant"].pk,
        "answers": answers(world) | {str(world["long"].pk): "un deux trois quatre cinq six"},
    }

    response = apply(admin, world, body, lang="fr")

    assert response.status_code == 400
    message = translated("fr", "Some answers are not valid: see the questions marked below.")
    with translation.override("fr"):
        too_long = ngettext(
            "Write at most %(limit)d word (you wrote %(count)d).",
            "Write at most %(limit)d words (you wrote %(count)d).",
            5,
        ) % {"limit": 5, "count": 6}
    assert response.json() == {
        "code": "answer_invalid",
        "message": message,
        "extra": {"fields": {f"q{world['long'].pk}": [too_long]}},
    }
    assert snapshot() == before  # not even the draft


def test_an_answer_to_a_question_of_another_call_is_refused(world):
    stranger = Question.objects.create(call=make_call(world["programme"]), kind="short_text", label={"fr": "Autre"})
    before = snapshot()
    response = apply(
        person("admin", world), world, {"organisation": world["applicant"].pk, "answers": {str(stranger.pk): "x"}}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "answer_invalid"
    assert snapshot() == before


def test_applying_after_the_deadline_is_refused(world):
    now = timezone.now()
    Call.objects.filter(pk=world["call"].pk).update(
        opens_at=now - timedelta(days=9), closes_at=now - timedelta(seconds=1)
    )
    before = snapshot()
    response = apply(
        person("admin", world), world, {"organisation": world["applicant"].pk, "answers": answers(world)}, lang="ar"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "deadline_passed",
        "message": translated("ar", DEADLINE),
        "extra": {"fields": {"__all__": [translated("ar", DEADLINE)]}},
    }
    assert snapshot() == before


def test_an_unpublished_call_is_a_404(world):
    hidden = make_call(world["programme"], published=False)
    before = snapshot()
    response = api(person("admin", world)).post(
        applications_url(hidden), {"organisation": world["applicant"].pk}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert snapshot() == before


def test_a_second_application_of_the_organisation_is_a_409(world):
    existing = draft_for(world)
    before = snapshot()
    response = apply(person("admin", world), world, {"organisation": world["applicant"].pk, "answers": answers(world)})
    assert response.status_code == 409
    assert response.json() == {
        "code": "already_applied",
        "message": f"This organisation has already applied to this call (application {existing.pk}).",
        "extra": {},
    }
    assert snapshot() == before


def test_a_retry_with_the_same_idempotency_key_returns_the_first_application(world):
    admin = person("admin", world)
    body = {"organisation": world["applicant"].pk, "answers": answers(world)}
    first = apply(admin, world, body, key="apply-7f3a")
    after_first = snapshot()

    again = apply(admin, world, body, key="apply-7f3a")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert snapshot() == after_first
    conflict = apply(admin, world, body | {"answers": {}}, key="apply-7f3a")
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "idempotency_key_reused"
    assert snapshot() == after_first
    bad_key = apply(admin, world, body, key="with space")
    assert bad_key.status_code == 400
    assert list(bad_key.json()["extra"]["fields"]) == ["Idempotency-Key"]


# --- Submitting ---------------------------------------------------------------------------------------------------


def submit(user: Any, application: Application, lang: str = "en"):
    return api(user).post(submit_url(application), format="json", HTTP_ACCEPT_LANGUAGE=lang)


def test_submitting_checks_eligibility_and_tells_why_in_the_callers_language(world, django_capture_on_commit_callbacks):
    application = draft_for(world)
    complete(world, application)
    admin = person("admin", world)

    with django_capture_on_commit_callbacks(execute=True):
        response = submit(admin, application, lang="fr")

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(body, "ApplicationDetailOutput")
    application.refresh_from_db()
    assert (body["status"], application.status) == ("eligible", "eligible")
    assert body["submitted_at"] == iso(application.submitted_at)
    assert [(item["rule"], item["ok"]) for item in body["eligibility"]] == [("country", True), ("verified", True)]
    assert body["eligibility"][1]["reason"] == translated("fr", "Your organisation is verified.")
    assert [event.action for event in AuditEvent.objects.order_by("pk")] == [
        "calls.application.submitted",
        "calls.application.eligibility_checked",
    ]
    assert [message.to for message in mail.outbox] == [[admin.email]]


def test_submitting_after_the_deadline_is_a_400_and_writes_nothing(world):
    application = draft_for(world)
    complete(world, application)
    now = timezone.now()
    Call.objects.filter(pk=world["call"].pk).update(
        opens_at=now - timedelta(days=9), closes_at=now - timedelta(seconds=1)
    )
    before = snapshot()

    response = submit(person("admin", world), application, lang="fr")

    assert response.status_code == 400
    assert response.json() == {
        "code": "deadline_passed",
        "message": translated("fr", DEADLINE),
        "extra": {"fields": {"__all__": [translated("fr", DEADLINE)]}},
    }
    assert snapshot() == before
    assert mail.outbox == []


def test_submitting_with_required_answers_missing_is_a_400(world):
    application = draft_for(world)
    Answer.objects.create(application=application, question=world["short"], value="Projet")
    before = snapshot()
    response = submit(person("admin", world), application)
    assert response.status_code == 400
    message = "Answer every required question before sending the application."
    assert response.json() == {
        "code": "answers_missing",
        "message": message,
        "extra": {"fields": {"__all__": [message], f"q{world['budget'].pk}": ["This question needs an answer."]}},
    }
    assert snapshot() == before


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("anonymous", 401, NOT_AUTHENTICATED),
        ("user", 404, NOT_FOUND),
        ("other_admin", 404, NOT_FOUND),
        ("reviewer", 404, NOT_FOUND),
        ("member", 403, PERMISSION_DENIED),
        ("manager", 403, PERMISSION_DENIED),
        ("programme_manager", 403, PERMISSION_DENIED),
        ("platform_admin", 403, PERMISSION_DENIED),
        ("admin", 200, None),
        ("owner", 200, None),
    ],
)
def test_who_may_submit(world, role, status, expected):
    application = draft_for(world)
    complete(world, application)
    user = person(role, world)
    before = snapshot()

    response = submit(user, application)

    assert response.status_code == status
    if expected is not None:
        assert response.json() == expected
        assert snapshot() == before
    else:
        assert response.json()["status"] == "eligible"


def test_submitting_again_changes_nothing(world):
    application = draft_for(world)
    complete(world, application)
    admin = person("admin", world)
    first = submit(admin, application)
    after = snapshot()
    again = submit(admin, application)
    assert (again.status_code, again.json()) == (200, first.json())
    assert snapshot() == after


def test_a_withdrawn_application_cannot_be_submitted(world):
    application = draft_for(world, status="withdrawn")
    complete(world, application)
    before = snapshot()
    response = submit(person("admin", world), application)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_transition"
    assert snapshot() == before


def test_an_application_is_reached_through_its_own_call_only(world):
    application = draft_for(world)
    complete(world, application)
    other_call = make_call(world["programme"])
    before = snapshot()
    response = api(person("admin", world)).post(
        f"{URL}{other_call.pk}/applications/{application.pk}/submit/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert snapshot() == before


# --- One application: reading it, changing a draft's answers -----------------------------------------------------


def detail_url(application: Application) -> str:
    return f"{URL}{application.call_id}/applications/{application.pk}/"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("user", 404),
        ("other_admin", 404),
        ("reviewer", 404),
        ("member", 200),
        ("admin", 200),
        ("manager", 200),
        ("platform_admin", 200),
    ],
)
def test_who_may_read_an_application(world, role, status):
    application = draft_for(world)
    complete(world, application)
    response = api(person(role, world)).get(detail_url(application), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status
    if status == 200:
        assert_matches_schema(response.json(), "ApplicationDetailOutput")
        assert response.json()["answers"] == [
            {"question": world["short"].pk, "value": "Jeunes entrepreneurs"},
            {"question": world["budget"].pk, "value": [{"label": "Formation", "amount": "30000.00"}]},
        ]


def patch(user: Any, application: Application, body: dict[str, Any], lang: str = "en"):
    return api(user).patch(detail_url(application), body, format="json", HTTP_ACCEPT_LANGUAGE=lang)


def test_an_administrator_changes_a_drafts_answers(world):
    application = draft_for(world)
    complete(world, application)
    admin = person("admin", world)

    response = patch(
        admin,
        application,
        {"answers": {str(world["short"].pk): "", str(world["budget"].pk): [{"label": "Loyer", "amount": "1200"}]}},
    )

    assert response.status_code == 200
    assert response.json()["answers"] == [
        {"question": world["budget"].pk, "value": [{"label": "Loyer", "amount": "1200.00"}]}
    ]
    assert response.json()["requested_amount"] == "1200.00"
    assert AuditEvent.objects.get().action == "calls.application.answers_saved"


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("anonymous", 401, NOT_AUTHENTICATED),
        ("user", 404, NOT_FOUND),
        ("other_admin", 404, NOT_FOUND),
        ("reviewer", 404, NOT_FOUND),
        ("member", 403, PERMISSION_DENIED),
        ("manager", 403, PERMISSION_DENIED),
        ("platform_admin", 403, PERMISSION_DENIED),
        ("owner", 200, None),
    ],
)
def test_who_may_change_the_answers(world, role, status, expected):
    application = draft_for(world)
    complete(world, application)
    before = snapshot()
    answers_before = sorted(Answer.objects.values_list("question_id", "value"))

    response = patch(person(role, world), application, {"answers": {str(world["short"].pk): "Autre nom"}})

    assert response.status_code == status
    if expected is not None:
        assert response.json() == expected
        assert snapshot() == before
        assert sorted(Answer.objects.values_list("question_id", "value")) == answers_before


def test_a_sent_application_cannot_change(world):
    application = submitted(world, world["applicant"])
    before = snapshot()
    response = patch(person("admin", world), application, {"answers": {str(world["short"].pk): "Autre"}}, lang="fr")
    message = translated("fr", "This application has been sent: it can no longer be changed.")
    assert response.status_code == 400
    assert response.json() == {"code": "not_editable", "message": message, "extra": {"fields": {"__all__": [message]}}}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"answers": ["This field is required."]}),
        ({"answers": None}, {"answers": ["This field may not be null."]}),
        ({"answers": {"-1": "x"}}, {"answers": ["Answers are given by question id: whole numbers such as 12."]}),
    ],
)
def test_bad_answer_bodies_are_400s(world, body, fields):
    application = draft_for(world)
    before = snapshot()
    response = patch(person("admin", world), application, body)
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "message": "The request is not valid.", "extra": {"fields": fields}}
    assert snapshot() == before
