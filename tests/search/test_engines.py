"""The search tests of ``test_search`` and ``test_related`` again, on every engine besides Whoosh
(which those modules use themselves): the same articles, queries and expectations through the
same service. The servers come from :mod:`tests.search.engine_servers`.
"""

import uuid

import pytest

from tests.search import test_search
from tests.search.engine_servers import opensearch_url, postgres_url  # noqa: F401  (fixtures)
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

