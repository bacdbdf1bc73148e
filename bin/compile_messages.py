"""Compile every locale/*/LC_MESSAGES/*.po into .mo with Babel (no system gettext needed).

Exits non-zero on a .po file that does not parse, so a broken translation fails the build.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    count = 0
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        count += 1
    print(f"compiled {count} catalogues")
    return 0


if __name__ == "__main__":
    sys.exit(main())
