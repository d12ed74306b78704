"""Counting how the builtin extractor reads words standing alone in news
(:func:`articles.entities.training.record_alone_counts`, ``train_ner --count-only``), and the
gazetteer that keeps the counts."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from articles.entities.builtin import DEFAULT_MODEL_PATH, gazetteer_path
from articles.entities.features import Gazetteer
from articles.entities.training import record_alone_counts
from articles.text.normalize import normalize_word

NEWS = [
    "وصل الوفد إلى بيروت أمس قادما من دمشق.",
    "قال الرئيس اللبناني ميشال عون إن بيروت لن تتراجع.",
    "وصل الوفد إلى بيروت أمس.",
]


@pytest.fixture
def model(tmp_path):
    """A copy of the shipped model whose counts the test may overwrite."""
    copy = tmp_path / DEFAULT_MODEL_PATH.name
    shutil.copyfile(DEFAULT_MODEL_PATH, copy)
    shutil.copyfile(gazetteer_path(DEFAULT_MODEL_PATH), gazetteer_path(copy))
    return copy


def _alone(model):
    return json.loads(gazetteer_path(model).read_text(encoding="utf-8"))["alone"]


def test_words_read_alone_as_names_are_counted_with_their_occurrences(model):
    assert record_alone_counts(model, NEWS, min_occurrences=2) == 1
    assert _alone(model) == {normalize_word("بيروت"): [3, 0, 0, 3]}


@pytest.mark.parametrize("word", ["ميشال", "عون", "الوفد", "دمشق"])
def test_words_only_inside_longer_names_never_names_or_rare_are_not_counted(model, word):
    record_alone_counts(model, NEWS, min_occurrences=2)
    assert normalize_word(word) not in _alone(model)


def test_counting_in_worker_processes_gives_the_same_counts(model):
    record_alone_counts(model, NEWS * 10, min_occurrences=2)
    alone = _alone(model)
    record_alone_counts(model, NEWS * 10, min_occurrences=2, workers=2)
    assert _alone(model) == alone == {normalize_word("بيروت"): [30, 0, 0, 30], normalize_word("دمشق"): [10, 0, 0, 10]}


@pytest.mark.parametrize("word, kind, share", [
    ("بيروت", "LOC", 0.75),
    ("بيروت", "PERS", 0.25),
    ("بيروت", "ORG", 0.0),
    ("بيروت", "MISC", None),
    ("دمشق", "LOC", None),
])
def test_the_gazetteer_gives_a_counted_words_share_of_each_kind_and_keeps_it_in_json(word, kind, share):
    gazetteer = Gazetteer({}, {}, alone={normalize_word("بيروت"): [4, 1, 0, 3]})
    restored = Gazetteer.from_json(json.loads(json.dumps(gazetteer.to_json())))
    assert restored.alone_share(normalize_word(word), kind) == share


def test_train_ner_count_only_recounts_for_the_model_as_it_is(model, tmp_path, capsys):
    news = tmp_path / "news.jsonl"
    news.write_text("\n".join(json.dumps({"title": "", "body": text}, ensure_ascii=False) for text in NEWS * 10),
                    encoding="utf-8")
    weights = model.read_bytes()
    call_command("train_ner", "--count-only", "--output", str(model), "--news", str(news), "--workers", "1")
    assert _alone(model) == {normalize_word("بيروت"): [30, 0, 0, 30]}  # دمشق: 10 times, under 20
    assert model.read_bytes() == weights
    assert "Words counted: 1." in capsys.readouterr().out


@pytest.mark.parametrize("arguments, message", [
    (["--count-only"], "--count-only takes --news"),
    (["--count-only", "--news", "{news}", "--clusters", "{news}"], "--count-only takes --news"),
    (["--count-only", "--news", "{news}", "--output", "{tmp}/none.crfsuite"], "no such model"),
    (["--news", "{news}"], "give the CoNLL file"),
    (["--count-only", "--news", "{tmp}/none.jsonl"], "no such file"),
])
def test_train_ner_refuses_what_it_cannot_count_with(tmp_path, arguments, message):
    news = tmp_path / "news.jsonl"
    news.write_text('{"title": "", "body": "بيروت"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("train_ner", *(a.format(news=news, tmp=tmp_path) for a in arguments))


def test_counting_names_the_news_line_that_is_not_json(model, tmp_path):
    news = tmp_path / "news.jsonl"
    news.write_text('{"title": "", "body": "بيروت"}\n{"title": \n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"news\.jsonl, line 2: not JSON"):
        call_command("train_ner", "--count-only", "--output", str(model), "--news", str(news), "--workers", "1")
