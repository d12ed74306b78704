"""The search tests of ``test_search`` again, on every engine besides Whoosh (which that module
uses itself): the same articles, queries and expectations through the same service.

PostgreSQL tests need a server: ``ARCHIVE_TEST_SEARCH_URL`` (or a PostgreSQL ``DATABASE_URL``),
e.g. from ``.ci/postgres.sh run``; without one they fail, saying so.
"""

import os
import uuid

import pytest

from tests.search import test_search
from tests.search.test_search import *  # noqa: F401,F403  (the tests and fixtures run here again)

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


def postgres_url() -> str:
    url = os.environ.get("ARCHIVE_TEST_SEARCH_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.fail(
            "the PostgreSQL search tests need a server: set ARCHIVE_TEST_SEARCH_URL=postgres://... "
            "(or run them through .ci/postgres.sh run), or deselect them with -m 'not postgres'"
        )
    return url


ENGINES = {
    "postgres": lambda: {
        "ENGINE": "articles.search.postgres.backend.PostgresSearchEngine",
        "URL": postgres_url(),
        "INDEX_NAME": f"test_{uuid.uuid4().hex[:12]}",
    },
}


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def search_index(request):
    """An empty index of its own on the engine of the parameter, used by haystack's default connection."""
    from haystack import connections

    previous = dict(connections.connections_info["default"])
    connections.connections_info["default"] = ENGINES[request.param]()
    connections.reload("default")
    yield request.param
    connections["default"].get_backend().delete_index()
    connections.connections_info["default"] = previous
    connections.reload("default")
