"""``search_eval`` on the PostgreSQL engine ranks as on Whoosh."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.search.engine_servers import postgres_url  # noqa: F401  (fixture)

RETRIEVAL = Path(__file__).parent / "fixtures" / "retrieval"


def _eval_scores(capsys, directory, *engine_args) -> dict:
    call_command("search_eval", str(directory), "--json", "--baseline", "none", *engine_args)
    return json.loads(capsys.readouterr().out)


@pytest.mark.postgres
@pytest.mark.parametrize("mode", ["broad", "exact"])
def test_search_eval_on_postgres_scores_the_invented_collection_as_whoosh_does(capsys, postgres_url, mode):
    whoosh = _eval_scores(capsys, RETRIEVAL, "--mode", mode)
    postgres = _eval_scores(capsys, RETRIEVAL, "--mode", mode, "--engine", "postgres", "--search-url", postgres_url)

    assert postgres["queries"] == whoosh["queries"]
    assert postgres["mrr@10"] == pytest.approx(whoosh["mrr@10"], abs=0.01)


@pytest.mark.corpus
@pytest.mark.postgres
def test_search_eval_on_postgres_gives_whooshs_mrr_on_arcd(capsys, shared, postgres_url):
    arcd = shared / "data" / "ir" / "arcd"
    whoosh = _eval_scores(capsys, arcd)
    postgres = _eval_scores(capsys, arcd, "--engine", "postgres", "--search-url", postgres_url)

    assert postgres["mrr@10"] == pytest.approx(whoosh["mrr@10"], abs=0.01)


def test_search_eval_on_postgres_without_a_url_is_a_command_error():
    with pytest.raises(CommandError, match="--search-url"):
        call_command("search_eval", str(RETRIEVAL), "--engine", "postgres")


def test_search_eval_on_opensearch_without_an_http_url_is_a_command_error():
    with pytest.raises(CommandError, match="--search-url"):
        call_command("search_eval", str(RETRIEVAL), "--engine", "opensearch", "--search-url", "opensearch:9200")
