"""Reads about calls: one call for a viewer, the public list of open calls, a call's form."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jusoor.calls.models import Call, Question
from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import Theme
from jusoor.programmes.models import Programme
from jusoor.territories.models import Country


def call_get(*, call_id: int, viewer: Any) -> Call:
    """The call, if `viewer` may see it; the same 404 whether it is missing or hidden."""
    call = (
        Call.objects.select_related("programme__operator")
        .prefetch_related("eligible_kinds", "eligible_territories")
        .filter(pk=call_id)
        .first()
    )
    if call is None or not viewer.has_perm("calls.view_call", call):
        raise Http404
    return call


def open_call_list(
    *, viewer: Any, country: str = "", theme: str = "", programme_id: int | None = None
) -> QuerySet[Call]:
    """Published calls open now, the nearest deadline first. A country keeps the calls open to organisations of that
    country (or of any country); a theme keeps the calls of programmes on that theme. Unknown values raise
    ApplicationError."""
    calls = Call.objects.open()
    if country:
        if country.upper() not in Country.values:
            raise ApplicationError(_("This country is not covered."), code="unknown_country")
        calls = calls.filter(Q(eligible_countries=[]) | Q(eligible_countries__contains=[country.upper()]))
    if theme:
        theme_id = Theme.objects.filter(slug=theme.replace("\x00", "")).values_list("pk", flat=True).first()
        if theme_id is None:
            raise ApplicationError(_("This theme does not exist."), code="unknown_theme")
        with_theme = Programme.themes.through.objects.filter(theme_id=theme_id)
        calls = calls.filter(programme_id__in=with_theme.values("programme_id"))
    if programme_id is not None:
        calls = calls.filter(programme_id=programme_id)
    return calls.select_related("programme__operator").order_by("closes_at", "pk")


def programme_calls(*, programme: Programme, viewer: Any) -> QuerySet[Call]:
    """The programme's calls: all of them for its team, the published ones for others."""
    calls = Call.objects.filter(programme=programme)
    if not viewer.has_perm("calls.add_call", programme):
        calls = calls.filter(published=True)
    return calls.order_by("-opens_at", "-pk")


def call_questions(*, call: Call) -> list[Question]:
    return list(Question.objects.filter(call=call).order_by("position", "id"))


def programme_for_calls(*, programme_id: int) -> Programme:
    """The programme a new call is added to (404 when missing; the page then checks `calls.add_call` on it)."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme


def question_get(*, question_id: int, viewer: Any) -> Question:
    """A question, for the managers of its call's programme; the same 404 otherwise."""
    question = Question.objects.select_related("call__programme").filter(pk=question_id).first()
    if question is None or not viewer.has_perm("calls.change_call", question.call):
        raise Http404
    return question
