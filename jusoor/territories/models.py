"""Reference data: administrative territories of Tunisia, Morocco and France.

Each territory has one primary code (unique across the table) with the code system it
belongs to, plus alternate codes in other systems (Tunisian ISO vs INS numbering disagree;
Morocco has ISO 3166-2 and HCP codes). Names are stored in the three UI languages.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    TN = "TN", _("Tunisia")
    MA = "MA", _("Morocco")
    FR = "FR", _("France")


class Kind(models.TextChoices):
    GOVERNORATE = "governorate", _("Governorate")
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COMMUNE = "commune", _("Commune")
    DEPARTMENT = "department", _("Department")


class CodeSystem(models.TextChoices):
    ISO_3166_2 = "iso3166-2", _("ISO 3166-2")
    TN_INS = "tn-ins", _("INS geographic code (Tunisia)")
    TN_MUNICIPALITY = "tn-municipality", _("Official municipality code (Tunisia)")
    MA_HCP = "ma-hcp", _("HCP code (Morocco)")


class Territory(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    code_system = models.CharField(_("code system"), max_length=20, choices=CodeSystem.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # The three names folded for search (accents, hamza/alef variants, tatweel removed): see folding.py.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["country", "kind", "code"]
        indexes = [
            models.Index(fields=["country", "kind"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "ar")[:2]
        return getattr(self, f"name_{lang}", None) or self.name_fr or self.name_ar

    @property
    def names(self) -> dict[str, str]:
        return {"ar": self.name_ar, "fr": self.name_fr, "en": self.name_en}


class TerritoryCode(models.Model):
    """An alternate code of a territory in another code system (e.g. INS for a TN governorate)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="codes")
    system = models.CharField(max_length=20, choices=CodeSystem.choices)
    code = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="territory_code_unique_per_system")]

    def __str__(self) -> str:
        return f"{self.system}:{self.code}"


class TerritoryBoundary(models.Model):
    """GeoJSON geometry (WGS84) of a territory, kept apart so lists never load it."""

    territory = models.OneToOneField(Territory, on_delete=models.CASCADE, related_name="boundary", primary_key=True)
    geometry = models.JSONField()
    source = models.CharField(max_length=200)
