"""Shared, translated taxonomies: organisation kinds, themes and the UN Sustainable Development Goals."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jusoor.common.i18nfield import localized, validate_translations


class TranslatedLabelModel(models.Model):
    slug = models.SlugField(_("identifier"), max_length=50, unique=True)
    label = models.JSONField(_("label"), validators=[validate_translations], help_text=_('{"ar": …, "fr": …, "en": …}'))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.label)


class OrganizationKind(TranslatedLabelModel):
    """Association, cooperative, municipality… Data the platform admin can extend."""

    # Whether organisations of this kind can be verified to receive money (campaigns, grants).
    can_receive_funds = models.BooleanField(_("can receive funds"), default=True)

    class Meta(TranslatedLabelModel.Meta):
        verbose_name = _("organisation kind")
        verbose_name_plural = _("organisation kinds")


class Theme(TranslatedLabelModel):
    class Meta(TranslatedLabelModel.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class SDGGoal(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    title = models.JSONField(_("title"), validators=[validate_translations])
    short = models.JSONField(_("short title"), validators=[validate_translations])
    color = models.CharField(_("colour"), max_length=7)

    class Meta:
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {localized(self.short)}"

    @property
    def name(self) -> str:
        return localized(self.short)


class SDGTarget(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)  # "1.1", "1.a"
    goal = models.ForeignKey(SDGGoal, on_delete=models.CASCADE, related_name="targets")
    title = models.JSONField(_("title"), validators=[validate_translations])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        ordering = ["goal", "position"]

    def __str__(self) -> str:
        return f"{self.code} {localized(self.title)}"
