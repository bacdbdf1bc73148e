"""Create and edit campaigns: texts per language, place, themes, money (budget lines and goals), dates, cover image.

`data` holds model fields (`title_ar` … `story_en`, `primary_language`, `territory`, `beneficiaries_count`,
`beneficiaries_description`, `currency`, `goal`, `minimum_goal`, `stretch_goal`, `funding_model`, `starts_at`,
`ends_at`, `display_timezone`), relation lists (`themes`, `sdg_goals`), `budget_lines` ([{"label", "amount"}], in
order) and `cover_image` (an upload). The goal is the sum of the budget lines: leave `goal` out (or None) to have it
computed; a goal that differs from the sum is refused.

A draft (or a campaign sent back for changes) can change in every respect. Under review it cannot change. Once live,
only its summary, story and images can: the goal, the currency and the budget are what donors gave to.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from jusoor.campaigns.error_codes import CampaignErrorCode
from jusoor.campaigns.models import (
    CAMPAIGN_CURRENCIES,
    COUNTRY_TIMEZONE,
    DISPLAY_TIMEZONES,
    BudgetLine,
    Campaign,
)
from jusoor.common.audit import audit_log, diff
from jusoor.common.exceptions import ApplicationError, invalid_data
from jusoor.common.money import format_money, precision, quantize
from jusoor.common.uploads import IMAGE_TYPES, SniffedType, check_upload
from jusoor.organizations.models import Organization

LANGUAGES = ("ar", "fr", "en")
TEXT_FIELDS = tuple(f"{name}_{code}" for name in ("title", "summary", "story") for code in LANGUAGES)
FIELDS = (
    *TEXT_FIELDS,
    "primary_language",
    "territory",
    "beneficiaries_count",
    "beneficiaries_description",
    "currency",
    "goal",
    "minimum_goal",
    "stretch_goal",
    "funding_model",
    "starts_at",
    "ends_at",
    "display_timezone",
)
RELATIONS = ("themes", "sdg_goals")
MONEY_KEYS = frozenset({"currency", "goal", "minimum_goal", "stretch_goal", "budget_lines"})
LIVE_EDITABLE_KEYS = frozenset(
    {f"{name}_{code}" for name in ("summary", "story") for code in LANGUAGES} | {"cover_image"}
)
# After going live, until it is closed, a campaign's summary, story and images can still change.
LIVE_EDITABLE_STATUSES = Campaign.PUBLIC_STATUSES - {Campaign.Status.CLOSED}
MAX_BUDGET_LINES = 50
MAX_IMAGE_BYTES = 5 * 1024 * 1024
ZONES = frozenset(zone for zone, _label in DISPLAY_TIMEZONES)


def _error(message: str, code: str, field: str = "__all__") -> ApplicationError:
    return ApplicationError(message, code=code, extra={"fields": {field: [message]}})


# --- Money ---------------------------------------------------------------------------------------------------------


def check_amount(amount: Any, currency: str, *, field: str, message: str) -> Decimal:
    """A positive Decimal with at most the currency's decimals, else ApplicationError (`message` when not positive)."""
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise _error(message, CampaignErrorCode.AMOUNT_INVALID, field)
    if quantize(amount, currency) != amount:
        places = precision(currency)
        raise _error(
            ngettext(
                "Amounts in %(currency)s have at most %(places)d decimal place.",
                "Amounts in %(currency)s have at most %(places)d decimal places.",
                places,
            )
            % {"currency": currency, "places": places},
            CampaignErrorCode.PRECISION,
            field,
        )
    return amount


def _clean_lines(lines: list[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
    if len(lines) > MAX_BUDGET_LINES:
        raise _error(
            _("A budget has at most %(count)d lines.") % {"count": MAX_BUDGET_LINES},
            CampaignErrorCode.TOO_MANY_LINES,
            "budget_lines",
        )
    cleaned = []
    for line in lines:
        label = " ".join(str(line.get("label") or "").split())
        if not label or len(label) > 200:
            raise _error(
                _("Each budget line needs a label of at most 200 characters."),
                CampaignErrorCode.LABEL_INVALID,
                "budget_lines",
            )
        amount = check_amount(
            line.get("amount"),
            currency,
            field="budget_lines",
            message=_("Each budget line needs an amount greater than zero."),
        )
        cleaned.append({"label": label, "amount": amount})
    return cleaned


def _check_goals(campaign: Campaign, lines: list[dict[str, Any]], goal: Decimal | None) -> None:
    """Set the goal to the sum of the lines (refusing a different one), then check the minimum and stretch goals."""
    currency = campaign.currency
    total = sum((line["amount"] for line in lines), Decimal("0"))
    if goal is not None and goal != total:
        raise _error(
            _("The goal (%(goal)s) must equal the total of the budget lines (%(total)s).")
            % {"goal": _money(goal, currency), "total": _money(total, currency)},
            CampaignErrorCode.GOAL_MISMATCH,
            "goal",
        )
    campaign.goal = total
    if campaign.minimum_goal is not None:
        message = _("The minimum goal must be greater than zero and less than the goal.")
        check_amount(campaign.minimum_goal, currency, field="minimum_goal", message=message)
        if campaign.minimum_goal >= total:
            raise _error(message, CampaignErrorCode.MINIMUM_GOAL_INVALID, "minimum_goal")
    if campaign.stretch_goal is not None:
        message = _("The stretch goal must be greater than the goal.")
        check_amount(campaign.stretch_goal, currency, field="stretch_goal", message=message)
        if campaign.stretch_goal <= total:
            raise _error(message, CampaignErrorCode.STRETCH_GOAL_INVALID, "stretch_goal")


def _money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency, get_language() or "ar")


# --- Validation of the whole campaign ------------------------------------------------------------------------------


def _validate(campaign: Campaign, lines: list[dict[str, Any]], goal: Decimal | None) -> list[dict[str, Any]]:
    """Check the campaign as it will be saved; returns the cleaned budget lines and sets the goal and time zone."""
    if not any(getattr(campaign, f"title_{code}").strip() for code in LANGUAGES):
        raise _error(_("Give the campaign's title in at least one language."), CampaignErrorCode.TITLE_REQUIRED)
    if campaign.territory_id is None:
        raise _error(_("Say where the money will be spent."), CampaignErrorCode.TERRITORY_REQUIRED, "territory")
    if campaign.currency not in CAMPAIGN_CURRENCIES:
        raise _error(
            _("Campaigns raise money in Tunisian dinars (TND), Moroccan dirhams (MAD) or euros (EUR)."),
            CampaignErrorCode.CURRENCY_INVALID,
            "currency",
        )
    if not campaign.display_timezone:
        campaign.display_timezone = COUNTRY_TIMEZONE.get(campaign.territory.country, "Africa/Tunis")
    if campaign.display_timezone not in ZONES:
        raise _error(_("This time zone is not offered."), CampaignErrorCode.TIMEZONE_INVALID, "display_timezone")
    cleaned = _clean_lines(lines, campaign.currency)
    _check_goals(campaign, cleaned, goal)
    if campaign.starts_at is None or campaign.ends_at is None or campaign.ends_at <= campaign.starts_at:
        raise _error(_("The deadline must come after the start."), CampaignErrorCode.DATES_INVALID, "ends_at")
    try:
        campaign.full_clean(exclude=["cover_image", "organization", "created_by", "review_checklist"])
    except ValidationError as exc:
        raise invalid_data(exc) from exc
    return cleaned


def _split(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]], list[dict[str, Any]] | None, Any]:
    unknown = set(data) - {*FIELDS, *RELATIONS, "budget_lines", "cover_image"}
    if unknown:
        raise ValueError(f"campaign data: unknown keys {sorted(unknown)}")
    fields = {key: value for key, value in data.items() if key in FIELDS}
    for key in TEXT_FIELDS:
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    relations = {key: list(value) for key, value in data.items() if key in RELATIONS}
    lines = data.get("budget_lines")
    return fields, relations, (list(lines) if lines is not None else None), data.get("cover_image")


def _lines_snapshot(lines: list[dict[str, Any]]) -> list[list[Any]]:
    return [[line["label"], line["amount"]] for line in lines]


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    values: dict[str, Any] = {field: getattr(campaign, field) for field in FIELDS}
    for relation in RELATIONS:
        values[relation] = sorted(getattr(campaign, relation).values_list("pk", flat=True))
    values["budget_lines"] = [
        [line.label, line.amount] for line in BudgetLine.objects.filter(campaign=campaign).order_by("position", "id")
    ]
    return values


# --- Images --------------------------------------------------------------------------------------------------------


def check_image(upload: UploadedFile) -> SniffedType:
    """A PNG, JPEG or WebP image checked by its content, 5 MB at most (ApplicationError otherwise)."""
    return check_upload(upload, allowed=IMAGE_TYPES, max_bytes=MAX_IMAGE_BYTES, size=upload.size or 0)


def _check_cover(upload: UploadedFile) -> SniffedType:
    try:
        return check_image(upload)
    except ApplicationError as error:
        error.extra = {"fields": {"cover_image": [str(error.message)]}}
        raise


def _store_cover(campaign: Campaign, upload: UploadedFile, sniffed: SniffedType) -> tuple[str, str]:
    old_name = campaign.cover_image.name or ""
    campaign.cover_image.save(f"{campaign.pk}-{secrets.token_hex(6)}.{sniffed.extension}", upload, save=False)
    campaign.save(update_fields=["cover_image", "updated_at"])
    if old_name:
        storage = campaign.cover_image.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return old_name, campaign.cover_image.name or ""


# --- Services ------------------------------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(*, organization: Organization, acting_user: Any, data: dict[str, Any]) -> Campaign:
    """A draft campaign of `organization`, which must be verified and allowed to receive funds."""
    if not organization.can_receive_funds:
        raise _error(
            _("Only a verified organisation allowed to receive funds can run a campaign."),
            CampaignErrorCode.ORGANIZATION_NOT_VERIFIED,
        )
    fields, relations, lines, cover = _split(data)
    goal = fields.pop("goal", None)
    fields["display_timezone"] = fields.get("display_timezone") or ""  # empty: the territory's country decides
    campaign = Campaign(
        organization=organization,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        **fields,
    )
    cleaned = _validate(campaign, lines or [], goal)
    sniffed = _check_cover(cover) if cover else None
    campaign.save()
    for relation, values in relations.items():
        getattr(campaign, relation).set(values)
    _replace_lines(campaign, cleaned)
    new = {field: getattr(campaign, field) for field in FIELDS}
    new.update({relation: sorted(getattr(v, "pk", v) for v in values) for relation, values in relations.items()})
    new["budget_lines"] = _lines_snapshot(cleaned)
    if cover and sniffed:
        new["cover_image"] = _store_cover(campaign, cover, sniffed)[1]
    audit_log(actor=acting_user, action="campaigns.campaign.created", target=campaign, changes=diff({}, new))
    return campaign


def _refuse_locked_changes(campaign: Campaign, changed: set[str]) -> None:
    if campaign.status in Campaign.EDITABLE_STATUSES:
        return
    if campaign.status not in LIVE_EDITABLE_STATUSES:
        raise _error(
            _("This campaign cannot be changed while its status is “%(status)s”.")
            % {"status": campaign.get_status_display()},
            CampaignErrorCode.NOT_EDITABLE,
        )
    if changed & MONEY_KEYS:
        raise _error(
            _("The goal, the currency and the budget cannot change once the campaign is live."),
            CampaignErrorCode.LOCKED_AFTER_LIVE,
        )
    if changed - LIVE_EDITABLE_KEYS:
        raise _error(
            _("Once the campaign is live, only its summary, story and images can change."),
            CampaignErrorCode.LOCKED_AFTER_LIVE,
        )


def _requested(
    fields: dict[str, Any], relations: dict[str, list[Any]], lines: list[dict[str, Any]] | None, goal: Any
) -> dict[str, Any]:
    """What the caller asks for, comparable with `_snapshot`."""
    wanted: dict[str, Any] = {**fields, **{k: sorted(getattr(v, "pk", v) for v in vs) for k, vs in relations.items()}}
    if lines is not None:
        wanted["budget_lines"] = [
            [" ".join(str(line.get("label") or "").split()), line.get("amount")] for line in lines
        ]
    if goal is not None:
        wanted["goal"] = goal
    return wanted


def _replace_lines(campaign: Campaign, lines: list[dict[str, Any]]) -> None:
    BudgetLine.objects.filter(campaign=campaign).delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(campaign=campaign, position=index, label=line["label"], amount=line["amount"])
        for index, line in enumerate(lines)
    )


@transaction.atomic
def campaign_update(*, campaign: Campaign, acting_user: Any, data: dict[str, Any]) -> Campaign:
    """Change the given fields, relations, budget lines and cover; one audit row with the old and new values."""
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("territory").get(pk=campaign.pk)
    fields, relations, lines, cover = _split(data)
    old = _snapshot(campaign)
    goal = fields.pop("goal", None)
    wanted = _requested(fields, relations, lines, goal)
    changed = {key for key, value in wanted.items() if old.get(key) != value} | ({"cover_image"} if cover else set())
    _refuse_locked_changes(campaign, changed)
    if not changed:
        return campaign
    for field, value in fields.items():
        setattr(campaign, field, value)
    current = (
        lines if lines is not None else [{"label": label, "amount": amount} for label, amount in old["budget_lines"]]
    )
    cleaned = _validate(campaign, current, goal)
    sniffed = _check_cover(cover) if cover else None
    new = {**old, **{field: getattr(campaign, field) for field in FIELDS}}
    new.update({relation: wanted[relation] for relation in relations})
    new["budget_lines"] = _lines_snapshot(cleaned)
    changes = diff(old, new)
    changed_fields = sorted(field for field in FIELDS if field in changes)
    if changed_fields:
        campaign.save(update_fields=[*changed_fields, "updated_at"])
    for relation, values in relations.items():
        if relation in changes:
            getattr(campaign, relation).set(values)
    if "budget_lines" in changes:
        _replace_lines(campaign, cleaned)
    if cover and sniffed:
        old_name, new_name = _store_cover(campaign, cover, sniffed)
        changes["cover_image"] = {"old": old_name or None, "new": new_name}
    if changes:
        audit_log(actor=acting_user, action="campaigns.campaign.updated", target=campaign, changes=changes)
    return campaign
