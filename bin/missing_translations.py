"""List the catalogue entries still untranslated or fuzzy, per language (run after `make messages`)."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    missing = 0
    for lang in ("ar", "fr"):
        with (ROOT / "locale" / lang / "LC_MESSAGES" / "django.po").open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and (message.fuzzy or not all(strings)):
                print(f"{lang}: {message.id!r}")
                missing += 1
    print(f"{missing} entries to translate", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
