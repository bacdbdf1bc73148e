"""Rebuild `sdg_goals.json` and `sdg_targets.json` in this folder from the upstream SDG title files.

Not used at run time: `services/reference.py` reads only the JSON files this script writes. Run it again only
when a source changes, then review the diff and update `SOURCES.md`:

    .venv/bin/python jusoor/organizations/data/build_sdg.py <shared>/data/sdg <open-sdg checkout>

- `<shared>/data/sdg`: the UN Statistics Division files (`goals-final.json`, `targets-final.json`), for the
  English titles, the English short names and the colours (Apache-2.0).
- `<open-sdg checkout>`: a copy of github.com/open-sdg/sdg-translations holding
  `translations/{ar,fr}/global_goals.yml` and `translations/{ar,fr}/global_targets.yml` (MIT), for the Arabic
  and French titles. The versions used are listed in `SOURCES.md`.

Every change made to the source text is below (`_clean`, `AR_FIXES`, `FR_FIXES`) and listed in `SOURCES.md`.
A fix whose text is not found in the source stops the build, so a corrected upstream file is noticed.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
LANGUAGES = ("ar", "fr", "en")

# Typing slips of the Arabic source (PDF extraction): (target code or "goal:N", wrong text, right text).
AR_FIXES: list[tuple[str, str, str]] = [
    ("goal:7", "إالى", "إلى"),
    ("goal:15", "وكافحة التصحر", "ومكافحة التصحر"),
    ("goal:16", "إالى", "إلى"),
    ("3.1", "إالى", "إلى"),
    ("4.5", "بما في ذلك لأشخاص ذوي", "بما في ذلك للأشخاص ذوي"),
    ("5.6", "بيجين و الوثائق", "بيجين والوثائق"),
    ("7.b", "وسيع نطاق الهياكل", "توسيع نطاق الهياكل"),
    ("7.b", "الصغرة النامية", "الصغيرة النامية"),
    ("10.b", "إالى الدول التي تشتد الحاجية فيها إاليها", "إلى الدول التي تشتد الحاجة فيها إليها"),
    ("11.2", "وخاصةً ً", "وخاصةً"),
    ("11.b", "سِ نداي", "سِنداي"),
    ("12.4", "والحد كثراً", "والحد كثيراً"),
    ("12.4", "إالى", "إلى"),
    ("12.c", "الإعانت", "الإعانات"),
    ("13.a", "نفيذ ما تعهدت", "تنفيذ ما تعهدت"),
    ("14.4", "إالى ما كانت عليه في أقرب مقت ممكن", "إلى ما كانت عليه في أقرب وقت ممكن"),
    ("14.4", "على الأقل إالى", "على الأقل إلى"),
    ("14.6", "بحلول عام 2020 (3)", "بحلول عام 2020"),
    ("15.3", "عالم ٍ خالٍ", "عالمٍ خالٍ"),
    ("17.2", "إالى", "إلى"),
]
# Typing slips of the French short names (the titles are the official text, checked against the IATI codelist).
FR_FIXES: list[tuple[str, str, str]] = [
    ("goal-short:7", "Energies propres", "Énergies propres"),
    ("goal-short:8", "Travaux décent", "Travail décent"),
]


def _clean(text: Any) -> str:
    """NFC, tatweel dropped, typographic hyphens and no-break spaces made plain, spaces collapsed, no final dot."""
    value = unicodedata.normalize("NFC", str(text or ""))
    value = value.replace("\u0640", "")  # Arabic tatweel: only stretches letters
    value = value.replace("\u2010", "-").replace("\u2011", "-")
    value = value.replace("\u00a0", " ").replace("\u202f", " ")
    value = re.sub(r"\s+", " ", value).strip()
    return value.rstrip(".").rstrip()


def _apply(fixes: list[tuple[str, str, str]], key: str, text: str) -> str:
    for fix_key, wrong, right in fixes:
        if fix_key == key:
            if wrong not in text:
                raise SystemExit(f"fix for {key} not applicable: {wrong!r} not in {text!r}")
            text = text.replace(wrong, right)
    return text


def _flat(data: dict[str, Any]) -> dict[str, str]:
    """`{'1': {'title': …}}`, `{'1-title': …}` and `{'1.title': …}` all become `{'1.title': …}`."""
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for sub, text in value.items():
                flat[f"{key}.{sub}"] = text
        else:
            flat[str(key)] = value
    return {re.sub(r"^(\d+)[-.](?=[a-z])", r"\1.", k).replace("-", "."): v for k, v in flat.items()}


def _yaml(path: Path) -> dict[str, str]:
    return _flat(yaml.safe_load(path.read_text(encoding="utf-8")))


def build(unstats: Path, open_sdg: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    goals_en = json.loads((unstats / "goals-final.json").read_text(encoding="utf-8"))
    targets_en = json.loads((unstats / "targets-final.json").read_text(encoding="utf-8"))
    translations = open_sdg / "translations"
    goal_text = {lang: _yaml(translations / lang / "global_goals.yml") for lang in ("ar", "fr")}
    target_text = {lang: _yaml(translations / lang / "global_targets.yml") for lang in ("ar", "fr")}

    goals = []
    for goal in sorted(goals_en, key=lambda g: int(g["goal"])):
        number = int(goal["goal"])
        title = {"en": _clean(goal["title"])}
        short = {"en": _clean(goal["short"])}
        for lang, fixes in (("ar", AR_FIXES), ("fr", FR_FIXES)):
            title[lang] = _apply(fixes, f"goal:{number}", _clean(goal_text[lang].get(f"{number}.title")))
            short[lang] = _apply(fixes, f"goal-short:{number}", _clean(goal_text[lang].get(f"{number}.short")))
        goals.append(
            {
                "number": number,
                "color": goal["colorInfo"]["hex"].lower(),
                "title": {lang: title[lang] for lang in LANGUAGES},
                "short": {lang: short[lang] for lang in LANGUAGES},
            }
        )

    targets = []
    position: dict[int, int] = {}
    for target in targets_en:  # UN order: 1.1 … 1.5, 1.a, 1.b, 2.1 …
        code, number = str(target["id"]), int(target["goal"])
        position[number] = position.get(number, 0) + 1
        title = {"en": _clean(target["title"])}
        for lang, fixes in (("ar", AR_FIXES), ("fr", FR_FIXES)):
            title[lang] = _apply(fixes, code, _clean(target_text[lang].get(f"{code}.title")))
        targets.append(
            {
                "code": code,
                "goal": number,
                "position": position[number],
                "title": {lang: title[lang] for lang in LANGUAGES},
            }
        )
    return goals, targets


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    lines = ",\n".join(json.dumps(row, ensure_ascii=False, sort_keys=False) for row in rows)
    path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("unstats", type=Path, help="folder with goals-final.json and targets-final.json")
    parser.add_argument("open_sdg", type=Path, help="copy of open-sdg/sdg-translations")
    args = parser.parse_args()
    goals, targets = build(args.unstats, args.open_sdg)
    _write(HERE / "sdg_goals.json", goals)
    _write(HERE / "sdg_targets.json", targets)
    missing = [f"{row['code']} ({lang})" for row in targets for lang in LANGUAGES if not row["title"][lang]]
    missing += [f"goal {row['number']} ({lang})" for row in goals for lang in LANGUAGES if not row["title"][lang]]
    print(f"{len(goals)} goals, {len(targets)} targets; missing titles: {', '.join(missing) or 'none'}")


if __name__ == "__main__":
    main()
