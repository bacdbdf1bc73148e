"""Calls for applications and the applications organisations send to them.

A call is open when `opens_at <= now < closes_at` (derived from the dates, never a flag). Its eligibility rules are
columns evaluated automatically (`services/eligibility.py`), the reasons shown to the applicant. Its form is a list
of typed `Question`s; an `Application` keeps one `Answer` per question. Status moves only through the services in
`services/applications.py`, one per transition (`Application.TRANSITIONS`), audited and notified.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jusoor.common.i18nfield import localized
from jusoor.common.models import BaseModel
from jusoor.organizations.models import Organization, OrganizationKind
from jusoor.organizations.models.documents import private_storage
from jusoor.programmes.models import Programme, TrilingualMixin
from jusoor.territories.models import Territory


class CallQuerySet(models.QuerySet["Call"]):
    def open(self) -> CallQuerySet:
        now = timezone.now()
        return self.filter(published=True, opens_at__lte=now, closes_at__gt=now)


class Call(TrilingualMixin, BaseModel):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="calls"
    )
    primary_language = models.CharField(_("primary language"), max_length=2, choices=settings.LANGUAGES, default="fr")
    title_ar = models.CharField(_("title in Arabic"), max_length=200, blank=True)
    title_fr = models.CharField(_("title in French"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description_ar = models.TextField(_("description in Arabic"), blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    published = models.BooleanField(_("published"), default=False)

    # Eligibility, evaluated automatically (an empty rule does not restrict).
    eligible_kinds = models.ManyToManyField(
        OrganizationKind, verbose_name=_("organisation kinds"), blank=True, related_name="+"
    )
    eligible_countries = models.JSONField(_("countries"), default=list, blank=True)  # ["MA"]
    eligible_territories = models.ManyToManyField(
        Territory, verbose_name=_("territories"), blank=True, related_name="+"
    )
    minimum_age_months = models.PositiveIntegerField(
        _("minimum age of the organisation (months)"), null=True, blank=True
    )
    require_verified = models.BooleanField(_("verified organisations only"), default=True)
    max_requested = models.DecimalField(
        _("largest amount that can be requested"), max_digits=20, decimal_places=3, null=True, blank=True
    )

    # Review settings.
    reviewers_per_application = models.PositiveSmallIntegerField(_("reviewers per application"), default=3)
    blind_review = models.BooleanField(_("blind review"), default=False)
    same_commune_conflict = models.BooleanField(
        _("reviewers living or working in the applicant's commune are in conflict"), default=False
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold"), max_digits=6, decimal_places=3, default=Decimal("1.5")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title_ar="", title_fr="", title_en=""), name="call_has_a_title"),
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_closes_after"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.published and self.opens_at <= now < self.closes_at

    @property
    def is_closed(self) -> bool:
        return timezone.now() >= self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        SINGLE_CHOICE = "single_choice", _("One choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
        DATE = "date", _("Date")
        FILE = "file", _("File")
        BUDGET = "budget", _("Budget table")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.JSONField(_("question"), help_text=_('{"ar": …, "fr": …, "en": …}'))
    help_text = models.JSONField(_("help"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # Hidden from reviewers when the call's review is blind (e.g. "name of your president").
    identifying = models.BooleanField(_("reveals who applies"), default=False)
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    # For choices: [{"value": "youth", "label": {"ar": …, "fr": …, "en": …}}, …]
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["call", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localized(self.label)


class Application(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Not eligible")
        UNDER_REVIEW = "under_review", _("Under review")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        SELECTED = "selected", _("Selected")
        WAITLISTED = "waitlisted", _("Waiting list")
        REJECTED = "rejected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
        Status.SUBMITTED: frozenset({Status.ELIGIBLE, Status.INELIGIBLE, Status.WITHDRAWN}),
        Status.ELIGIBLE: frozenset({Status.INELIGIBLE, Status.UNDER_REVIEW, Status.WITHDRAWN}),
        Status.INELIGIBLE: frozenset({Status.ELIGIBLE}),  # a manager's override, with a reason
        Status.UNDER_REVIEW: frozenset({Status.SHORTLISTED, Status.REJECTED, Status.WITHDRAWN}),
        Status.SHORTLISTED: frozenset({Status.SELECTED, Status.WAITLISTED, Status.REJECTED, Status.WITHDRAWN}),
        Status.WAITLISTED: frozenset({Status.SELECTED, Status.REJECTED}),
    }
    # What the applicant can still change or withdraw; after these, the application belongs to the programme.
    EDITABLE_STATUSES = frozenset({Status.DRAFT})

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DRAFT)
    requested_amount = models.DecimalField(
        _("amount requested"), max_digits=20, decimal_places=3, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    eligibility = models.JSONField(default=list, blank=True)  # [{"rule": …, "ok": bool, "reason": …}]
    status_reason = models.TextField(_("reason"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="ar")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organization"], name="application_one_per_organization"),
            models.CheckConstraint(
                condition=models.Q(requested_amount__isnull=True) | models.Q(requested_amount__gte=0),
                name="application_requested_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["organization", "status"]),
            # The managers' list: a call's applications, the latest submitted first.
            models.Index(
                models.F("call"),
                models.F("submitted_at").desc(nulls_last=True),
                models.F("id").desc(),
                name="application_call_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_id}/{self.organization_id}"

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Typed by the question: str, number as str, list of choice values, ISO date, budget rows
    # [{"label": …, "amount": "…"}]; files in `file`.
    value = models.JSONField(null=True, blank=True)
    file = models.FileField(upload_to="calls/answers/", storage=private_storage, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["application", "question"], name="answer_one_per_question")]
