"""HTML to PDF with WeasyPrint, fetching nothing.

The URL fetcher refuses every URL, so user-entered text can never make the server load a resource; the templates
name their fonts by family (fontconfig finds Noto or DejaVu, both with Arabic glyphs) and WeasyPrint shapes and
orders Arabic itself.
"""

from __future__ import annotations

import warnings
from typing import Any


class _NoFetching:
    """A WeasyPrint URL fetcher that fetches nothing."""

    _fail_on_errors = False

    def __call__(self, url: str) -> Any:
        raise ValueError("PDFs rendered by Jusoor do not load external resources.")


def html_to_pdf(html: str) -> bytes:
    with warnings.catch_warnings():
        # WeasyPrint 70 warns at import when libharfbuzz-subset is missing (it then subsets fonts with fontTools).
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML

    return bytes(HTML(string=html, base_url=None, url_fetcher=_NoFetching()).write_pdf() or b"")
