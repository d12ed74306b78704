"""Reading CoNLL files, entity-level scoring, and the train_ner / ner_eval commands: on a
hand-written sample, and (corpus) a model trained on part of ANERcorp scored on the rest."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.entities import KINDS, evaluate, read_conll
from articles.entities.base import bio_spans
from articles.entities.builtin import DEFAULT_MODEL_PATH, BuiltinExtractor, gazetteer_path
from articles.entities.training import holdout_split, train

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "sample.conll"
# What sample.conll holds, counted by hand: 10 sentences (one ends at a blank line, not at
# final punctuation), 88 tokens, and these entities (one MISC, which scoring ignores).
SAMPLE_SENTENCES, SAMPLE_TOKENS = 10, 88
SAMPLE_ENTITIES = {"PERS": 6, "LOC": 7, "ORG": 6}
TAGS = {"O", *(f"{p}-{k}" for p in "BI" for k in (*KINDS, "MISC"))}


def _write_conll(path: Path, sentences) -> Path:
    path.write_text("".join(f"{t} {g}\n" for s in sentences for t, g in s), encoding="utf-8")
    return path


def test_read_conll_ends_sentences_at_final_punctuation_or_a_blank_line():
    sentences = read_conll(SAMPLE)
    assert (len(sentences), sum(map(len, sentences))) == (SAMPLE_SENTENCES, SAMPLE_TOKENS)
    assert sentences[0][:5] == [("أعلن", "O"), ("الوزير", "O"), ("سمير", "B-PERS"), ("حداد", "I-PERS"),
                                ("أمس", "O")]
    assert [s[-1][0] for s in sentences] == ["."] * 5 + ["؟", ".", ".", "!", "بهدفين"]


def test_read_conll_names_the_line_with_a_bad_tag(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("قال O\nسمير PERSON\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.txt:2: expected 'token TAG'"):
        read_conll(bad)


class FixedTags:
    """An extractor that answers from a table: evaluation arithmetic against known answers."""

    name = "fixed"

    def __init__(self, answers):
        self.answers = answers

    def tag(self, tokens):
        return self.answers[" ".join(tokens)]


def test_evaluate_counts_exact_entity_matches_per_kind_and_ignores_misc():
    gold = [
        [("قال", "O"), ("سمير", "B-PERS"), ("حداد", "I-PERS"), ("في", "O"), ("صيدا", "B-LOC")],
        [("جهاز", "B-ORG"), ("الإحصاء", "I-ORG"), ("الإنجليزية", "B-MISC")],
    ]
    answers = {
        "قال سمير حداد في صيدا": ["O", "B-PERS", "O", "O", "B-LOC"],  # PERS cut short
        "جهاز الإحصاء الإنجليزية": ["B-ORG", "I-ORG", "B-LOC"],  # spurious LOC
    }
    scores = evaluate(FixedTags(answers), gold)
    assert scores["PERS"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 1}
    assert scores["LOC"]["p"] == 0.5 and scores["LOC"]["r"] == 1.0
    assert scores["ORG"]["f1"] == 1.0
    assert scores["micro"] == {"p": 0.5, "r": 0.6667, "f1": 0.5714, "tp": 2, "fp": 2, "fn": 1}
    assert scores["tokens"] == 8 and scores["tokens_per_s"] > 0


def test_evaluate_of_the_gold_tags_themselves_is_perfect():
    sentences = read_conll(SAMPLE)
    gold = FixedTags({" ".join(t for t, _ in s): [g for _, g in s] for s in sentences})
    scores = evaluate(gold, sentences)
    for kind, n in SAMPLE_ENTITIES.items():
        assert scores[kind] == {"p": 1.0, "r": 1.0, "f1": 1.0, "tp": n, "fp": 0, "fn": 0}


def test_ner_eval_scores_the_hand_written_sample_with_consistent_counts(capsys):
    call_command("ner_eval", str(SAMPLE), "--json")
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"micro", *KINDS, "sentences", "tokens", "tokens_per_s"}
    assert (report["sentences"], report["tokens"]) == (SAMPLE_SENTENCES, SAMPLE_TOKENS)
    for kind, n in SAMPLE_ENTITIES.items():
        s = report[kind]
        assert s["tp"] + s["fn"] == n  # every gold entity is found or missed, none twice
        assert s["p"] == round(s["tp"] / (s["tp"] + s["fp"]), 4) if s["tp"] + s["fp"] else s["p"] == 0
        assert s["r"] == round(s["tp"] / n, 4)
    micro = report["micro"]
    assert micro["tp"] == sum(report[k]["tp"] for k in KINDS)
    assert micro["tp"] + micro["fn"] == sum(SAMPLE_ENTITIES.values())
    # Plain sentences with common names, never seen in training: most entities are found.
    assert micro["f1"] >= 0.7
    assert report["tokens_per_s"] > 0


def test_ner_eval_text_report_names_extractor_and_counts(capsys):
    call_command("ner_eval", str(SAMPLE))
    out = capsys.readouterr().out
    assert out.startswith(f"builtin: {SAMPLE_TOKENS} tokens in {SAMPLE_SENTENCES} sentences")
    assert "micro  P " in out and "tokens/s" in out


@pytest.mark.parametrize("command", ["ner_eval", "train_ner"])
def test_commands_refuse_missing_or_malformed_files(command, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command(command, str(tmp_path / "missing.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_text("سمير PERSON\n", encoding="utf-8")
    with pytest.raises(CommandError, match="token TAG"):
        call_command(command, str(bad))


def test_ner_eval_refuses_a_missing_model(tmp_path):
    with pytest.raises(CommandError, match="NER model not found"):
        call_command("ner_eval", str(SAMPLE), "--model", str(tmp_path / "none.crfsuite"))


def test_train_ner_writes_a_model_the_builtin_extractor_and_ner_eval_load(tmp_path, capsys):
    output = tmp_path / "model.crfsuite"
    call_command("train_ner", str(SAMPLE), "--output", str(output))
    assert output.is_file() and gazetteer_path(output).is_file()
    tags = BuiltinExtractor(output).tag(["قال", "الوزير", "سمير", "حداد", "في", "بيروت", "."])
    assert len(tags) == 7 and set(tags) <= TAGS
    capsys.readouterr()
    call_command("ner_eval", str(SAMPLE), "--model", str(output), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["micro"]["tp"] + report["micro"]["fn"] == sum(SAMPLE_ENTITIES.values())


def test_train_refuses_text_without_entities(tmp_path):
    with pytest.raises(ValueError, match="no labelled entities"):
        train([[("قال", "O"), (".", "O")]], tmp_path / "m.crfsuite")


def test_shipped_model_stays_under_20_mb():
    assert DEFAULT_MODEL_PATH.stat().st_size + gazetteer_path(DEFAULT_MODEL_PATH).stat().st_size < 20_000_000


def test_holdout_split_keeps_order_and_covers_every_sentence():
    sentences = [[(str(i), "O")] for i in range(10)]
    first, rest = holdout_split(sentences, 0.8)
    assert first == sentences[:8] and rest == sentences[8:]


def test_cross_validation_folds_are_contiguous_blocks_that_cover_every_sentence_once():
    from bench.ner_holdout import contiguous_folds

    sentences = [[(str(i), "O")] for i in range(11)]
    folds = contiguous_folds(sentences, 5)
    tests = [test for _, test in folds]
    assert sum(tests, []) == sentences
    for train_part, test_part in folds:
        assert len(train_part) + len(test_part) == 11 and not any(s in train_part for s in test_part)
        positions = [sentences.index(s) for s in test_part]
        assert positions == list(range(positions[0], positions[0] + len(test_part)))


# --- ANERcorp (corpus) -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def anercorp(shared):
    return read_conll(shared / "data" / "ner" / "anercorp-train.txt")


def test_read_conll_splits_anercorp_into_sentences_at_final_punctuation(anercorp):
    assert len(anercorp) > 4000
    assert anercorp[0][:2] == [("فرانكفورت", "B-LOC"), ("(د", "O")]
    assert all(s[-1][0] in (".", "؟", "!") for s in anercorp[:-1])
    assert {tag for s in anercorp for _, tag in s} <= TAGS


def test_ner_eval_on_anercorp_text_the_model_never_saw(anercorp, tmp_path, capsys):
    """A quick model (a quarter of ANERcorp, few iterations) scored by ner_eval on a later
    block it was not trained on: a real held-out figure, well below the shipped model's CV
    mean (docs/entities.md) but far above chance."""
    seen, unseen = anercorp[:1000], anercorp[-400:]
    model = train(seen, tmp_path / "quick.crfsuite", max_iterations=60)
    test_file = _write_conll(tmp_path / "unseen.txt", unseen)
    call_command("ner_eval", str(test_file), "--model", str(model), "--json")
    report = json.loads(capsys.readouterr().out)
    gold = sum(1 for s in unseen for k, _, _ in bio_spans([t for _, t in s]) if k in KINDS)
    assert report["micro"]["tp"] + report["micro"]["fn"] == gold
    assert 0.45 <= report["micro"]["f1"] <= 0.85
    assert report["LOC"]["f1"] > report["ORG"]["f1"]


def test_train_ner_reuses_word_classes_from_a_models_entities_file(tmp_path):
    first, second = tmp_path / "first.crfsuite", tmp_path / "second.crfsuite"
    classes = tmp_path / "classes.json"
    classes.write_text(json.dumps({"سمير": [1, 2], "حداد": [1, 3]}, ensure_ascii=False), encoding="utf-8")
    call_command("train_ner", str(SAMPLE), "--output", str(first), "--clusters", str(classes))
    call_command("train_ner", str(SAMPLE), "--output", str(second), "--clusters", str(gazetteer_path(first)))
    stored = json.loads(gazetteer_path(second).read_text(encoding="utf-8"))["clusters"]
    assert stored == {"سمير": [1, 2], "حداد": [1, 3]}


def test_train_ner_refuses_a_file_without_word_classes_and_both_sources(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="no word classes"):
        call_command("train_ner", str(SAMPLE), "--output", str(tmp_path / "m.crfsuite"), "--clusters", str(empty))
    with pytest.raises(CommandError, match="--workers 0"):
        call_command("train_ner", str(SAMPLE), "--workers", "0")


def test_train_ner_with_news_counts_how_the_new_model_reads_words_alone(tmp_path, capsys):
    output, classes, news = tmp_path / "model.crfsuite", tmp_path / "classes.json", tmp_path / "news.jsonl"
    classes.write_text(json.dumps({"سمير": [1, 2]}, ensure_ascii=False), encoding="utf-8")
    article = {"title": "زيارة", "body": "قال الوزير سمير حداد في بيروت إن حداد سيزور بيروت."}
    news.write_text("\n".join(json.dumps(article, ensure_ascii=False) for _ in range(25)), encoding="utf-8")
    call_command("train_ner", str(SAMPLE), "--output", str(output), "--clusters", str(classes),
                 "--news", str(news), "--workers", "1")
    stored = json.loads(gazetteer_path(output).read_text(encoding="utf-8"))
    assert stored["clusters"] == {"سمير": [1, 2]}
    assert stored["alone"] and all(counts[0] >= 20 for counts in stored["alone"].values())
    assert f"Words counted: {len(stored['alone'])}." in capsys.readouterr().out
