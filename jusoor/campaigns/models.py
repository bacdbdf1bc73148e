"""Crowdfunding campaigns carried by verified organisations.

A campaign's money is never stored here: what it raised is the balance of its ledger account
(`campaign_funds_key`), see `jusoor.donations.selectors`. The status moves only through the services in
`services/lifecycle.py` (one per transition, audited); `TRANSITIONS` lists the allowed moves.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jusoor.common.i18nfield import localized_column
from jusoor.common.models import BaseModel
from jusoor.organizations.models import Organization, SDGGoal, Theme
from jusoor.organizations.models.documents import private_storage
from jusoor.territories.models import Territory

CAMPAIGN_CURRENCIES = ("TND", "MAD", "EUR")
# Where deadlines are shown: the campaign's country decides (stored in UTC).
DISPLAY_TIMEZONES = (
    ("Africa/Tunis", "Africa/Tunis"),
    ("Africa/Casablanca", "Africa/Casablanca"),
    ("Europe/Paris", "Europe/Paris"),
)
COUNTRY_TIMEZONE = {"TN": "Africa/Tunis", "MA": "Africa/Casablanca", "FR": "Europe/Paris"}


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def public(self) -> CampaignQuerySet:
        return self.filter(status__in=Campaign.PUBLIC_STATUSES)

    def live(self) -> CampaignQuerySet:
        now = timezone.now()
        return self.filter(status=Campaign.Status.LIVE, starts_at__lte=now, ends_at__gt=now)


class Campaign(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        LIVE = "live", _("Live")
        WAITING_FUNDS = "waiting_funds", _("Waiting for funds")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        DISBURSED = "disbursed", _("Disbursed")
        REPORTING = "reporting", _("Reporting")
        CLOSED = "closed", _("Closed")

    class FundingModel(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
        KEEP_WHAT_YOU_RAISE = "keep", _("Keep what you raise")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SUBMITTED}),
        Status.SUBMITTED: frozenset({Status.APPROVED, Status.CHANGES_REQUESTED}),
        Status.CHANGES_REQUESTED: frozenset({Status.SUBMITTED}),
        Status.APPROVED: frozenset({Status.LIVE}),
        Status.LIVE: frozenset({Status.WAITING_FUNDS, Status.SUCCEEDED, Status.FAILED}),
        Status.WAITING_FUNDS: frozenset({Status.SUCCEEDED, Status.FAILED}),
        Status.SUCCEEDED: frozenset({Status.DISBURSED}),
        Status.DISBURSED: frozenset({Status.REPORTING}),
        Status.REPORTING: frozenset({Status.CLOSED}),
        Status.FAILED: frozenset({Status.CLOSED}),
    }
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
    PUBLIC_STATUSES = frozenset(
        {
            Status.LIVE,
            Status.WAITING_FUNDS,
            Status.SUCCEEDED,
            Status.FAILED,
            Status.DISBURSED,
            Status.REPORTING,
            Status.CLOSED,
        }
    )

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="campaigns"
    )
    primary_language = models.CharField(_("primary language"), max_length=2, choices=settings.LANGUAGES, default="ar")
    title_ar = models.CharField(_("title in Arabic"), max_length=200, blank=True)
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    summary_ar = models.CharField(_("summary in Arabic"), max_length=500, blank=True)
    summary_fr = models.CharField(_("summary in French"), max_length=500, blank=True)
    summary_en = models.CharField(_("summary in English"), max_length=500, blank=True)
    story_ar = models.TextField(_("story in Arabic"), blank=True)
    story_fr = models.TextField(_("story in French"), blank=True)
    story_en = models.TextField(_("story in English"), blank=True)
    cover_image = models.ImageField(_("cover image"), upload_to="campaigns/covers/", blank=True)
    territory = models.ForeignKey(
        Territory, verbose_name=_("where the money is spent"), on_delete=models.PROTECT, related_name="+"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    sdg_goals = models.ManyToManyField(
        SDGGoal, verbose_name=_("sustainable development goals"), blank=True, related_name="+"
    )
    beneficiaries_count = models.PositiveIntegerField(_("number of beneficiaries"), null=True, blank=True)
    beneficiaries_description = models.CharField(_("who benefits"), max_length=300, blank=True)

    currency = models.CharField(_("currency"), max_length=3, choices=[(c, c) for c in CAMPAIGN_CURRENCIES])
    goal = models.DecimalField(_("goal"), max_digits=20, decimal_places=3, default=Decimal("0"))
    minimum_goal = models.DecimalField(_("minimum goal"), max_digits=20, decimal_places=3, null=True, blank=True)
    stretch_goal = models.DecimalField(_("stretch goal"), max_digits=20, decimal_places=3, null=True, blank=True)
    funding_model = models.CharField(
        _("funding model"), max_length=20, choices=FundingModel.choices, default=FundingModel.ALL_OR_NOTHING
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("deadline"))
    display_timezone = models.CharField(
        _("time zone"), max_length=40, choices=DISPLAY_TIMEZONES, default="Africa/Tunis"
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    review_checklist = models.JSONField(_("readiness checklist"), default=dict, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    final_report = models.TextField(_("final report"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title_ar="", title_fr="", title_en=""), name="campaign_has_a_title"
            ),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="campaign_ends_after"),
            models.CheckConstraint(condition=models.Q(goal__gte=0), name="campaign_goal_not_negative"),
            models.CheckConstraint(
                condition=models.Q(currency__in=CAMPAIGN_CURRENCIES), name="campaign_supported_currency"
            ),
        ]
        indexes = [models.Index(fields=["status", "ends_at"]), models.Index(fields=["territory", "status"])]

    def __str__(self) -> str:
        return self.title

    def _localized(self, field: str) -> str:
        return localized_column(self, field)

    @property
    def title(self) -> str:
        return self._localized("title")

    @property
    def summary(self) -> str:
        return self._localized("summary")

    @property
    def story(self) -> str:
        return self._localized("story")

    @property
    def funds_account_key(self) -> str:
        return campaign_funds_key(self.pk)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def accepts_donations(self) -> bool:
        now = timezone.now()
        return self.status == self.Status.LIVE and self.starts_at <= now < self.ends_at

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())


def campaign_funds_key(campaign_id: int) -> str:
    return f"campaign:{campaign_id}:funds"


class BudgetLine(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("label"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=3)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["campaign", "position", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="budget_line_positive")]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"


class CampaignImage(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="campaigns/gallery/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["campaign", "position", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


class CampaignUpdate(BaseModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("campaign update")
        verbose_name_plural = _("campaign updates")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class CampaignFollower(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="campaign_follower_unique")]


class Tranche(BaseModel):
    """One disbursement to the association, released against proof of spending approved by finance staff."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved and paid")
        REFUSED = "refused", _("Refused")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="tranches")
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=3)
    description = models.CharField(_("what it pays for"), max_length=300)
    proof = models.FileField(_("proof of spending"), upload_to="campaigns/proofs/", storage=private_storage, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    ledger_group_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["campaign", "created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="tranche_positive")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.amount}"
