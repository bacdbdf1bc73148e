"""The public programme list of the API: active and closed programmes, filtered by country, territory and theme.

The programmes app's `programme_public_list` lists active programmes only (its public page); the API also lists
closed ones, whose results stay public.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import Theme
from jusoor.programmes.models import Programme
from jusoor.programmes.rules import PUBLIC_STATUSES
from jusoor.territories.models import Country, Territory

ANCESTOR_DEPTH = 4  # commune → province → region → (country level, when there is one)


def _territory_filter(code: str) -> Q:
    """Programmes working in the territory: one of theirs is it, contains it, or lies inside it."""
    territory = Territory.objects.select_related("parent__parent__parent").filter(code=code).first()
    if territory is None:
        raise ApplicationError(_("This territory does not exist."), code="unknown_territory")
    chain: list[int] = []
    current: Territory | None = territory
    while current is not None and len(chain) < ANCESTOR_DEPTH:
        chain.append(current.pk)
        current = current.parent
    covering = Programme.territories.through.objects.filter(
        Q(territory_id__in=chain)
        | Q(territory__parent_id=territory.pk)
        | Q(territory__parent__parent_id=territory.pk)
        | Q(territory__parent__parent__parent_id=territory.pk)
    )
    return Q(pk__in=covering.values("programme_id"))


def programme_public_list(
    *, viewer: Any, country: str = "", territory_code: str = "", theme: str = ""
) -> QuerySet[Programme]:
    """Active programmes (the latest start first), then closed ones (the latest start first). A country keeps the
    programmes with a territory in it; unknown filter values raise ApplicationError."""
    programmes = Programme.objects.filter(status__in=PUBLIC_STATUSES)
    if country:
        if country.upper() not in Country.values:
            raise ApplicationError(_("This country is not covered."), code="unknown_country")
        in_country = Programme.territories.through.objects.filter(territory__country=country.upper())
        programmes = programmes.filter(pk__in=in_country.values("programme_id"))
    if territory_code:
        programmes = programmes.filter(_territory_filter(territory_code.replace("\x00", "")))
    if theme:
        theme_id = Theme.objects.filter(slug=theme.replace("\x00", "")).values_list("pk", flat=True).first()
        if theme_id is None:
            raise ApplicationError(_("This theme does not exist."), code="unknown_theme")
        with_theme = Programme.themes.through.objects.filter(theme_id=theme_id)
        programmes = programmes.filter(pk__in=with_theme.values("programme_id"))
    active_first = Case(
        When(status=Programme.Status.ACTIVE, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        programmes.select_related("operator")
        .prefetch_related("territories", "themes")
        .order_by(active_first, "-starts_on", "-id")
    )
