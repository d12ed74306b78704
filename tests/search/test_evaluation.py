"""Retrieval metrics, collection loading and the arcd quality bar (:mod:`articles.search.evaluation`).

``fixtures/retrieval`` is a tiny invented collection (eight passages, ten questions, nine of them
judged) so evaluation is tested without the corpora of ``../shared``.
"""

import json
import math
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.search.evaluation import (
    CollectionError,
    evaluate,
    evaluate_lucene,
    load_collection,
    ndcg,
    rank_all,
    recall,
    reciprocal_rank,
)

RETRIEVAL = Path(__file__).parent / "fixtures" / "retrieval"


@pytest.mark.parametrize(
    ("ranking", "relevant", "rr", "rec", "gain"),
    [
        (["x", "a", "y"], {"a": 1}, 0.5, 1.0, 1 / math.log2(3)),
        (["a"], {"a": 1}, 1.0, 1.0, 1.0),
        (["x", "y"], {"a": 1}, 0.0, 0.0, 0.0),
        (["a", "x", "b"], {"a": 1, "b": 1}, 1.0, 1.0, (1 + 0.5) / (1 + 1 / math.log2(3))),
        ([f"x{i}" for i in range(10)] + ["a"], {"a": 1}, 0.0, 0.0, 0.0),  # rank 11 is past the cutoff
    ],
)
def test_metrics_at_10(ranking, relevant, rr, rec, gain):
    assert reciprocal_rank(ranking, relevant) == pytest.approx(rr)
    assert recall(ranking, relevant) == pytest.approx(rec)
    assert ndcg(ranking, relevant) == pytest.approx(gain)


def _write_collection(directory, qrels="q1 0 d1 1\n"):
    (directory / "corpus.jsonl").write_text(
        json.dumps({"doc_id": "d1", "title": "بيروت", "text": "مدرسة جديدة في بيروت"}) + "\n"
        + json.dumps({"doc_id": "d2", "title": "دمشق", "text": "مكتبات دمشق"}) + "\n",
        encoding="utf-8",
    )
    (directory / "queries.tsv").write_text("q1\tأين المدرسة الجديدة؟\nq2\tسؤال بلا حكم\n", encoding="utf-8")
    (directory / "qrels.tsv").write_text(qrels, encoding="utf-8")


def test_evaluate_scores_only_judged_queries(tmp_path):
    _write_collection(tmp_path)
    assert evaluate(load_collection(tmp_path)) == {"mrr@10": 1.0, "recall@10": 1.0, "ndcg@10": 1.0, "queries": 1}


def test_the_invented_collection_loads_with_graded_and_unjudged_queries():
    collection = load_collection(RETRIEVAL)

    assert (len(collection.docs), len(collection.queries), len(collection.qrels)) == (8, 10, 9)
    assert collection.qrels["q8"] == {"p8": 1, "p1": 1}
    assert collection.qrels["q7"] == {"p7": 1}  # grade 0 is not relevant
    assert collection.qrels["q10"] == {"p8": 2}


def test_broad_search_ranks_the_answering_passage_first_for_every_question():
    rankings = rank_all(load_collection(RETRIEVAL))

    assert {query_id: ranking[0] for query_id, ranking in rankings.items()} == {
        "q1": "p1", "q2": "p2", "q3": "p3", "q4": "p4", "q5": "p5", "q6": "p6", "q7": "p7", "q8": "p8", "q10": "p8",
    }
    assert evaluate(load_collection(RETRIEVAL)) == {"mrr@10": 1.0, "recall@10": 1.0, "ndcg@10": 1.0, "queries": 9}


def test_exact_mode_misses_the_stemmed_match_and_scores_lower():
    # «محطة» meets «المحطات» only once stemmed: in exact mode p1 (محطة) outranks p8 for q10.
    scores = evaluate(load_collection(RETRIEVAL), mode="exact")

    assert scores["mrr@10"] == pytest.approx((8 + 1 / 2) / 9)
    assert scores["recall@10"] == 1.0
    assert scores["ndcg@10"] == pytest.approx((8 + 1 / math.log2(3)) / 9)


@pytest.mark.parametrize("missing", ["corpus.jsonl", "queries.tsv", "qrels.tsv"])
def test_a_missing_file_is_a_collection_error(tmp_path, missing):
    _write_collection(tmp_path)
    (tmp_path / missing).unlink()
    with pytest.raises(CollectionError, match=missing):
        load_collection(tmp_path)


def test_a_malformed_qrels_line_is_a_collection_error(tmp_path):
    _write_collection(tmp_path, qrels="q1 d1\n")
    with pytest.raises(CollectionError, match="qrels.tsv line 1"):
        load_collection(tmp_path)


def test_search_eval_command_reports_bad_input_as_command_error(tmp_path):
    with pytest.raises(CommandError, match="missing"):
        call_command("search_eval", str(tmp_path))


def test_search_eval_command_prints_json(capsys):
    call_command("search_eval", str(RETRIEVAL), "--json", "--mode", "exact")
    assert json.loads(capsys.readouterr().out)["mrr@10"] == pytest.approx((8 + 1 / 2) / 9)


def test_search_eval_command_prints_a_table(capsys):
    call_command("search_eval", str(RETRIEVAL), "--baseline", "none")
    assert capsys.readouterr().out.split("\n")[:2] == ["9 queries, mode broad", "    mrr@10  1.0000"]


def test_site_search_reaches_mrr_above_080_on_arcd(shared):
    scores = evaluate(load_collection(shared / "data" / "ir" / "arcd"))
    assert scores["queries"] == 1395
    assert scores["mrr@10"] > 0.80
    assert scores["recall@10"] > 0.90


def test_search_eval_command_prints_the_lucene_yardstick_and_the_difference(capsys):
    call_command("search_eval", str(RETRIEVAL))
    lines = capsys.readouterr().out.split("\n")
    assert lines[1].split() == ["ours", "lucene", "diff"]
    ours, lucene, diff = map(float, lines[2].split()[1:])
    assert (ours, lucene) == (1.0, evaluate_lucene(load_collection(RETRIEVAL))["mrr@10"])
    assert diff == pytest.approx(ours - lucene, abs=1e-4)


def test_search_eval_json_carries_the_lucene_scores_unless_asked_not_to(capsys):
    call_command("search_eval", str(RETRIEVAL), "--json")
    assert set(json.loads(capsys.readouterr().out)["lucene"]) == {"mrr@10", "recall@10", "ndcg@10"}
    call_command("search_eval", str(RETRIEVAL), "--json", "--baseline", "none")
    assert "lucene" not in json.loads(capsys.readouterr().out)


def test_site_search_beats_the_lucene_yardstick_by_001_on_arcd(shared):
    collection = load_collection(shared / "data" / "ir" / "arcd")
    assert evaluate(collection)["mrr@10"] >= evaluate_lucene(collection)["mrr@10"] + 0.01
