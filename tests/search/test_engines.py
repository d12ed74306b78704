"""The search tests of ``test_search`` and ``test_related`` again, on every engine besides Whoosh (which that module
uses itself): the same articles, queries and expectations through the same service.

PostgreSQL tests use the server of ``ARCHIVE_TEST_SEARCH_URL`` (or of a PostgreSQL
``DATABASE_URL``), else start one with ``.ci/postgres.sh``; without either they fail, saying so. OpenSearch tests run against
``osmem-server`` (an in-memory OpenSearch-compatible server from PyPI), started on 127.0.0.1 once
per session and stopped by its process id.
"""

import os
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.search import test_search
from tests.search.test_related import *  # noqa: F401,F403  (the tests and fixtures run here again)
from tests.search.test_search import *  # noqa: F401,F403

# What only Whoosh has: its segment files, its lock directory and its writer processes.
WHOOSH_ONLY = (
    "test_concurrent_writers_lose_no_update_and_readers_see_no_error",
    "test_bulk_writes_in_parallel_segments_lose_nothing",
)
for _name in WHOOSH_ONLY:
    del globals()[_name]
# The highlighter on its own needs no engine.
for _name in [n for n in dir(test_search) if n.startswith("test_highlight_")]:
    del globals()[_name]


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


ENGINES = {
    "opensearch": lambda request: {
        "ENGINE": "articles.search.opensearch.backend.OpenSearchEngine",
        "URL": request.getfixturevalue("opensearch_url"),
        "INDEX_NAME": f"test_{uuid.uuid4().hex[:12]}",
    },
    "postgres": lambda request: {
        "ENGINE": "articles.search.postgres.backend.PostgresSearchEngine",
        "URL": request.getfixturevalue("postgres_url"),
        "INDEX_NAME": f"test_{uuid.uuid4().hex[:12]}",
    },
}


@pytest.fixture(params=["opensearch", pytest.param("postgres", marks=pytest.mark.postgres)])
def search_index(request):
    """An empty index of its own on the engine of the parameter, used by haystack's default connection."""
    from haystack import connections

    previous = dict(connections.connections_info["default"])
    connections.connections_info["default"] = ENGINES[request.param](request)
    connections.reload("default")
    yield request.param
    connections["default"].get_backend().delete_index()
    connections.connections_info["default"] = previous
    connections.reload("default")
