import json
import re
import unicodedata
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jusoor.organizations.models import OrganizationKind, SDGGoal, SDGTarget, Theme
from jusoor.organizations.services import reference
from jusoor.organizations.services.reference import reference_data, reference_load

LANGUAGES = ("ar", "fr", "en")
# Arabic titles the upstream translation (open-sdg/sdg-translations) leaves empty; see data/SOURCES.md.
# When someone supplies them, empty this set.
KNOWN_MISSING_AR = {"8.10", "16.1", "17.1"}
# Targets per goal in the 2030 Agenda (A/RES/70/1).
TARGETS_PER_GOAL = {1: 7, 2: 8, 3: 13, 4: 10, 5: 9, 6: 8, 7: 5, 8: 12, 9: 8, 10: 10, 11: 10, 12: 11, 13: 5, 14: 10,
                    15: 12, 16: 12, 17: 19}  # fmt: skip


@pytest.fixture
def loaded(db):
    return reference_load()


def test_counts(loaded):
    assert loaded == {
        "kinds": 10,
        "themes": 11,
        "sdg_goals": 17,
        "sdg_targets": 169,
        "created": 10 + 11 + 17 + 169,
        "updated": 0,
    }
    assert OrganizationKind.objects.count() == 10
    assert Theme.objects.count() == 11
    assert SDGGoal.objects.count() == 17
    assert SDGTarget.objects.count() == 169
    assert sum(TARGETS_PER_GOAL.values()) == 169


def test_kinds_and_themes_of_the_brief(loaded):
    assert set(OrganizationKind.objects.values_list("slug", flat=True)) == {
        "association",
        "cooperative",
        "federation",
        "diaspora-association",
        "municipality",
        "local-development-company",
        "state-service",
        "university",
        "international-organisation",
        "private-company",
    }
    assert set(Theme.objects.values_list("slug", flat=True)) == {
        "health",
        "education",
        "environment",
        "income-generating-activities",
        "socio-cultural-sport",
        "women-youth",
        "water-sanitation",
        "waste",
        "energy",
        "digital",
        "governance-participation",
    }
    # The Maghreb vocabulary of DOMAIN.md.
    assert OrganizationKind.objects.get(slug="cooperative").label == {
        "ar": "تعاونية",
        "fr": "Coopérative",
        "en": "Cooperative",
    }
    assert Theme.objects.get(slug="income-generating-activities").label["ar"] == "الأنشطة المدرة للدخل"
    assert OrganizationKind.objects.get(slug="local-development-company").label["ar"] == "شركة التنمية المحلية"
    assert not OrganizationKind.objects.get(slug="state-service").can_receive_funds


def test_every_label_is_complete(loaded):
    for row in [*OrganizationKind.objects.all(), *Theme.objects.all()]:
        assert set(row.label) == set(LANGUAGES), row.slug
        assert all(row.label[lang].strip() for lang in LANGUAGES), row.slug
    for goal in SDGGoal.objects.all():
        for label in (goal.title, goal.short):
            assert set(label) == set(LANGUAGES)
            assert all(label[lang].strip() for lang in LANGUAGES), goal.number
        assert re.fullmatch(r"#[0-9a-f]{6}", goal.color)
    missing_ar = set()
    for target in SDGTarget.objects.all():
        assert set(target.title) == set(LANGUAGES)
        assert target.title["fr"].strip() and target.title["en"].strip(), target.code
        if not target.title["ar"].strip():
            missing_ar.add(target.code)
    assert missing_ar == KNOWN_MISSING_AR


def test_targets_belong_to_their_goal_in_un_order(loaded):
    for number, expected in TARGETS_PER_GOAL.items():
        codes = list(SDGTarget.objects.filter(goal_id=number).order_by("position").values_list("code", flat=True))
        assert len(codes) == expected, number
        assert all(code.startswith(f"{number}.") for code in codes)
        numeric = [c for c in codes if c.split(".")[1].isdigit()]
        lettered = [c for c in codes if not c.split(".")[1].isdigit()]
        assert codes == numeric + lettered  # 8.1 … 8.10, then 8.a, 8.b
        assert [int(c.split(".")[1]) for c in numeric] == list(range(1, len(numeric) + 1))
    assert SDGTarget.objects.get(code="1.1").title["fr"].startswith("D’ici à 2030, éliminer complètement")
    assert SDGTarget.objects.get(code="1.1").title["ar"].startswith("القضاء على الفقر المدقع")
    assert SDGGoal.objects.get(number=5).short == {
        "ar": "المساواة بين الجنسين",
        "fr": "Égalité entre les sexes",
        "en": "Gender Equality",
    }


def test_text_is_clean():
    """NFC, no tatweel, no doubled or edge spaces, none of the PDF slips the build corrects."""
    for name in ("kinds", "themes", "sdg_goals", "sdg_targets"):
        for row in reference_data(name):
            for field in ("label", "title", "short"):
                for text in row.get(field, {}).values():
                    assert unicodedata.is_normalized("NFC", text)
                    assert "\u0640" not in text and "  " not in text and text == text.strip()
                    assert "إالى" not in text and "(3)" not in text


def test_second_load_writes_nothing(loaded):
    again = reference_load()
    assert again["created"] == 0
    assert again["updated"] == 0
    assert SDGTarget.objects.count() == 169


def test_admin_added_rows_survive_and_file_rows_follow_the_file(loaded):
    OrganizationKind.objects.create(slug="foundation", label={"ar": "مؤسسة", "fr": "Fondation", "en": "Foundation"})
    Theme.objects.create(slug="culture", label={"ar": "الثقافة", "fr": "Culture", "en": "Culture"}, position=99)
    association = OrganizationKind.objects.get(slug="association")
    association.label = {"ar": "جمعية", "fr": "Asso", "en": "Association"}
    association.can_receive_funds = False  # an admin policy decision
    association.save()

    counts = reference_load()

    assert counts["created"] == 0
    assert counts["updated"] == 1
    assert OrganizationKind.objects.filter(slug="foundation").exists()
    assert Theme.objects.get(slug="culture").position == 99
    association.refresh_from_db()
    assert association.label["fr"] == "Association"
    assert association.can_receive_funds is False


def test_command_prints_the_counts(db):
    out = StringIO()
    call_command("load_reference", stdout=out)
    text = out.getvalue()
    assert "organisation kinds: 10" in text
    assert "themes: 11" in text
    assert "SDG goals: 17" in text
    assert "SDG targets: 169" in text
    assert "207 created, 0 updated" in text
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()


def test_an_incomplete_label_is_refused(db, tmp_path, monkeypatch):
    for name in ("themes", "sdg_goals", "sdg_targets"):
        (tmp_path / f"{name}.json").write_text(json.dumps(reference_data(name)), encoding="utf-8")
    bad = [{"slug": "association", "position": 1, "can_receive_funds": True, "label": {"ar": "", "fr": "A", "en": "A"}}]
    (tmp_path / "kinds.json").write_text(json.dumps(bad), encoding="utf-8")
    monkeypatch.setattr(reference, "DATA_DIR", tmp_path)
    reference._read.cache_clear()
    try:
        with pytest.raises(CommandError, match="kinds association: label missing in ar"):
            call_command("load_reference", stdout=StringIO())
    finally:
        reference._read.cache_clear()
    assert not OrganizationKind.objects.exists()
