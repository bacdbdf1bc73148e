"""An actor of civil society or of the territory: association, cooperative, municipality, state service…"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jusoor.common.models import BaseModel
from jusoor.organizations.models.taxonomy import OrganizationKind, SDGGoal, SDGTarget, Theme
from jusoor.territories.models import Territory


class Registry(models.TextChoices):
    TN_RNE = "tn-rne", _("Tunisia: national register of enterprises (RNE)")
    TN_JORT = "tn-jort", _("Tunisia: Official Journal (JORT) notice")
    MA_RECEPISSE = "ma-recepisse", _("Morocco: receipt of declaration (récépissé)")
    MA_ICE = "ma-ice", _("Morocco: common company identifier (ICE)")
    FR_RNA = "fr-rna", _("France: national register of associations (RNA)")
    FR_SIREN = "fr-siren", _("France: SIREN")
    OTHER = "other", _("Other")


class BudgetBand(models.TextChoices):
    UNDER_10K = "lt10k", _("Under 10,000 €")
    UNDER_50K = "lt50k", _("10,000 to 50,000 €")
    UNDER_250K = "lt250k", _("50,000 to 250,000 €")
    UNDER_1M = "lt1m", _("250,000 € to 1 million €")
    OVER_1M = "gte1m", _("Over 1 million €")


class Organization(BaseModel):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Unverified")
        PENDING = "pending", _("Verification pending")
        VERIFIED = "verified", _("Verified")
        SUSPENDED = "suspended", _("Suspended")

    # Allowed status transitions; one service per transition (see services/verification.py).
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.UNVERIFIED: frozenset({Status.PENDING}),
        Status.PENDING: frozenset({Status.VERIFIED, Status.UNVERIFIED}),
        Status.VERIFIED: frozenset({Status.SUSPENDED}),
        Status.SUSPENDED: frozenset({Status.VERIFIED}),
    }
    PUBLIC_STATUSES = frozenset({Status.PENDING, Status.VERIFIED})

    name_ar = models.CharField(_("name in Arabic"), max_length=255, blank=True)
    name_fr = models.CharField(_("name in French"), max_length=255, blank=True)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    primary_language = models.CharField(_("primary language"), max_length=2, choices=settings.LANGUAGES, default="ar")
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.ForeignKey(OrganizationKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    legal_form = models.CharField(_("legal form"), max_length=120, blank=True)
    registry = models.CharField(_("registry"), max_length=20, choices=Registry.choices, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=2)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    operating_territories = models.ManyToManyField(
        Territory, verbose_name=_("where it works"), blank=True, related_name="+"
    )
    address = models.TextField(_("address"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The federations or networks the organisation belongs to (organisations of kind "federation").
    federations = models.ManyToManyField(
        "self", verbose_name=_("member of the federations"), blank=True, symmetrical=False, related_name="members"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    sdg_goals = models.ManyToManyField(SDGGoal, verbose_name=_("sustainable development goals"), blank=True)
    sdg_targets = models.ManyToManyField(SDGTarget, verbose_name=_("SDG targets"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    website = models.URLField(_("website"), blank=True)
    social_links = models.JSONField(_("social links"), default=list, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    members_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    volunteers_count = models.PositiveIntegerField(_("number of volunteers"), null=True, blank=True)
    budget_band = models.CharField(_("annual budget"), max_length=10, choices=BudgetBand.choices, blank=True)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UNVERIFIED)
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Search: names folded (accents, Arabic letter variants) for trigram matching, and a full-text vector
    # (arabic + french configurations). Both are written by services/search_index.py, never by hand.
    search_text = models.TextField(default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_ar="", name_fr="", name_en=""),
                name="organization_has_a_name",
                violation_error_code="name_required",
                violation_error_message=_("Give the organisation's name in at least one language."),
            ),
            models.UniqueConstraint(
                fields=["registry", "registration_number"],
                condition=~models.Q(registration_number=""),
                name="organization_unique_registration",
                violation_error_code="duplicate_registration",
                violation_error_message=_("An organisation with this registration number is already registered."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "country"]),
            GinIndex(fields=["search_vector"], name="organization_search_vector"),
            GinIndex(fields=["search_text"], name="organization_search_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or self.primary_language)[:2]
        names = {"ar": self.name_ar, "fr": self.name_fr, "en": self.name_en}
        return names.get(lang) or names.get(self.primary_language) or self.name_fr or self.name_ar or self.name_en

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def can_receive_funds(self) -> bool:
        return self.status == self.Status.VERIFIED and self.kind.can_receive_funds

    def clean(self) -> None:
        super().clean()
        if self.territory_id and self.territory and self.country and self.territory.country != self.country:
            raise ValidationError(
                {"territory": _("This territory is not in the organisation's country.")}, code="territory_country"
            )

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())


class BoardMember(models.Model):
    class Role(models.TextChoices):
        PRESIDENT = "president", _("President")
        VICE_PRESIDENT = "vice_president", _("Vice-president")
        SECRETARY = "secretary", _("Secretary general")
        TREASURER = "treasurer", _("Treasurer")
        MEMBER = "member", _("Board member")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="board")
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"
