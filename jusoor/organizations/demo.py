"""Demo organisations for `make run`, built from the facts of the five seed articles (see shared DOMAIN.md).

Idempotent: each organisation is keyed by a stable registration number in the "other" registry
(`DEMO-…`), so a rerun updates the rows instead of duplicating them. Rows are written directly with the ORM in
one transaction: this is seed data, not a user action (no audit events, no verification workflow).

Organisations named in the seeds keep the facts the seeds give (names, places, dates, figures). The local
associations and cooperatives of Hammamet, of the five TAMURI regions and of the Rhamna province are
illustrative (the seeds only count them); their names, members and volunteers are made up for the demo.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jusoor.organizations.models import (
    BoardMember,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
    Registry,
    SDGGoal,
    SDGTarget,
    Theme,
)
from jusoor.organizations.services.search_index import organization_reindex
from jusoor.territories.folding import fold_search_text
from jusoor.territories.models import Territory

VERIFIED = Organization.Status.VERIFIED
PENDING = Organization.Status.PENDING
UNVERIFIED = Organization.Status.UNVERIFIED

TN_ASSOCIATION = "Association (décret-loi n° 2011-88)"
MA_ASSOCIATION = "Association (dahir n° 1-58-376)"
MA_COOPERATIVE = "Coopérative (loi n° 112-12)"

# --- Seed 001: the 11 twinned Tunisian municipalities --------------------------------------------------------
# (key, Arabic name as in the seed, French name, governorate ISO code, themes, SDG goals, SDG targets, status)
TWINNED_MUNICIPALITIES: list[tuple[str, str, str, str, list[str], list[int], list[str], str]] = [
    (
        "TUNIS",
        "تونس",
        "Municipalité de Tunis",
        "TN-11",
        ["waste", "water-sanitation"],
        [11, 6],
        ["11.6", "6.3"],
        VERIFIED,
    ),
    ("CARTHAGE", "قرطاج", "Municipalité de Carthage", "TN-11", ["environment"], [11, 13], ["11.4", "13.1"], VERIFIED),
    ("SOLIMAN", "سليمان", "Municipalité de Soliman", "TN-21", ["water-sanitation"], [6, 11], ["6.3", "11.5"], VERIFIED),
    ("RAS-JEBEL", "رأس الجبل", "Municipalité de Ras Jebel", "TN-23", ["waste"], [11, 12], ["11.6"], UNVERIFIED),
    ("TESTOUR", "تستور", "Municipalité de Testour", "TN-31", ["environment"], [11, 13], ["13.1"], PENDING),
    ("MAHDIA", "المهدية", "Municipalité de Mahdia", "TN-53", ["energy"], [7, 13], ["7.3", "13.2"], VERIFIED),
    ("SOUSSE", "سوسة", "Municipalité de Sousse", "TN-51", ["waste", "digital"], [11, 12], ["11.6", "12.5"], VERIFIED),
    ("MONASTIR", "المنستير", "Municipalité de Monastir", "TN-52", ["water-sanitation"], [6, 11], ["6.3"], VERIFIED),
    (
        "HAMMAMET",
        "الحمامات",
        "Municipalité de Hammamet",
        "TN-21",
        ["environment", "waste"],
        [11, 13],
        ["11.5"],
        VERIFIED,
    ),
    ("ARIANA", "أريانة", "Municipalité de l’Ariana", "TN-12", ["energy", "digital"], [7, 11], ["7.3"], VERIFIED),
    ("BARDO", "باردو", "Municipalité du Bardo", "TN-11", ["water-sanitation"], [6, 11], ["11.5"], PENDING),
]
_MUNICIPALITY_DESCRIPTION = (
    "بلدية متوأمة مع نظيرة فرنسية، شاركت في ورشة العمل حول تطوير التعاون اللامركزي التونسي الفرنسي بمركز التكوين "
    "ودعم اللامركزية يوم 10 ديسمبر 2024، خلال زيارة وفد «أحياء فرنسية متحدة» (Cités Unies France). من التحديات "
    "المشتركة: الاستدامة والتغيرات المناخية والانتقال النظيف والتصرف في الفضلات والتصدي لأخطار الفيضانات والتصرف "
    "في المياه المستعملة ومياه الأمطار والتحكم في الطاقة.\n\n"
    "Municipalité jumelée avec une collectivité française, participante à l’atelier du 10 décembre 2024 sur la "
    "coopération décentralisée tuniso-française (Centre de formation et d’appui à la décentralisation), lors de la "
    "visite de Cités Unies France. Défis partagés : durabilité, changement climatique, transition propre, gestion "
    "des déchets, risque d’inondation, eaux usées et pluviales, maîtrise de l’énergie."
)


def _municipality(row: tuple[str, str, str, str, list[str], list[int], list[str], str]) -> dict[str, Any]:
    key, name_ar, name_fr, governorate, themes, goals, targets, status = row
    return {
        "key": f"DEMO-TN-MUN-{key}",
        "name_ar": f"بلدية {name_ar}",
        "name_fr": name_fr,
        "primary_language": "ar",
        "kind": "municipality",
        "legal_form": "Collectivité locale (code des collectivités locales, 2018)",
        "country": "TN",
        "territory": {"under": governorate, "kind": "municipality", "name_ar": name_ar},
        "themes": [*themes, "governance-participation"],
        "sdg_goals": [*goals, 17],
        "sdg_targets": [*targets, "17.17"],
        "description": _MUNICIPALITY_DESCRIPTION,
        "status": status,
    }


ORGANIZATIONS: list[dict[str, Any]] = [
    # --- Seed 000: diaspora crowdfunding --------------------------------------------------------------------
    {
        "key": "DEMO-FR-FTCR",
        "name_ar": "فيدرالية التونسيين من أجل مواطنة بين الضفتين",
        "name_fr": "Fédération des Tunisiens pour une Citoyenneté des deux Rives",
        "name_en": "Federation of Tunisians for Citizenship of the Two Shores",
        "acronym": "FTCR",
        "primary_language": "fr",
        "kind": "diaspora-association",
        "legal_form": "Association loi 1901",
        "country": "FR",
        "territory": {"code": "FR-75C"},
        "operating": [{"code": "TN-21"}, {"code": "TN-82"}],
        "themes": ["governance-participation", "digital", "income-generating-activities"],
        "sdg_goals": [10, 16, 17],
        "sdg_targets": ["10.c", "17.17"],
        "description": (
            "تأسست فيدرالية التونسيين من أجل مواطنة بين الضفتين بموجب قانون الجمعيات 1901 بفرنسا، وتمثل أحد أصوات "
            "الجالية التونسية بفرنسا. تتكون من جمعيات فرنسية تونسية يعمل أعضاؤها على تعزيز الروابط وترسيخ المواطنة "
            "الفاعلة على الضفتين. أطلقت منصة التمويل التشاركي DONSENTUNISIE لتمكين الجالية من دعم المشاريع المحلية "
            "للجمعيات الناشطة في كل ولايات الجمهورية، ونظمت بدعم من المنظمة الدولية للهجرة دورتين تكوينيتين لحوالي "
            "30 جمعية (الحمامات من 22 إلى 24 سبتمبر، مدنين من 26 إلى 28 سبتمبر).\n\n"
            "Fédération d’associations franco-tunisiennes (loi 1901), l’une des voix de la diaspora tunisienne en "
            "France. Elle a lancé DONSENTUNISIE, plateforme de financement participatif qui permet à la diaspora de "
            "financer des projets locaux portés par des associations de tous les gouvernorats, et a formé avec "
            "l’Organisation internationale pour les migrations une trentaine d’associations (Hammamet, "
            "22–24 septembre ; Médenine, 26–28 septembre)."
        ),
        "status": VERIFIED,
        "owners": ["donor@jusoor.demo"],
    },
    {
        "key": "DEMO-TN-ENFANTS-LUNE-MEDENINE",
        "name_ar": "جمعية أطفال القمر مدنين",
        "name_fr": "Association Les Enfants de la Lune de Médenine",
        "primary_language": "ar",
        "kind": "association",
        "legal_form": TN_ASSOCIATION,
        "country": "TN",
        "territory": {"under": "TN-82", "kind": "municipality", "name_ar": "مدنين"},
        "themes": ["health", "women-youth"],
        "sdg_goals": [3, 10],
        "sdg_targets": ["3.8"],
        "description": (
            "جمعية محلية للطفولة بمدنين، شريكة الدورة التكوينية الثانية حول التمويل التشاركي التي نظمتها فيدرالية "
            "التونسيين من أجل مواطنة بين الضفتين بدعم من المنظمة الدولية للهجرة (مدنين، من 26 إلى 28 سبتمبر).\n\n"
            "Association locale pour l’enfance à Médenine, partenaire de la session de formation au financement "
            "participatif organisée par la FTCR avec l’OIM (Médenine, 26–28 septembre)."
        ),
        "status": VERIFIED,
        "members": 45,
        "volunteers": 20,
    },
    {
        "key": "DEMO-TN-JEUNES-HAMMAMET",
        "name_ar": "جمعية شباب الحمامات للمواطنة الفاعلة",
        "name_fr": "Association Jeunes de Hammamet pour une citoyenneté active",
        "primary_language": "ar",
        "kind": "association",
        "legal_form": TN_ASSOCIATION,
        "country": "TN",
        "territory": {"under": "TN-21", "kind": "municipality", "name_ar": "الحمامات"},
        "themes": ["women-youth", "governance-participation", "socio-cultural-sport"],
        "sdg_goals": [4, 5, 16],
        "sdg_targets": ["16.7"],
        "description": (
            "جمعية شبابية شاركت في الدورة التكوينية الأولى حول التمويل التشاركي واستقطاب الجالية بمدينة الحمامات "
            "(من 22 إلى 24 سبتمبر)، بالتعاون مع برنامج «لنكن ناشطين، لنكن ناشطات».\n\n"
            "Association de jeunes, participante à la première session de formation au financement participatif et "
            "à la mobilisation de la diaspora à Hammamet (22–24 septembre), avec le programme « Soyons actifs, "
            "soyons actives »."
        ),
        "status": PENDING,
        "members": 60,
        "volunteers": 25,
    },
    # --- Seed 001: decentralised cooperation ---------------------------------------------------------------
    {
        "key": "DEMO-FR-CUF",
        "name_ar": "أحياء فرنسية متحدة",
        "name_fr": "Cités Unies France",
        "acronym": "CUF",
        "primary_language": "fr",
        "kind": "federation",
        "legal_form": "Association loi 1901",
        "country": "FR",
        "territory": {"code": "FR-75C"},
        "themes": ["governance-participation", "environment", "digital"],
        "sdg_goals": [11, 16, 17],
        "sdg_targets": ["11.a", "17.17"],
        "description": (
            "جمعية فرنسية تأسست سنة 1975 وتضم ممثلين عن عدد من البلديات والجماعات الترابية الفرنسية المهتمة بتعزيز "
            "التعاون الدولي اللامركزي. زار وفد عنها تونس من 9 إلى 11 ديسمبر 2024 وشارك في ورشة العمل حول تطوير "
            "التعاون اللامركزي بين البلديات التونسية ونظيراتها الفرنسية.\n\n"
            "Réseau français des collectivités territoriales engagées dans la coopération décentralisée, fondé en "
            "1975. Sa délégation a conduit en Tunisie (9–11 décembre 2024) l’atelier sur la relance de la "
            "coopération décentralisée tuniso-française, avec 11 municipalités jumelées ; les partenaires français "
            "ont suivi en ligne."
        ),
        "status": VERIFIED,
    },
    *[_municipality(row) for row in TWINNED_MUNICIPALITIES],
    # --- Seed 002: TAMURI incubation programme -------------------------------------------------------------
    {
        "key": "DEMO-MA-MCISE",
        "name_ar": "المركز المغربي للابتكار والمقاولة الاجتماعية",
        "name_fr": "Centre marocain pour l’innovation et l’entrepreneuriat social",
        "name_en": "Moroccan Center for Innovation and Social Entrepreneurship",
        "acronym": "MCISE",
        "primary_language": "fr",
        "kind": "association",
        "legal_form": MA_ASSOCIATION,
        "country": "MA",
        "territory": {"code": "MA-CAS"},
        "operating": [{"code": code} for code in ("MA-06", "MA-01", "MA-02", "MA-09", "MA-05")],
        "themes": ["income-generating-activities", "women-youth", "governance-participation", "digital"],
        "sdg_goals": [8, 16, 17],
        "sdg_targets": ["8.3", "16.7", "17.17"],
        "description": (
            "Opérateur du programme TAMURI (Programme d’appui à la participation citoyenne au Maroc, soutenu par "
            "l’Union européenne), qui renforce le tissu associatif dans cinq régions : Casablanca-Settat, "
            "Tanger-Tétouan-Al Hoceïma, l’Oriental, Souss-Massa et Béni Mellal-Khénifra. Première année (2022) : "
            "près de 2 400 candidatures, plus de 110 organisations incubées (hackathons, bootcamps, masterclass), "
            "près de 70 événements de réseautage, plus de 510 sessions de coaching ; 19 organisations lauréates de "
            "fonds d’amorçage de 20 000 à 100 000 dirhams lors du Demo Day. Objectif : 500 OSC d’ici 2025.\n\n"
            "مشغل برنامج تامري لتقوية النسيج الجمعوي في خمس جهات بدعم من الاتحاد الأوروبي: احتضان أكثر من 110 منظمة "
            "ومنح تمويل أولي لـ19 منظمة خلال السنة الأولى."
        ),
        "status": VERIFIED,
        "owners": ["manager@jusoor.demo"],
    },
    {
        "key": "DEMO-MA-HORIZON-CASA",
        "name_ar": "جمعية أفق للتربية والتكوين",
        "name_fr": "Association Horizon pour l’éducation et la formation",
        "primary_language": "ar",
        "kind": "association",
        "legal_form": MA_ASSOCIATION,
        "country": "MA",
        "territory": {"code": "MA-CAS"},
        "themes": ["education", "women-youth"],
        "sdg_goals": [4, 8],
        "sdg_targets": ["4.4"],
        "description": (
            "جمعية محتضنة في إطار برنامج تامري بجهة الدار البيضاء-سطات، حصلت على تمويل أولي خلال «الديمو داي».\n\n"
            "Association incubée par le programme TAMURI (Casablanca-Settat), lauréate d’un fonds d’amorçage au "
            "Demo Day."
        ),
        "status": VERIFIED,
        "members": 35,
        "volunteers": 18,
    },
    {
        "key": "DEMO-MA-RIF-VERT",
        "name_ar": "جمعية الريف الأخضر للبيئة",
        "name_fr": "Association Rif Vert pour l’environnement",
        "primary_language": "ar",
        "kind": "association",
        "legal_form": MA_ASSOCIATION,
        "country": "MA",
        "territory": {"code": "MA-HOC"},
        "themes": ["environment", "waste"],
        "sdg_goals": [12, 13, 15],
        "sdg_targets": ["12.5"],
        "description": (
            "جمعية بيئية محتضنة في إطار برنامج تامري بجهة طنجة-تطوان-الحسيمة.\n\n"
            "Association environnementale incubée par le programme TAMURI (Tanger-Tétouan-Al Hoceïma)."
        ),
        "status": PENDING,
        "members": 22,
        "volunteers": 30,
    },
    {
        "key": "DEMO-MA-FEMMES-ORIENTAL",
        "name_ar": "جمعية نساء الشرق للتنمية والتضامن",
        "name_fr": "Association Femmes de l’Oriental pour le développement et la solidarité",
        "primary_language": "ar",
        "kind": "association",
        "legal_form": MA_ASSOCIATION,
        "country": "MA",
        "territory": {"code": "MA-OUJ"},
        "themes": ["women-youth", "income-generating-activities"],
        "sdg_goals": [5, 8],
        "sdg_targets": ["5.5", "8.3"],
        "description": (
            "جمعية نسائية محتضنة في إطار برنامج تامري بجهة الشرق، تدعم الأنشطة المدرة للدخل لفائدة النساء.\n\n"
            "Association de femmes incubée par le programme TAMURI (l’Oriental) : activités génératrices de revenus."
        ),
        "status": VERIFIED,
        "members": 80,
        "volunteers": 12,
    },
    {
        "key": "DEMO-MA-SOUSS-SANTE",
        "name_ar": "جمعية سوس للصحة والتضامن",
        "name_fr": "Association Souss Santé et Solidarité",
        "primary_language": "fr",
        "kind": "association",
        "legal_form": MA_ASSOCIATION,
        "country": "MA",
        "territory": {"code": "MA-AGD"},
        "themes": ["health"],
        "sdg_goals": [3],
        "sdg_targets": ["3.8"],
        "description": (
            "Association de santé de proximité incubée par le programme TAMURI (Souss-Massa).\n\n"
            "جمعية للصحة محتضنة في إطار برنامج تامري بجهة سوس-ماسة."
        ),
        "status": UNVERIFIED,
        "members": 30,
        "volunteers": 40,
    },
    {
        "key": "DEMO-MA-CITOYENNETE-BM",
        "name_ar": "جمعية المواطنة وحقوق الإنسان ببني ملال",
        "name_fr": "Association Citoyenneté et droits humains de Béni Mellal",
        "primary_language": "ar",
        "kind": "association",
        "legal_form": MA_ASSOCIATION,
        "country": "MA",
        "territory": {"code": "MA-BEM"},
        "themes": ["governance-participation", "women-youth"],
        "sdg_goals": [10, 16],
        "sdg_targets": ["16.7", "16.10"],
        "description": (
            "جمعية للدفاع عن حقوق الإنسان والمشاركة المواطنة، محتضنة في إطار برنامج تامري بجهة بني ملال-خنيفرة.\n\n"
            "Association de défense des droits humains et de participation citoyenne, incubée par le programme "
            "TAMURI (Béni Mellal-Khénifra)."
        ),
        "status": VERIFIED,
        "members": 50,
        "volunteers": 15,
    },
    # --- Seed 003: territorial coaching --------------------------------------------------------------------
    {
        "key": "DEMO-MA-ASWAK-KISSAR",
        "name_ar": "شركة التنمية المحلية أسواق كيسر",
        "name_fr": "Société de développement local Aswak Kissar",
        "acronym": "Aswak Kissar",
        "primary_language": "ar",
        "kind": "local-development-company",
        "legal_form": "Société de développement local (loi organique n° 113-14)",
        "country": "MA",
        "territory": {"under": "MA-SET", "kind": "commune", "name_ar": "كيسر"},
        "themes": ["income-generating-activities", "digital", "environment", "governance-participation"],
        "sdg_goals": [8, 11, 12, 17],
        "sdg_targets": ["8.3", "12.5", "17.1"],
        "description": (
            "شركة التنمية المحلية لجماعة كيسر. وقعت مع منظمة المدن والحكومات المحلية المتحدة الإفريقية اتفاقية شراكة "
            "لتبادل آليات ومناهج التدريب الترابي: فريق محلي من مسؤول أو اثنين من الجماعة و15 إلى 20 منشطا شابا "
            "يشرف عليهم مدرب ترابي معتمد، وسوسيوغرام ترابي حسب الموضوع، وتقوية المنتخبين والمجتمع المدني وهيئات "
            "المناصفة، وهيكلة المبادرات المحلية (الاقتصاد الدائري، إدماج العمل غير المهيكل، توسيع الوعاء الضريبي "
            "للجماعة، الرقمنة) المرتبطة بأهداف التنمية المستدامة. مشروعها: تحويل سوق الجمعة الأسبوعي إلى قطب "
            "اجتماعي واقتصادي.\n\n"
            "Société de développement local de la commune de Kissar, partenaire de CGLU Afrique pour le coaching "
            "territorial : transformer le souk hebdomadaire du vendredi en pôle social et économique."
        ),
        "status": VERIFIED,
        "board": [("محمد ياسين الداودي", BoardMember.Role.PRESIDENT)],
    },
    {
        "key": "DEMO-MA-COMMUNE-KISSAR",
        "name_ar": "جماعة كيسر",
        "name_fr": "Commune de Kissar",
        "primary_language": "ar",
        "kind": "municipality",
        "legal_form": "Collectivité territoriale (loi organique n° 113-14)",
        "country": "MA",
        "territory": {"under": "MA-SET", "kind": "commune", "name_ar": "كيسر"},
        "themes": ["governance-participation", "income-generating-activities"],
        "sdg_goals": [11, 17],
        "sdg_targets": ["17.1"],
        "description": (
            "جماعة قروية بإقليم سطات، صاحبة شركة التنمية المحلية «أسواق كيسر».\n\n"
            "Commune rurale de la province de Settat, actionnaire de la société de développement local Aswak Kissar."
        ),
        "status": VERIFIED,
    },
    {
        "key": "DEMO-MA-CGLU-AFRIQUE",
        "name_ar": "منظمة المدن والحكومات المحلية المتحدة الإفريقية",
        "name_fr": "Cités et Gouvernements Locaux Unis d’Afrique",
        "name_en": "United Cities and Local Governments of Africa",
        "acronym": "CGLU Afrique",
        "primary_language": "fr",
        "kind": "international-organisation",
        "country": "MA",
        "territory": {"code": "MA-RAB"},
        "themes": ["governance-participation"],
        "sdg_goals": [11, 16, 17],
        "sdg_targets": ["16.7", "17.17"],
        "description": (
            "Réseau africain des villes et gouvernements locaux. Partenaire d’Aswak Kissar pour l’échange de "
            "méthodes de coaching territorial ; le projet de pôle rural devait être présenté au sommet Africités 9 "
            "(Kisumu, Kenya, 26–30 avril 2022).\n\n"
            "منظمة المدن والحكومات المحلية المتحدة الإفريقية: شريكة «أسواق كيسر» في تبادل مناهج التدريب الترابي."
        ),
        "status": VERIFIED,
        "board": [("Jean Pierre Elong Mbassi", BoardMember.Role.SECRETARY)],
    },
    # --- Seed 004: provincial associative cell, Rhamna ------------------------------------------------------
    {
        "key": "DEMO-MA-RUCHE-RHAMNA",
        "name_ar": "الخلية الجمعوية للتنمية التشاركية بإقليم الرحامنة",
        "name_fr": "La Ruche Rhamna – cellule associative pour le développement participatif",
        "acronym": "La Ruche Rhamna",
        "primary_language": "ar",
        "kind": "federation",
        "country": "MA",
        "territory": {"code": "MA-REH"},
        "themes": [
            "health",
            "socio-cultural-sport",
            "environment",
            "income-generating-activities",
            "education",
            "governance-participation",
        ],
        "sdg_goals": [3, 4, 8, 11, 16, 17],
        "sdg_targets": ["16.7", "17.17"],
        "description": (
            "أحدثتها عمالة إقليم الرحامنة مع الفاعلين المحليين لمأسسة العلاقة بين الإقليم والمجتمع المدني والمصالح "
            "الخارجية عبر برنامج عمل: المساهمة في إعداد وتتبع البرامج التنموية الإقليمية، بناء استراتيجية مشتركة، "
            "تقوية قدرات الجمعيات، ضبط معايير وشروط تمويل المشاريع المقترحة من طرف المجتمع المدني، ومأسسة الحوار "
            "والتشاور العمومي. نظمت خمس ورشات تشاركية وموضوعاتية (15–26 يناير 2018): الصحة، التنشيط السوسيوثقافي "
            "والرياضي، البيئة والتنمية المستدامة، الأنشطة المدرة للدخل، التربية والتعليم، بمشاركة 133 جمعية و34 "
            "تعاونية و26 شخصا عن المصالح الخارجية و3 ممثلي الجامعات ومنظمة دولية.\n\n"
            "Cellule associative provinciale pour le développement participatif : 133 associations et "
            "34 coopératives, cinq ateliers thématiques (janvier 2018), idées de projets classées, étudiées et "
            "rapprochées des programmes sectoriels avec les services extérieurs."
        ),
        "status": VERIFIED,
        "members": 167,
        "owners": ["coach@jusoor.demo"],
    },
    {
        "key": "DEMO-MA-RHAMNA-DAS",
        "name_ar": "عمالة إقليم الرحامنة – قسم العمل الاجتماعي",
        "name_fr": "Province de Rhamna – Division de l’action sociale",
        "primary_language": "ar",
        "kind": "state-service",
        "country": "MA",
        "territory": {"code": "MA-REH"},
        "themes": ["governance-participation"],
        "sdg_goals": [16, 17],
        "sdg_targets": ["16.7"],
        "description": (
            "نسق مع أطر وكالة التنمية الاجتماعية الورشات التشاركية للخلية الجمعوية، وعقد اجتماعات مع المصالح "
            "الخارجية (الصحة، التعليم، التعاون الوطني، الشبيبة والرياضة) لتدقيق أفكار المشاريع وتصنيفها.\n\n"
            "A coordonné avec l’Agence de développement social les ateliers de La Ruche Rhamna et l’examen des "
            "idées de projets avec les services extérieurs."
        ),
        "status": VERIFIED,
    },
    {
        "key": "DEMO-MA-AMAL-BENGUERIR",
        "name_ar": "جمعية الأمل للصحة بابن جرير",
        "name_fr": "Association Al Amal pour la santé de Ben Guerir",
        "primary_language": "ar",
        "kind": "association",
        "legal_form": MA_ASSOCIATION,
        "country": "MA",
        "territory": {"under": "MA-REH", "kind": "commune", "name_ar": "ابن جرير"},
        "themes": ["health"],
        "sdg_goals": [3],
        "sdg_targets": ["3.4", "3.8"],
        "description": (
            "جمعية للتوعية الصحية، شاركت في الورشة التشاركية حول الصحة للخلية الجمعوية بإقليم الرحامنة.\n\n"
            "Association d’éducation à la santé, participante à l’atelier « santé » de La Ruche Rhamna."
        ),
        "status": VERIFIED,
        "members": 40,
        "volunteers": 15,
    },
    {
        "key": "DEMO-MA-COOP-APICOLE-SKHOUR",
        "name_ar": "تعاونية النحالين بصخور الرحامنة",
        "name_fr": "Coopérative des apiculteurs de Skhour Rhamna",
        "primary_language": "ar",
        "kind": "cooperative",
        "legal_form": MA_COOPERATIVE,
        "country": "MA",
        "territory": {"under": "MA-REH", "kind": "commune", "name_ar": "صخور الرحامنة"},
        "themes": ["income-generating-activities", "environment"],
        "sdg_goals": [8, 15],
        "sdg_targets": ["8.3"],
        "description": (
            "تعاونية لإنتاج العسل، شاركت في الورشة التشاركية حول الأنشطة المدرة للدخل.\n\n"
            "Coopérative de production de miel, participante à l’atelier « activités génératrices de revenus »."
        ),
        "status": VERIFIED,
        "members": 24,
    },
    {
        "key": "DEMO-MA-COOP-COUSCOUS-SBO",
        "name_ar": "تعاونية نساء سيدي بوعثمان للكسكس",
        "name_fr": "Coopérative féminine de couscous de Sidi Bou Othmane",
        "primary_language": "ar",
        "kind": "cooperative",
        "legal_form": MA_COOPERATIVE,
        "country": "MA",
        "territory": {"under": "MA-REH", "kind": "commune", "name_ar": "سيدي بوعثمان"},
        "themes": ["income-generating-activities", "women-youth"],
        "sdg_goals": [5, 8],
        "sdg_targets": ["5.a"],
        "description": (
            "تعاونية نسائية لإنتاج الكسكس والمنتجات المحلية.\n\n"
            "Coopérative de femmes : couscous et produits du terroir."
        ),
        "status": PENDING,
        "members": 18,
    },
    {
        "key": "DEMO-MA-JBILATE-ANIMATION",
        "name_ar": "جمعية الجبيلات للتنشيط السوسيوثقافي والرياضي",
        "name_fr": "Association Jbilate d’animation socioculturelle et sportive",
        "primary_language": "ar",
        "kind": "association",
        "legal_form": MA_ASSOCIATION,
        "country": "MA",
        "territory": {"under": "MA-REH", "kind": "commune", "name_ar": "الجبيلات"},
        "themes": ["socio-cultural-sport", "women-youth"],
        "sdg_goals": [3, 4],
        "sdg_targets": [],
        "description": (
            "جمعية للتنشيط السوسيوثقافي والرياضي لفائدة الأطفال والشباب.\n\n"
            "Association d’animation socioculturelle et sportive pour les enfants et les jeunes."
        ),
        "status": UNVERIFIED,
        "members": 28,
        "volunteers": 10,
    },
    {
        "key": "DEMO-MA-NZALAT-ENVIRONNEMENT",
        "name_ar": "جمعية انزالت لعظم للبيئة والتنمية المستدامة",
        "name_fr": "Association Nzalat Laadam pour l’environnement et le développement durable",
        "primary_language": "ar",
        "kind": "association",
        "legal_form": MA_ASSOCIATION,
        "country": "MA",
        "territory": {"under": "MA-REH", "kind": "commune", "name_ar": "انزالت لعظم"},
        "themes": ["environment", "water-sanitation"],
        "sdg_goals": [6, 13, 15],
        "sdg_targets": ["6.b", "15.3"],
        "description": (
            "جمعية بيئية تعمل على الماء والتطهير ومكافحة التصحر، شاركت في الورشة التشاركية حول البيئة والتنمية "
            "المستدامة.\n\n"
            "Association environnementale (eau, assainissement, lutte contre la désertification), participante à "
            "l’atelier « environnement et développement durable »."
        ),
        "status": VERIFIED,
        "members": 32,
        "volunteers": 20,
    },
    {
        "key": "DEMO-MA-RASAIN-EDUCATION",
        "name_ar": "جمعية راس عين الرحامنة للتربية والتعليم الأولي",
        "name_fr": "Association Ras Ain Rhamna pour l’éducation et le préscolaire",
        "primary_language": "ar",
        "kind": "association",
        "legal_form": MA_ASSOCIATION,
        "country": "MA",
        "territory": {"under": "MA-REH", "kind": "commune", "name_ar": "راس عين الرحامنة"},
        "themes": ["education"],
        "sdg_goals": [4],
        "sdg_targets": ["4.2"],
        "description": (
            "جمعية للتعليم الأولي بالوسط القروي، شاركت في الورشة التشاركية حول التربية والتعليم.\n\n"
            "Association pour le préscolaire en milieu rural, participante à l’atelier « éducation »."
        ),
        "status": PENDING,
        "members": 20,
        "volunteers": 8,
    },
]

# Owners added for the municipality of Hammamet (its official) on top of the "owners" above.
MUNICIPALITY_OWNERS = {"DEMO-TN-MUN-HAMMAMET": ["mairie@jusoor.demo"]}

FIELDS = (
    "name_ar",
    "name_fr",
    "name_en",
    "acronym",
    "primary_language",
    "legal_form",
    "country",
    "description",
    "status",
    "members_count",
    "volunteers_count",
)


def _territory(spec: dict[str, str]) -> Territory:
    """A territory by code, or by Arabic name (folded: hamza, teh marbuta…) among the children of a parent."""
    if "code" in spec:
        territory = Territory.objects.filter(code=spec["code"]).first()
        if territory is None:
            raise ValueError(f"demo data: territory {spec['code']} not found (run load_territories first)")
        return territory
    wanted = fold_search_text(spec["name_ar"])
    candidates = list(Territory.objects.filter(parent__code=spec["under"], kind=spec["kind"]))
    exact = [t for t in candidates if fold_search_text(t.name_ar) == wanted]
    # The official name may be longer than the everyday one ("تونس العاصمة" for "تونس").
    prefixed = [t for t in candidates if fold_search_text(t.name_ar).startswith(wanted + " ")]
    found = exact or prefixed
    if len(found) != 1:
        raise ValueError(
            f"demo data: {len(found)} {spec['kind']} named {spec['name_ar']} under {spec['under']} "
            "(run load_territories first)"
        )
    return found[0]


def _lookup(model: Any, field: str, values: list[Any]) -> list[Any]:
    rows = {getattr(obj, field): obj for obj in model.objects.filter(**{f"{field}__in": values})}
    missing = [value for value in values if value not in rows]
    if missing:
        raise ValueError(f"demo data: {model.__name__} {missing} not found (run load_reference first)")
    return [rows[value] for value in values]


def _values(spec: dict[str, Any]) -> dict[str, Any]:
    values = {field: spec.get(field, "") for field in FIELDS if field not in ("members_count", "volunteers_count")}
    values["members_count"] = spec.get("members")
    values["volunteers_count"] = spec.get("volunteers")
    values["kind"] = _lookup(OrganizationKind, "slug", [spec["kind"]])[0]
    values["territory"] = _territory(spec["territory"])
    return values


def _write(spec: dict[str, Any], users: dict[str, Any]) -> Organization:
    values = _values(spec)
    organization = Organization.objects.filter(registry=Registry.OTHER, registration_number=spec["key"]).first()
    if organization is None:
        organization = Organization(registry=Registry.OTHER, registration_number=spec["key"], **values)
        if organization.status != UNVERIFIED:
            organization.status_changed_at = timezone.now()
        organization.save()
    else:
        changed = [name for name, value in values.items() if getattr(organization, name) != value]
        if "status" in changed:
            organization.status_changed_at = timezone.now()
            changed.append("status_changed_at")
        if changed:
            for name in changed:
                if name != "status_changed_at":
                    setattr(organization, name, values[name])
            organization.save(update_fields=[*changed, "updated_at"])
    organization.themes.set(_lookup(Theme, "slug", spec["themes"]))
    organization.sdg_goals.set(_lookup(SDGGoal, "number", spec["sdg_goals"]))
    organization.sdg_targets.set(_lookup(SDGTarget, "code", spec["sdg_targets"]))
    organization.operating_territories.set([_territory(item) for item in spec.get("operating", [])])
    for position, (full_name, role) in enumerate(spec.get("board", [])):
        BoardMember.objects.update_or_create(
            organization=organization, full_name=full_name, defaults={"role": role, "position": position}
        )
    for email in [*spec.get("owners", []), *MUNICIPALITY_OWNERS.get(spec["key"], [])]:
        if email in users:  # demo users are loaded by `load_demo`; without them, no memberships
            Membership.objects.get_or_create(
                organization=organization, user=users[email], defaults={"role": MembershipRole.OWNER}
            )
    return organization


@transaction.atomic
def demo_organizations_load() -> list[Organization]:
    """Create or update the demo organisations (kinds, themes, SDGs and territories must be loaded)."""
    emails = {email for spec in ORGANIZATIONS for email in spec.get("owners", [])}
    emails |= {email for owners in MUNICIPALITY_OWNERS.values() for email in owners}
    users = {user.email: user for user in get_user_model().objects.filter(email__in=emails)}
    organizations = [_write(spec, users) for spec in ORGANIZATIONS]
    organization_reindex(organization_ids=[organization.pk for organization in organizations])
    return organizations
