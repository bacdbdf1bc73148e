"""The support programme's journey (issue 5): a programme manager publishes a call for applications in French; a
verified Moroccan association's administrator applies in Arabic and submits; the manager sets the rubric, starts the
review and assigns two reviewers, who each score the application and submit; the manager selects it from the
ranking, forms the cohort and assigns a coach; the coach logs a session that the association confirms in Arabic;
the programme's results dashboard then counts 1 application received, 1 organisation supported and 1 coaching
session."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import Browser, BrowserContext, Page, expect

from e2e.test_registry_journey import log_in
from jusoor.accounts.tests.factories import PASSWORD, UserFactory
from jusoor.calls.models import Answer, Application, Call, Question
from jusoor.common.money import format_money
from jusoor.incubation.models import CoachAssignment, CoachingSession, Cohort
from jusoor.organizations.models import MembershipRole, Organization
from jusoor.organizations.tests.factories import MembershipFactory, OrganizationFactory, OrganizationKindFactory
from jusoor.programmes.models import Indicator, IndicatorTarget, ProgrammeMember, ProgrammeRole
from jusoor.programmes.tests.factories import ProgrammeFactory
from jusoor.reviews.models import Criterion, CriterionScore, ReviewAssignment
from jusoor.territories.models import Territory

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

PROJECT = "تكوين الشباب في المقاولة الاجتماعية بسيدي بليوط"
SUMMARY = "ورشات أسبوعية لمئة شاب وشابة"
COACHING_TOPICS = "Diagnostic organisationnel et plan d’action"


def tr(lang: str, msgid: str, **params: Any) -> str:
    """`msgid` in `lang`, from the compiled catalogue; fails when the catalogue has no translation for it."""
    with translation.override(lang):
        text = gettext(msgid)
    assert text != msgid, f"{msgid!r} has no translation in {lang}"
    return text % params if params else text


def ntr(lang: str, singular: str, plural: str, count: int, **params: Any) -> str:
    with translation.override(lang):
        text = ngettext(singular, plural, count)
    assert text not in (singular, plural), f"{singular!r} has no translation in {lang}"
    return text % {"count": count, **params}


def scene() -> dict[str, Any]:
    """Casablanca-Settat → Casablanca prefecture → Sidi Belyout; the TAMURI programme (MAD) in that region with its
    team; a verified association of Sidi Belyout (founded in 2015) with an Arabic-speaking administrator; a call
    still unpublished whose form has five typed questions; the three computed indicators of the dashboard."""
    region = Territory.objects.create(
        code="MA-06",
        code_system="iso3166-2",
        country="MA",
        kind="region",
        name_ar="الدار البيضاء-سطات",
        name_fr="Casablanca-Settat",
        name_en="Casablanca-Settat",
    )
    prefecture = Territory.objects.create(
        code="MA-CAS",
        code_system="iso3166-2",
        country="MA",
        kind="prefecture",
        parent=region,
        name_ar="عمالة الدار البيضاء",
        name_fr="Préfecture de Casablanca",
        name_en="Casablanca Prefecture",
    )
    commune = Territory.objects.create(
        code="141.01.01",
        code_system="ma-hcp",
        country="MA",
        kind="commune",
        parent=prefecture,
        name_ar="سيدي بليوط",
        name_fr="Sidi Belyout",
        name_en="Sidi Belyout",
    )
    programme = ProgrammeFactory(
        title_fr="TAMURI",
        title_ar="تامري",
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        budget_envelope=Decimal("2000000"),
    )
    programme.territories.set([region])
    users = {
        "manager": UserFactory(email="manager@tamuri.ma", full_name="Nadia Berrada", preferred_language="fr"),
        "reviewer_a": UserFactory(email="ra@tamuri.ma", full_name="Karim Alaoui", preferred_language="fr"),
        "reviewer_b": UserFactory(email="rb@tamuri.ma", full_name="سعاد الإدريسي", preferred_language="ar"),
        "coach": UserFactory(email="coach@tamuri.ma", full_name="Youssef Tazi", preferred_language="fr"),
        "applicant": UserFactory(email="admin@afaq.ma", full_name="خديجة بناني", preferred_language="ar"),
    }
    for key, role in (
        ("manager", ProgrammeRole.MANAGER),
        ("reviewer_a", ProgrammeRole.REVIEWER),
        ("reviewer_b", ProgrammeRole.REVIEWER),
        ("coach", ProgrammeRole.COACH),
    ):
        ProgrammeMember.objects.create(programme=programme, user=users[key], role=role)
    organization = OrganizationFactory(
        name_ar="جمعية أفق للتنمية",
        name_fr="Association Afaq pour le développement",
        primary_language="ar",
        kind=OrganizationKindFactory(),
        country="MA",
        territory=commune,
        founded_on=date(2015, 3, 1),
        status=Organization.Status.VERIFIED,
    )
    MembershipFactory(organization=organization, user=users["applicant"], role=MembershipRole.ADMIN)
    now = timezone.now()
    call = Call.objects.create(
        programme=programme,
        title_fr="Appel à candidatures TAMURI 2026",
        title_ar="طلب ترشيحات تامري 2026",
        description_fr="Accompagnement des associations de Casablanca-Settat.",
        description_ar="مواكبة جمعيات جهة الدار البيضاء-سطات.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        published=False,
        eligible_countries=["MA"],
        minimum_age_months=24,
        require_verified=True,
        max_requested=Decimal("100000"),
        reviewers_per_application=2,
    )
    call.eligible_kinds.set([organization.kind])
    call.eligible_territories.set([region])
    choices = [
        {"value": "youth", "label": {"ar": "الشباب", "fr": "Jeunes", "en": "Young people"}},
        {"value": "women", "label": {"ar": "النساء", "fr": "Femmes", "en": "Women"}},
    ]
    specs = [
        (Question.Kind.SHORT_TEXT, {"ar": "اسم المشروع", "fr": "Nom du projet"}, {}),
        (Question.Kind.LONG_TEXT, {"ar": "ملخص المشروع", "fr": "Résumé du projet"}, {"word_limit": 50}),
        (Question.Kind.NUMBER, {"ar": "عدد المستفيدين", "fr": "Nombre de bénéficiaires"}, {}),
        (Question.Kind.SINGLE_CHOICE, {"ar": "الفئة المستهدفة", "fr": "Public visé"}, {"choices": choices}),
        (Question.Kind.BUDGET, {"ar": "الميزانية", "fr": "Budget"}, {}),
    ]
    questions = [
        Question.objects.create(call=call, position=position, kind=kind, label=label, required=True, **extra)
        for position, (kind, label, extra) in enumerate(specs)
    ]
    indicators = {}
    for position, (metric, name, target) in enumerate(
        [
            (
                "applications_received",
                {"ar": "الطلبات المستلمة", "fr": "Candidatures reçues", "en": "Applications received"},
                4,
            ),
            (
                "organisations_supported",
                {"ar": "الجمعيات المدعومة", "fr": "Organisations accompagnées", "en": "Organisations supported"},
                2,
            ),
            (
                "coaching_sessions",
                {"ar": "جلسات المواكبة", "fr": "Séances de coaching", "en": "Coaching sessions"},
                10,
            ),
        ]
    ):
        indicator = Indicator.objects.create(
            programme=programme,
            code=metric.replace("_", "-"),
            name=name,
            unit="nombre",
            kind=Indicator.Kind.COMPUTED,
            metric=metric,
            position=position,
        )
        IndicatorTarget.objects.create(
            indicator=indicator,
            period_end=date(2027, 12, 31),
            value=Decimal(target),
            source="Document de programme",
            set_on=date(2026, 1, 5),
        )
        indicators[metric] = indicator
    return {
        "region": region,
        "programme": programme,
        "users": users,
        "organization": organization,
        "call": call,
        "questions": questions,
        "indicators": indicators,
    }


def logged_in(browser: Browser, live_server, lang: str, user) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, lang, user.email, PASSWORD)
    return context, page


def expect_rtl(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def expect_message(page: Page, text: str) -> None:
    expect(page.locator(".messages .alert").filter(has_text=text)).to_have_text(text)


def answer_shown(page: Page, question: str, expected: str, where: str, defects: list[str]) -> None:
    """How a page shows one answer (the element right after the question's heading or term); a wrong text is noted
    in `defects`, asserted empty at the end so that one display bug does not hide the rest of the journey."""
    shown = page.locator("main h2, main dt").filter(has_text=question).first.locator("xpath=following-sibling::*[1]")
    text = " ".join(shown.inner_text().split())
    if text != expected:
        defects.append(f"{where}, answer to {question!r}: shows {text!r}, expected {expected!r}")


def test_programme_journey_from_call_to_dashboard(page: Page, browser: Browser, live_server, screenshot):
    data = scene()
    defects: list[str] = []
    call, programme, organization, users = data["call"], data["programme"], data["organization"], data["users"]
    short, long_text, number, single, budget = data["questions"]

    # 1. The programme manager opens the call in French: checks its form, publishes it; the call is open
    manager = page
    log_in(manager, "fr", users["manager"].email, PASSWORD)
    manager.goto(f"/fr/calls/{call.pk}/questions/")
    expect(manager.locator("html")).to_have_attribute("dir", "ltr")
    expect(manager.locator("#question-builder ol > li")).to_have_count(5)
    expect(manager.locator("#question-builder ol > li").nth(0)).to_contain_text("Nom du projet")
    manager.get_by_role("button", name=tr("fr", "Publish the call")).click()
    expect(manager).to_have_url(f"{live_server.url}/fr/calls/{call.pk}/")
    expect_message(manager, tr("fr", "The call has been published."))
    expect(manager.get_by_role("heading", level=1)).to_have_text("Appel à candidatures TAMURI 2026")
    expect(manager.locator("main .badge.text-bg-success")).to_have_text(tr("fr", "Open"))
    screenshot(manager, "fr-1-call-published")
    call.refresh_from_db()
    assert call.published is True
    assert call.is_open is True

    # 2. The association's administrator finds the call in Arabic; every eligibility rule is met
    applicant_context, applicant = logged_in(browser, live_server, "ar", users["applicant"])
    applicant.goto("/ar/calls/")
    expect_rtl(applicant)
    applicant.get_by_role("link", name="طلب ترشيحات تامري 2026").click()
    expect(applicant).to_have_url(f"{live_server.url}/ar/calls/{call.pk}/")
    expect_rtl(applicant)
    expect(applicant.get_by_role("heading", level=1)).to_have_text("طلب ترشيحات تامري 2026")
    checks = applicant.locator("main .card", has_text="جمعية أفق للتنمية").locator("li")
    expect(checks).to_have_count(6)  # kind, country, territory, age, verified status, amount
    expect(checks.filter(has=applicant.locator(".text-danger"))).to_have_count(0)
    expect(applicant.locator("main .card li.text-danger")).to_have_count(0)
    expect(applicant.locator("main .card li.text-success")).to_have_count(6)
    screenshot(applicant, "ar-2-call")

    # 3. Starts the application on behalf of the association…
    applicant.get_by_role("link", name=tr("ar", "Apply"), exact=True).click()
    expect(applicant).to_have_url(f"{live_server.url}/ar/calls/{call.pk}/apply/")
    applicant.locator("#id_organization").select_option(label="جمعية أفق للتنمية")
    applicant.get_by_role("button", name=tr("ar", "Start the application")).click()
    application = Application.objects.get()
    expect(applicant).to_have_url(f"{live_server.url}/ar/calls/applications/{application.pk}/form/")
    expect_rtl(applicant)
    assert (application.status, application.organization, application.language) == ("draft", organization, "ar")

    # …answers the typed questions (two budget lines, the second added with htmx) and saves the draft
    applicant.locator(f"#q{short.pk}").fill(PROJECT)
    applicant.locator(f"#q{long_text.pk}").fill(SUMMARY)
    applicant.locator(f"#q{number.pk}").fill("100")
    applicant.get_by_label("الشباب").check()
    rows = applicant.locator(f"#q{budget.pk}-rows .budget-row")
    rows.nth(0).locator(f"input[name=q{budget.pk}_label]").fill("التكوين")
    rows.nth(0).locator(f"input[name=q{budget.pk}_amount]").fill("30000")
    applicant.get_by_role("button", name=tr("ar", "Add a budget line")).click()
    expect(rows).to_have_count(2)
    rows.nth(1).locator(f"input[name=q{budget.pk}_label]").fill("المعدات")
    rows.nth(1).locator(f"input[name=q{budget.pk}_amount]").fill("15000.50")
    screenshot(applicant, "ar-3-form")
    applicant.get_by_role("button", name=tr("ar", "Save the draft")).click()
    expect_message(applicant, tr("ar", "Your draft has been saved."))
    expect(applicant.locator(f"#q{short.pk}")).to_have_value(PROJECT)
    application.refresh_from_db()
    assert (application.status, application.requested_amount) == ("draft", Decimal("45000.500"))

    # …then sends it: it is submitted, checked against the rules and declared eligible
    applicant.get_by_role("button", name=tr("ar", "Send the application")).click()
    expect(applicant).to_have_url(f"{live_server.url}/ar/calls/applications/{application.pk}/")
    expect_rtl(applicant)
    expect_message(applicant, tr("ar", "Your application has been sent."))
    expect(applicant.locator("main .badge").first).to_have_text(tr("ar", "Eligible"))
    expect(applicant.locator("main")).to_contain_text(format_money(Decimal("45000.500"), "MAD", "ar"))
    expect(applicant.locator("main dl")).to_contain_text(PROJECT)
    expect(applicant.locator("main dl")).to_contain_text("الشباب")
    answer_shown(applicant, "عدد المستفيدين", "100", "applicant's application page (ar)", defects)
    screenshot(applicant, "ar-4-submitted")
    application.refresh_from_db()
    assert application.status == Application.Status.ELIGIBLE
    assert application.submitted_at is not None
    assert [item["ok"] for item in application.eligibility] == [True] * 6
    eligible_mail = [m for m in mail.outbox if m.to == [users["applicant"].email]]
    assert [m.subject for m in eligible_mail] == [
        f"[{tr('ar', 'Jusoor')}] "
        + tr(
            "ar",
            "Your application to “%(title)s”: %(status_label)s",
            title=call.title_ar,
            status_label=tr("ar", "Eligible"),
        )
    ]

    # 4. The manager sets the rubric (Relevance ×2, Feasibility ×1, scale 1–5) on the rubric page
    manager.goto(f"/fr/reviews/calls/{call.pk}/rubric/")
    for label_fr, label_ar, weight in (("Pertinence", "الملاءمة", "2"), ("Faisabilité", "قابلية التنفيذ", "1")):
        manager.locator("#id_label_fr").fill(label_fr)
        manager.locator("#id_label_ar").fill(label_ar)
        manager.locator("#id_weight").fill(weight)
        manager.locator("main form button[type=submit]").click()
        expect_message(manager, tr("fr", "The criterion has been added."))
    expect(manager.locator("main table tbody tr")).to_have_count(2)
    relevance, feasibility = Criterion.objects.order_by("id")
    assert [(c.text, c.weight, c.scale_min, c.scale_max) for c in (relevance, feasibility)] == [
        ("Pertinence", Decimal("2.000"), 1, 5),
        ("Faisabilité", Decimal("1.000"), 1, 5),
    ]

    # …starts the review and assigns two reviewers on the assignment page
    manager.get_by_role("link", name=tr("fr", "Reviewers")).click()
    expect(manager).to_have_url(f"{live_server.url}/fr/reviews/calls/{call.pk}/assignments/")
    manager.get_by_role("button", name=tr("fr", "Start the review of eligible applications")).click()
    expect_message(
        manager,
        ntr(
            "fr",
            "%(count)s application is now under review.",
            "%(count)s applications are now under review.",
            1,
        ),
    )
    manager.get_by_role(
        "button",
        name=ntr(
            "fr", "Assign %(count)s reviewer to each application", "Assign %(count)s reviewers to each application", 2
        ),
    ).click()
    expect_message(manager, ntr("fr", "%(count)s review assigned.", "%(count)s reviews assigned.", 2))
    loads = manager.locator("main table").first.locator("tbody tr")
    expect(loads).to_have_count(2)
    for name in ("Karim Alaoui", "سعاد الإدريسي"):
        expect(loads.filter(has_text=name).locator("td").nth(2)).to_have_text("1")
    screenshot(manager, "fr-5-assignment")
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    assert set(ReviewAssignment.objects.values_list("reviewer__email", "status")) == {
        ("ra@tamuri.ma", "assigned"),
        ("rb@tamuri.ma", "assigned"),
    }

    # 5. Each reviewer scores the application on the rubric and submits: Karim in French (4, 3), Souad in Arabic (5, 4)
    for key, lang, scores in (("reviewer_a", "fr", (4, 3)), ("reviewer_b", "ar", (5, 4))):
        context, reviewer = logged_in(browser, live_server, lang, users[key])
        reviewer.goto(f"/{lang}/reviews/")
        reviewer.locator("main table tbody a", has_text=f"#{application.pk}").click()
        expect(reviewer).to_have_url(f"{live_server.url}/{lang}/reviews/applications/{application.pk}/")
        if lang == "ar":
            expect_rtl(reviewer)
        expect(reviewer.locator("main")).to_contain_text(PROJECT)  # the answers, not blind
        labels = {
            "fr": ("Nombre de bénéficiaires", "Public visé", "Jeunes"),
            "ar": ("عدد المستفيدين", "الفئة المستهدفة", "الشباب"),
        }
        beneficiaries, audience, youth = labels[lang]
        answer_shown(reviewer, beneficiaries, "100", f"reviewer's scoring page ({lang})", defects)
        answer_shown(reviewer, audience, youth, f"reviewer's scoring page ({lang})", defects)
        reviewer.locator(f"#id_score_{relevance.pk}").select_option(str(scores[0]))
        reviewer.locator(f"#id_score_{feasibility.pk}").select_option(str(scores[1]))
        reviewer.locator("#id_comment").fill("مشروع واضح" if lang == "ar" else "Projet solide, budget réaliste.")
        screenshot(reviewer, f"{lang}-6-score-{key}")
        reviewer.get_by_role("button", name=tr(lang, "Submit the review")).click()
        expect_message(
            reviewer, tr(lang, "Your review has been submitted. You can now see the other reviewers' scores.")
        )
        expect(
            reviewer.locator("main .alert-success").filter(has_text=tr(lang, "You submitted this review."))
        ).to_be_visible()
        if key == "reviewer_b":  # the second reviewer now sees the first one's scores
            header = reviewer.locator("main table thead th")
            expect(header).to_have_count(3)
            rows_scores = reviewer.locator("main table tbody tr")
            expect(rows_scores.nth(0).locator("td")).to_have_text(["5", "4"])
            expect(rows_scores.nth(1).locator("td")).to_have_text(["4", "3"])
            screenshot(reviewer, "ar-7-scores-after-submit")
        context.close()
    assert sorted(
        CriterionScore.objects.values_list("assignment__reviewer__email", "criterion__label__fr", "value")
    ) == [
        ("ra@tamuri.ma", "Faisabilité", 3),
        ("ra@tamuri.ma", "Pertinence", 4),
        ("rb@tamuri.ma", "Faisabilité", 4),
        ("rb@tamuri.ma", "Pertinence", 5),
    ]
    assert list(ReviewAssignment.objects.values_list("status", flat=True)) == ["submitted", "submitted"]

    # 6. The manager opens the ranking: (2×4+3)/3 = 3.667 and (2×5+4)/3 = 4.667 → mean = median 4.167, spread 1
    manager.get_by_role("link", name=tr("fr", "Ranking")).click()
    expect(manager).to_have_url(f"{live_server.url}/fr/reviews/calls/{call.pk}/ranking/")
    row = manager.locator("main table tbody tr", has_text="Association Afaq pour le développement")
    expect(row.locator("td")).to_have_text(
        [
            "1",
            f"#{application.pk} Association Afaq pour le développement",
            tr("fr", "Under review"),
            format_money(Decimal("45000.500"), "MAD", "fr"),
            "2",
            "4,167",
            "4,167",
            "1,000",
            re.compile(".*"),
        ]
    )
    screenshot(manager, "fr-8-ranking")
    # …shortlists, then selects it; the envelope counts what the selection consumes
    row.get_by_role("button", name=tr("fr", "Shortlist")).click()
    expect_message(manager, tr("fr", "The application has been shortlisted and the applicant notified."))
    row.get_by_role("button", name=tr("fr", "Select")).click()
    expect_message(manager, tr("fr", "The application has been selected and the applicant notified."))
    expect(row.locator("td").nth(2)).to_have_text(tr("fr", "Selected"))
    expect(manager.locator("main .card-body").nth(1)).to_contain_text(format_money(Decimal("45000.500"), "MAD", "fr"))
    screenshot(manager, "fr-9-selected")
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED

    # The association sees the decision in Arabic
    applicant.goto(f"/ar/calls/applications/{application.pk}/")
    expect_rtl(applicant)
    expect(applicant.locator("main .badge").first).to_have_text(tr("ar", "Selected"))

    # 7. The manager forms the cohort from the selected applications and assigns the coach to the association
    manager.goto(f"/fr/incubation/programmes/{programme.pk}/cohorts/")
    manager.locator("#id_name").fill("Cohorte 2026")
    manager.locator("#id_call").select_option(str(call.pk))
    manager.get_by_role("button", name=tr("fr", "Form the cohort")).click()
    expect_message(manager, tr("fr", "The cohort now has every selected organisation."))
    cohort = Cohort.objects.get()
    assert list(cohort.organizations.all()) == [organization]
    manager.goto(f"/fr/incubation/programmes/{programme.pk}/coaching/")
    manager.locator("#id_coach").select_option(label="Youssef Tazi")
    manager.locator("#id_organization").select_option(str(organization.pk))
    manager.get_by_role("button", name=tr("fr", "Assign"), exact=True).click()
    expect_message(manager, tr("fr", "The coach has been assigned."))
    assignment = CoachAssignment.objects.get()
    assert (assignment.coach, assignment.organization) == (users["coach"], organization)

    # 8. The coach logs a 90-minute session with the association
    coach_context, coach = logged_in(browser, live_server, "fr", users["coach"])
    coach.goto(f"/fr/incubation/programmes/{programme.pk}/coaching/")
    coach.get_by_role("link", name=tr("fr", "Log a session")).click()
    expect(coach).to_have_url(f"{live_server.url}/fr/incubation/assignments/{assignment.pk}/sessions/new/")
    today = timezone.localdate()
    coach.locator("#id_date").fill(today.isoformat())
    coach.locator("#id_duration_minutes").fill("90")
    coach.locator("#id_modality").select_option("in_person")
    coach.locator("#id_topics").fill(COACHING_TOPICS)
    coach.locator("#id_agreed").fill("Rédiger le plan d’action avant la prochaine séance.")
    coach.locator("#id_next_steps").fill("Atelier de gouvernance le mois prochain.")
    screenshot(coach, "fr-10-session-log")
    coach.get_by_role("button", name=tr("fr", "Log the session")).click()
    session = CoachingSession.objects.get()
    expect(coach).to_have_url(f"{live_server.url}/fr/incubation/sessions/{session.pk}/")
    expect_message(coach, tr("fr", "The session has been logged. The organisation will confirm it."))
    expect(coach.locator("main h1 .badge")).to_have_text(tr("fr", "Waiting for confirmation"))
    coach_context.close()
    assert (session.organization, session.coach, session.date, session.duration_minutes, session.status) == (
        organization,
        users["coach"],
        today,
        90,
        "logged",
    )

    # 9. The association's administrator confirms the session, in Arabic
    applicant.goto("/ar/incubation/sessions/to-confirm/")
    expect_rtl(applicant)
    applicant.locator("main .list-group-item a").first.click()
    expect(applicant).to_have_url(f"{live_server.url}/ar/incubation/sessions/{session.pk}/")
    expect_rtl(applicant)
    expect(applicant.locator("main dl")).to_contain_text(COACHING_TOPICS)
    applicant.get_by_role("button", name=tr("ar", "Confirm this session")).click()
    expect_message(applicant, tr("ar", "Thank you: the session is confirmed."))
    expect(applicant.locator("main h1 .badge")).to_have_text(tr("ar", "Confirmed"))
    screenshot(applicant, "ar-11-session-confirmed")
    applicant_context.close()
    session.refresh_from_db()
    assert (session.status, session.confirmed_by) == ("confirmed", users["applicant"])

    # 10. The results dashboard counts the work: 1 application received, 1 organisation supported, 1 session
    manager.goto(f"/fr/programmes/{programme.pk}/dashboard/")
    table = manager.locator("section[aria-labelledby=table-title] tbody tr")
    expect(table).to_have_count(3)
    for position, (label, target, percent) in enumerate(
        (
            ("Candidatures reçues", "4", "25 %"),
            ("Organisations accompagnées", "2", "50 %"),
            ("Séances de coaching", "10", "10 %"),
        )
    ):
        line = table.nth(position)
        expect(line.locator("th")).to_have_text(f"{label} (nombre)")
        cells = line.locator("td")
        expect(cells.nth(0)).to_have_text("0")
        expect(cells.nth(1)).to_contain_text(target)
        expect(cells.nth(2)).to_have_text("1")
        expect(cells.nth(3)).to_have_text(percent)
    by_region = manager.locator("section[aria-labelledby=regions-title]")
    expect(by_region.locator("thead th").nth(1)).to_have_text("Casablanca-Settat")
    expect(by_region.locator("tbody td")).to_have_text(["1", "1", "1"])
    screenshot(manager, "fr-12-dashboard")

    # 11. What the applicant typed is stored and shown as typed ("100", not "1E+2"; a choice by its label)
    stored = dict(Answer.objects.filter(application=application).values_list("question__kind", "value"))
    if stored["number"] != "100":
        defects.append(f"answer to the number question stored as {stored['number']!r}, expected '100'")
    assert defects == [], "\n" + "\n".join(defects)
