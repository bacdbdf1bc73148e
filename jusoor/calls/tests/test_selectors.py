"""Lists: open calls with filters; the managers' application list (filters, sorting, constant queries)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from jusoor.calls.models import Application
from jusoor.calls.selectors.applications import application_list, application_status_counts, user_applications
from jusoor.calls.selectors.calls import open_call_list
from jusoor.calls.tests.factories import ApplicationFactory, CallFactory
from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.tests.factories import OrganizationFactory, ThemeFactory

S = Application.Status


def test_open_calls_with_filters(programme, user_factory):
    viewer = user_factory()
    now = timezone.now()
    soon = CallFactory(programme=programme, closes_at=now + timedelta(days=2), eligible_countries=["MA"])
    later = CallFactory(closes_at=now + timedelta(days=9))
    CallFactory(published=False)
    CallFactory(opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=1))
    CallFactory(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=5))
    tunisia = CallFactory(eligible_countries=["TN"])
    assert list(open_call_list(viewer=viewer)) == [soon, later, tunisia]
    assert list(open_call_list(viewer=viewer, country="ma")) == [soon, later]
    assert list(open_call_list(viewer=viewer, programme_id=programme.pk)) == [soon]
    theme = ThemeFactory()
    programme.themes.add(theme)
    assert list(open_call_list(viewer=viewer, theme="health")) == [soon]
    with pytest.raises(ApplicationError, match="This country is not covered."):
        open_call_list(viewer=viewer, country="DZ")
    with pytest.raises(ApplicationError, match="This theme does not exist."):
        open_call_list(viewer=viewer, theme="nope")


@pytest.fixture
def listed(call, organization, commune, region):
    now = timezone.now()
    elsewhere = OrganizationFactory(country="MA", name_fr="Femmes de l'Oriental", name_ar="نساء الشرق")
    rows = {
        "horizon": ApplicationFactory(
            call=call,
            organization=organization,
            status=S.ELIGIBLE,
            submitted_at=now - timedelta(days=1),
            requested_amount=Decimal("50000"),
        ),
        "oriental": ApplicationFactory(
            call=call,
            organization=elsewhere,
            status=S.INELIGIBLE,
            submitted_at=now - timedelta(days=2),
            requested_amount=Decimal("90000"),
        ),
        "draft": ApplicationFactory(call=call, status=S.DRAFT),
    }
    from jusoor.organizations.services.search_index import organization_reindex  # noqa: PLC0415

    organization_reindex(organization_ids=[organization.pk, elsewhere.pk])
    return rows


def test_manager_list_filters_and_sorts(call, manager, listed):
    names = lambda qs: [a.organization.name_fr for a in qs]  # noqa: E731
    assert names(application_list(call=call, viewer=manager)) == ["Association Horizon", "Femmes de l'Oriental"]
    assert names(application_list(call=call, viewer=manager, sort="oldest")) == [
        "Femmes de l'Oriental",
        "Association Horizon",
    ]
    assert names(application_list(call=call, viewer=manager, sort="amount")) == [
        "Femmes de l'Oriental",
        "Association Horizon",
    ]
    assert names(application_list(call=call, viewer=manager, status="ineligible")) == ["Femmes de l'Oriental"]
    assert len(application_list(call=call, viewer=manager, status="draft")) == 1
    assert names(application_list(call=call, viewer=manager, territory_code="MA-06")) == ["Association Horizon"]
    assert names(application_list(call=call, viewer=manager, search="horizon")) == ["Association Horizon"]
    assert names(application_list(call=call, viewer=manager, search="نساء")) == ["Femmes de l'Oriental"]
    with pytest.raises(ApplicationError, match="This status cannot be listed."):
        application_list(call=call, viewer=manager, status="won")
    with pytest.raises(ApplicationError, match="This territory does not exist."):
        application_list(call=call, viewer=manager, territory_code="XX-99")


def test_status_counts_in_one_query(call, listed, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = application_status_counts(call=call)
    assert counts == {**dict.fromkeys(S.values, 0), "eligible": 1, "ineligible": 1, "draft": 1}


def _page(call, manager):
    page = Paginator(application_list(call=call, viewer=manager), 50).get_page(1)
    return [(a.organization.name, a.organization.territory and a.organization.territory.name) for a in page]


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_applications(
    call, manager, commune, count, django_assert_num_queries
):
    for _ in range(count):
        ApplicationFactory(
            call=call,
            organization=OrganizationFactory(country="MA", territory=commune),
            status=S.ELIGIBLE,
            submitted_at=timezone.now(),
        )
    with django_assert_num_queries(2):  # the count and the page
        rows = _page(call, manager)
    assert len(rows) == count


def test_an_applicant_sees_the_applications_of_their_organisations(call, organization, team, listed):
    assert list(user_applications(viewer=team["member"])) == [listed["horizon"]]
