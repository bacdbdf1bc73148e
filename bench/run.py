"""`make bench`: timings of the foundation's hot paths on the demo database, printed as JSON.

Figures go into closing notes; tests never assert timings. Each case is requested `ROUNDS` times
through Django's test client (the full middleware stack, no network) after one warm-up.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["DJANGO_DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Measure the code, not the anonymous rate limit (set before DRF reads its settings).
settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}

from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from jusoor.territories.services import territories_load  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "50"))

CASES = {
    "home_ar": "/ar/",
    "territory_browse_tn": "/fr/territories/?country=TN",
    "territory_search_ar": "/ar/territories/?country=TN&q=مدنين",
    "api_territories_ma_communes_page": "/api/v1/territories/?country=MA&kind=commune&page_size=50",
    "api_territory_search_fr_accentless": "/api/v1/territories/?q=medenine",
    "api_territory_search_ar_hamza": "/api/v1/territories/?q=اريانة",
    "api_territory_detail": "/api/v1/territories/TN-82/",
    "api_boundary_tn_municipality": "/api/v1/territories/1111/boundary/",
}


def measure(client: Client, url: str) -> dict[str, float | int]:
    from django.db import connection

    client.get(url)
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def main() -> None:
    start = time.perf_counter()
    counts = territories_load()
    load_seconds = time.perf_counter() - start
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    results = {name: measure(client, url) for name, url in CASES.items()}
    print(
        json.dumps(
            {
                "rounds": ROUNDS,
                "territories_loaded": sum(counts.values()),
                "load_territories_warm_s": round(load_seconds, 2),
                "requests": results,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
