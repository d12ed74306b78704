"""Servers for the engine tests (``test_engines*.py``): PostgreSQL and an OpenSearch stand-in.

PostgreSQL is the server of ``ARCHIVE_TEST_SEARCH_URL`` (or of a PostgreSQL ``DATABASE_URL``),
else one started by ``.ci/postgres.sh``; without either the tests fail, saying so. OpenSearch is
played by ``osmem-server`` (an in-memory OpenSearch-compatible server from PyPI), started on
127.0.0.1 once per session and stopped by its process id.
"""

import os
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

POSTGRES_SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "postgres.sh"


@pytest.fixture(scope="session")
def postgres_url():
    """The server of ``ARCHIVE_TEST_SEARCH_URL`` or of a PostgreSQL ``DATABASE_URL``; without one,
    a throwaway server started by ``.ci/postgres.sh`` for the session."""
    url = os.environ.get("ARCHIVE_TEST_SEARCH_URL") or os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        yield url
        return
    if not POSTGRES_SCRIPT.is_file():
        pytest.fail(
            "the PostgreSQL search tests need a server: set ARCHIVE_TEST_SEARCH_URL=postgres://... "
            f"(no {POSTGRES_SCRIPT} to start one), or deselect them with -m 'not postgres'"
        )
    # Not under pytest's private temporary folders: the server's own user must reach it.
    folder = Path(tempfile.gettempdir()) / f"search-pg-{uuid.uuid4().hex[:12]}"
    started = subprocess.run([str(POSTGRES_SCRIPT), "start", str(folder)], capture_output=True, text=True)
    if started.returncode:
        pytest.fail(f"{POSTGRES_SCRIPT} could not start PostgreSQL for the search tests: {started.stderr.strip()}")
    yield started.stdout.strip()
    subprocess.run([str(POSTGRES_SCRIPT), "stop", str(folder)], check=True)


@pytest.fixture(scope="session")
def opensearch_url():
    from osmem_server import OsmemServer

    server = OsmemServer.start(addr="127.0.0.1:0", japanese=False)
    yield server.url
    os.kill(server.pid, signal.SIGTERM)
    server.process.wait(timeout=10)
