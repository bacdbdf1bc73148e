"""Demo campaigns for `make run`, carried by verified demo organisations (run after `load_demo_organizations`).

Idempotent: a campaign is found again by its organisation and French title, so a rerun restores its texts, money
and status without duplicating it; its dates are set once, when it is created (about 30 days to go). Rows are written
directly with the ORM in one transaction: this is seed data, not a user action (no audit events, no mails).

The Medenine campaign follows seed 000: the DONSENTUNISIE trainings (Medenine, 26–28 September) were held with a
local children's association. The other projects are illustrative, in the places and themes of the seeds.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jusoor.campaigns.models import COUNTRY_TIMEZONE, BudgetLine, Campaign, CampaignUpdate
from jusoor.organizations.models import Organization, Registry, SDGGoal, Theme
from jusoor.territories.models import Territory

Status = Campaign.Status
D = Decimal

CAMPAIGNS: list[dict[str, Any]] = [
    {
        "organization": "DEMO-TN-ENFANTS-LUNE-MEDENINE",
        "territory": {"under": "TN-82", "name_fr": "Medenine"},
        "status": Status.LIVE,
        "title_ar": "فضاء لعب وتعلّم لأطفال مدنين",
        "title_fr": "Un espace de jeu et d’apprentissage pour les enfants de Médenine",
        "title_en": "A play and learning space for the children of Medenine",
        "summary_ar": "نهيّئ قاعة في حيّ شعبي بمدنين لتصبح فضاءً آمنًا للعب والمطالعة والدعم المدرسي لفائدة 120 طفلًا.",
        "summary_fr": (
            "Nous aménageons une salle d’un quartier populaire de Médenine en espace sûr de jeu, de lecture "
            "et de soutien scolaire pour 120 enfants."
        ),
        "story_ar": (
            "بعد الدورة التكوينية حول التمويل التشاركي التي احتضنتها مدنين من 26 إلى 28 سبتمبر، قررت جمعيتنا أن تطلق "
            "أول حملة لها. في حيّنا لا يوجد أي فضاء مخصص للأطفال بعد المدرسة: يقضي الكثير منهم أوقاتهم في الشارع.\n\n"
            "سنهيّئ قاعة وضعتها البلدية على ذمتنا، ونجهزها بأثاث وألعاب تربوية ومكتبة صغيرة، ونكوّن ستة منشطين "
            "متطوعين. سيستقبل الفضاء 120 طفلًا كل أسبوع للعب والمطالعة والدعم المدرسي.\n\n"
            "سننشر صور الأشغال وأخبار الفضاء طيلة الحملة وبعدها."
        ),
        "story_fr": (
            "Après la formation au financement participatif tenue à Médenine du 26 au 28 septembre, notre "
            "association lance sa première campagne. Notre quartier n’a aucun lieu pour les enfants après l’école : "
            "beaucoup passent leur temps dans la rue.\n\n"
            "Nous aménagerons une salle mise à disposition par la municipalité, l’équiperons de mobilier, de jeux "
            "éducatifs et d’une petite bibliothèque, et formerons six animateurs bénévoles. L’espace accueillera "
            "120 enfants chaque semaine pour jouer, lire et être aidés dans leurs devoirs.\n\n"
            "Nous publierons les photos des travaux et les nouvelles de l’espace pendant et après la campagne."
        ),
        "primary_language": "ar",
        "currency": "TND",
        "lines": [
            ("Aménagement et peinture de la salle", D("9500.000")),
            ("Mobilier et jeux éducatifs", D("7250.500")),
            ("Livres et matériel d’animation", D("4800.000")),
            ("Formation de six animateurs bénévoles", D("3449.500")),
        ],
        "minimum_goal": D("15000.000"),
        "stretch_goal": D("32000.000"),
        "funding_model": Campaign.FundingModel.ALL_OR_NOTHING,
        "beneficiaries_count": 120,
        "beneficiaries_description": "Enfants de 6 à 12 ans du quartier et leurs familles",
        "themes": ["education", "women-youth"],
        "sdg_goals": [4, 10],
        "days": (-5, 30),
        "colour": (11, 90, 111),
        "update": (
            "Merci ! Les travaux de peinture commencent",
            "Grâce à vos premiers dons, la municipalité nous a remis les clés de la salle et les bénévoles ont "
            "commencé la peinture. Prochaine étape : le mobilier.",
        ),
    },
    {
        "organization": "DEMO-MA-FEMMES-ORIENTAL",
        "territory": {"code": "MA-OUJ"},
        "status": Status.LIVE,
        "title_ar": "ورشة خياطة لأربعين امرأة بجهة الشرق",
        "title_fr": "Un atelier de couture pour quarante femmes de l’Oriental",
        "title_en": "A sewing workshop for forty women of the Oriental",
        "summary_ar": "تجهيز ورشة خياطة وتكوين أربعين امرأة لإطلاق نشاط مدرّ للدخل بوجدة.",
        "summary_fr": "Équiper un atelier de couture et former quarante femmes d’Oujda pour lancer une activité "
        "génératrice de revenus.",
        "story_fr": (
            "Beaucoup de femmes de nos quartiers savent coudre mais n’ont ni machine ni local. Avec l’atelier, elles "
            "suivront trois mois de formation, puis produiront ensemble pour les commerces et les coopératives de "
            "la région.\n\nLe budget couvre huit machines, les premiers tissus, la formation et six mois de loyer."
        ),
        "primary_language": "fr",
        "currency": "MAD",
        "lines": [
            ("Huit machines à coudre", D("34000.00")),
            ("Tissus et fournitures", D("12500.00")),
            ("Formation de trois mois", D("18000.00")),
            ("Loyer de l’atelier pendant six mois", D("15500.00")),
        ],
        "funding_model": Campaign.FundingModel.KEEP_WHAT_YOU_RAISE,
        "beneficiaries_count": 40,
        "beneficiaries_description": "Femmes des quartiers d’Oujda",
        "themes": ["income-generating-activities", "women-youth"],
        "sdg_goals": [5, 8],
        "days": (-2, 40),
        "colour": (200, 85, 61),
    },
    {
        "organization": "DEMO-MA-MCISE",
        "territory": {"code": "MA-CAS"},
        "status": Status.DRAFT,
        "title_fr": "Hackathon citoyen des jeunes de Casablanca",
        "summary_fr": (
            "Deux jours pour que 80 jeunes imaginent des solutions numériques aux problèmes de leur quartier."
        ),
        "primary_language": "fr",
        "currency": "MAD",
        "lines": [
            ("Location de la salle et repas", D("22000.00")),
            ("Prix pour les trois meilleures équipes", D("18000.00")),
        ],
        "funding_model": Campaign.FundingModel.ALL_OR_NOTHING,
        "themes": ["digital", "women-youth"],
        "sdg_goals": [8, 16],
        "days": (10, 40),
    },
    {
        "organization": "DEMO-MA-NZALAT-ENVIRONNEMENT",
        "territory": {"code": "MA-REH"},
        "status": Status.SUBMITTED,
        "title_ar": "صهاريج لتجميع مياه الأمطار بمدرسة انزالت لعظم",
        "title_fr": "Des citernes d’eau de pluie pour l’école de Nzalat Laadam",
        "summary_fr": "Recueillir l’eau de pluie des toits de l’école pour les sanitaires et le jardin potager.",
        "story_fr": (
            "L’école du douar manque d’eau une grande partie de l’année. Deux citernes de 20 m³ recueilleront l’eau "
            "des toits ; les élèves apprendront à l’économiser et à cultiver un petit jardin."
        ),
        "primary_language": "ar",
        "currency": "MAD",
        "lines": [
            ("Deux citernes de 20 m³", D("46000.00")),
            ("Gouttières et raccordements", D("9500.00")),
            ("Jardin potager et ateliers pour les élèves", D("6500.00")),
        ],
        "funding_model": Campaign.FundingModel.ALL_OR_NOTHING,
        "beneficiaries_count": 210,
        "themes": ["water-sanitation", "environment"],
        "sdg_goals": [6, 13],
        "days": (3, 45),
    },
    {
        "organization": "DEMO-MA-AMAL-BENGUERIR",
        "territory": {"code": "MA-REH"},
        "status": Status.APPROVED,
        "title_ar": "قافلة طبية للكشف عن داء السكري بالرحامنة",
        "title_fr": "Une caravane de dépistage du diabète dans la province de Rhamna",
        "summary_fr": "Dépister 1 500 habitants des communes rurales et former des relais de santé.",
        "story_fr": (
            "Issue de l’atelier « santé » de La Ruche Rhamna, la caravane passera dans six communes rurales avec une "
            "équipe médicale bénévole, des glucomètres et des supports de sensibilisation en arabe et en amazighe."
        ),
        "primary_language": "ar",
        "currency": "MAD",
        "lines": [
            ("Glucomètres et bandelettes", D("21000.00")),
            ("Transport de l’équipe dans six communes", D("9000.00")),
            ("Supports de sensibilisation", D("5000.00")),
        ],
        "funding_model": Campaign.FundingModel.KEEP_WHAT_YOU_RAISE,
        "beneficiaries_count": 1500,
        "themes": ["health"],
        "sdg_goals": [3],
        "days": (-1, 30),
    },
]

TEXT_FIELDS = [f"{name}_{code}" for name in ("title", "summary", "story") for code in ("ar", "fr", "en")]
FIELDS = [
    *TEXT_FIELDS,
    "primary_language",
    "currency",
    "minimum_goal",
    "stretch_goal",
    "funding_model",
    "beneficiaries_count",
    "beneficiaries_description",
    "status",
]
REVIEWED = {Status.APPROVED, Status.LIVE}


def _territory(spec: dict[str, str]) -> Territory:
    if "code" in spec:
        found = Territory.objects.filter(code=spec["code"]).first()
    else:
        found = Territory.objects.filter(parent__code=spec["under"], name_fr=spec["name_fr"]).first()
    if found is None:
        raise ValueError(f"demo data: territory {spec} not found (run load_territories first)")
    return found


def _organization(key: str) -> Organization:
    organization = Organization.objects.filter(registry=Registry.OTHER, registration_number=key).first()
    if organization is None:
        raise ValueError(f"demo data: organisation {key} not found (run load_demo_organizations first)")
    return organization


def _cover(colour: tuple[int, int, int]) -> ContentFile[bytes]:
    """A plain banner in the given colour with lighter bands: a placeholder until the association uploads a photo."""
    from PIL import Image, ImageDraw  # noqa: PLC0415

    image = Image.new("RGB", (1200, 630), colour)
    draw = ImageDraw.Draw(image)
    for index in range(6):
        shade = tuple(min(255, channel + 25 * (index + 1)) for channel in colour)
        draw.ellipse((700 + index * 40, 80 + index * 40, 1150 - index * 20, 560 - index * 30), outline=shade, width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


def _values(spec: dict[str, Any]) -> dict[str, Any]:
    values = {field: spec.get(field, "") for field in TEXT_FIELDS}
    values.update(
        {
            "primary_language": spec["primary_language"],
            "currency": spec["currency"],
            "minimum_goal": spec.get("minimum_goal"),
            "stretch_goal": spec.get("stretch_goal"),
            "funding_model": spec["funding_model"],
            "beneficiaries_count": spec.get("beneficiaries_count"),
            "beneficiaries_description": spec.get("beneficiaries_description", ""),
            "status": spec["status"],
            "territory": _territory(spec["territory"]),
            "goal": sum((amount for _label, amount in spec["lines"]), Decimal("0")),
        }
    )
    values["review_checklist"] = (
        dict.fromkeys(("clear_story", "realistic_budget", "images", "legal_documents_current"), True)
        if spec["status"] in REVIEWED
        else {}
    )
    return values


def _write(spec: dict[str, Any]) -> Campaign:
    organization = _organization(spec["organization"])
    values = _values(spec)
    campaign = Campaign.objects.filter(organization=organization, title_fr=spec["title_fr"]).first()
    if campaign is None:
        now = timezone.now()
        start, end = spec["days"]
        campaign = Campaign.objects.create(
            organization=organization,
            starts_at=now + timedelta(days=start),
            ends_at=now + timedelta(days=end),
            display_timezone=COUNTRY_TIMEZONE[values["territory"].country],
            status_changed_at=now if spec["status"] != Status.DRAFT else None,
            **values,
        )
    else:
        changed = [name for name, value in values.items() if getattr(campaign, name) != value]
        if changed:
            for name in changed:
                setattr(campaign, name, values[name])
            campaign.save(update_fields=[*changed, "updated_at"])
    lines = [(line.label, line.amount) for line in campaign.budget_lines.order_by("position", "id")]
    if lines != spec["lines"]:
        campaign.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(campaign=campaign, position=index, label=label, amount=amount)
            for index, (label, amount) in enumerate(spec["lines"])
        )
    campaign.themes.set(Theme.objects.filter(slug__in=spec["themes"]))
    campaign.sdg_goals.set(SDGGoal.objects.filter(number__in=spec["sdg_goals"]))
    if "colour" in spec and not campaign.cover_image:
        campaign.cover_image.save(f"demo-{campaign.pk}.png", _cover(spec["colour"]), save=False)
        campaign.save(update_fields=["cover_image"])
    if "update" in spec:
        title, body = spec["update"]
        CampaignUpdate.objects.get_or_create(campaign=campaign, title=title, defaults={"body": body})
    return campaign


@transaction.atomic
def demo_campaigns_load() -> list[Campaign]:
    """Create or update the demo campaigns (territories, reference data and demo organisations must be loaded)."""
    return [_write(spec) for spec in CAMPAIGNS]
