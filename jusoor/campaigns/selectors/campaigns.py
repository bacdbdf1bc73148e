"""Reads about campaigns: one campaign for a viewer, the public list, an organisation's campaigns, the review queue,
and who hears about an update."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils.translation import gettext as _

from jusoor.campaigns.models import BudgetLine, Campaign, CampaignFollower, CampaignImage, CampaignUpdate
from jusoor.common.exceptions import ApplicationError
from jusoor.organizations.models import Organization, Theme
from jusoor.territories.models import Country, Territory

_DESCENDANTS_SQL = f"""
WITH RECURSIVE tree(id) AS (
    SELECT id FROM {Territory._meta.db_table} WHERE code = %s
    UNION ALL
    SELECT child.id FROM {Territory._meta.db_table} AS child JOIN tree ON child.parent_id = tree.id
)
SELECT id FROM tree
"""  # noqa: S608  (the table name is a constant; the code is a parameter)


def campaign_get(*, campaign_id: int, viewer: Any) -> Campaign:
    """The campaign with what its pages show, if `viewer` may see it; the same 404 whether it is missing or hidden."""
    campaign = (
        Campaign.objects.select_related("organization__kind", "territory__parent__parent")
        .prefetch_related(
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("position", "id")),
            Prefetch("images", queryset=CampaignImage.objects.order_by("position", "id")),
            "themes",
            "sdg_goals",
        )
        .filter(pk=campaign_id)
        .first()
    )
    if campaign is None or not viewer.has_perm("campaigns.view_campaign", campaign):
        raise Http404
    return campaign


def campaign_public_list(
    *, viewer: Any, country: str = "", territory_code: str = "", theme: str = "", status: str = ""
) -> QuerySet[Campaign]:
    """Public campaigns, filtered: a territory includes everything inside it (a governorate lists the campaigns of
    its municipalities). Live campaigns come first, the deadline nearest first; then ended ones, latest first.

    Unknown filter values raise ApplicationError (one query each to check a territory and a theme)."""
    campaigns = Campaign.objects.public()
    if country:
        if country.upper() not in Country.values:
            raise ApplicationError(_("This country is not covered."), code="unknown_country")
        campaigns = campaigns.filter(territory__country=country.upper())
    if territory_code:
        territory_ids = _territory_and_descendant_ids(territory_code.replace("\x00", ""))
        if not territory_ids:
            raise ApplicationError(_("This territory does not exist."), code="unknown_territory")
        campaigns = campaigns.filter(territory_id__in=territory_ids)
    if theme:
        theme_id = Theme.objects.filter(slug=theme.replace("\x00", "")).values_list("pk", flat=True).first()
        if theme_id is None:
            raise ApplicationError(_("This theme does not exist."), code="unknown_theme")
        with_theme = Campaign.themes.through.objects.filter(theme_id=theme_id)
        campaigns = campaigns.filter(pk__in=with_theme.values("campaign_id"))
    if status:
        if status not in Campaign.PUBLIC_STATUSES:
            raise ApplicationError(_("This status cannot be listed."), code="unknown_status")
        campaigns = campaigns.filter(status=status)
    live = Case(When(status=Campaign.Status.LIVE, then=Value(0)), default=Value(1), output_field=IntegerField())
    live_deadline = Case(When(status=Campaign.Status.LIVE, then=F("ends_at")))
    return (
        campaigns.select_related("organization", "territory")
        .alias(live_deadline=live_deadline)
        .order_by(live, F("live_deadline").asc(nulls_last=True), F("ends_at").desc(), "-pk")
    )


def _territory_and_descendant_ids(code: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(_DESCENDANTS_SQL, [code])
        return [row[0] for row in cursor.fetchall()]


def organization_campaigns(*, organization: Organization, viewer: Any) -> QuerySet[Campaign]:
    """The organisation's campaigns: all of them for its members and the reviewers, the public ones for others."""
    campaigns = Campaign.objects.filter(organization=organization).select_related("territory")
    sees_all = viewer.has_perm("campaigns.review_campaign") or viewer.has_perm(
        "organizations.view_membership", organization
    )
    if not sees_all:
        campaigns = campaigns.public()
    return campaigns.order_by("-created_at", "-pk")


def review_queue(*, viewer: Any, status: str = Campaign.Status.SUBMITTED) -> QuerySet[Campaign]:
    """Campaigns waiting for a reviewer (submitted) or for publication (approved), the oldest request first."""
    return (
        Campaign.objects.filter(status=status)
        .select_related("organization", "territory")
        .order_by(F("status_changed_at").asc(nulls_first=True), "pk")
    )


def campaign_updates(*, campaign: Campaign, limit: int = 20) -> list[CampaignUpdate]:
    return list(
        CampaignUpdate.objects.filter(campaign=campaign).select_related("author").order_by("-created_at")[:limit]
    )


def campaign_is_followed(*, campaign: Campaign, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return CampaignFollower.objects.filter(campaign=campaign, user_id=user.pk).exists()


def campaign_update_recipients(*, campaign: Campaign) -> list[tuple[str, str]]:
    """(e-mail, language) of every follower (their preferred language) and every donor whose donation was received
    (the language they gave), once per address: a follower's own setting wins over a donation's."""
    followers = (
        CampaignFollower.objects.filter(campaign=campaign, user__is_active=True)
        .order_by("id")
        .values_list("user__email", "user__preferred_language")
    )
    # Donors are reached through the reverse relation, so this app never imports the donations app.
    donors = campaign.donations.filter(status="captured").order_by("id").values_list("email", "language")  # type: ignore[attr-defined]
    recipients: dict[str, tuple[str, str]] = {}
    for email, language in [*followers, *donors]:
        recipients.setdefault(email.strip().lower(), (email, language))
    return list(recipients.values())


def filter_territories() -> list[tuple[str, list[Territory]]]:
    """The top-level territories (governorates, regions) by country, for the list's filter (one query)."""
    territories = list(Territory.objects.filter(parent__isnull=True).order_by("code"))
    return [
        (str(label), [territory for territory in territories if territory.country == code])
        for code, label in Country.choices
    ]


def campaign_tranches(*, campaign: Campaign) -> list[Any]:
    return list(campaign.tranches.order_by("created_at", "pk"))
