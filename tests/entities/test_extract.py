"""Named-entity extraction: the shipped builtin model on the reference paste, entity keys,
in-article resolution, scoring, the train_ner/ner_eval commands and the camel-tools extractor
(loaded from a tiny BERT built here, and its offline fallback)."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.entities import extract as ner, training as ner_training
from tests.conftest import SEED_ENTITIES

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[3] / "shared"
ANERCORP = SHARED / "data" / "ner" / "anercorp-train.txt"
SEED = SHARED / "samples" / "seed-article.txt"
CAMEL_LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]


@pytest.fixture(scope="module")
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_spans(seed_text):
    return ner.get_extractor("builtin").extract(seed_text)


@pytest.fixture(scope="module")
def seed_names(seed_spans):
    """{kind: canonical names} of the reference paste."""
    names = {kind: set() for kind in ner.KINDS}
    for span, canonical in ner.resolve(seed_spans):
        names[span.kind].add(canonical)
    return names


@pytest.mark.parametrize("kind, name", SEED_ENTITIES)
def test_seed_article_yields_expected_entity(seed_names, kind, name):
    assert name in seed_names[kind]


@pytest.mark.parametrize("name, role", [
    ("عصام أبوزريبة", "وزير الداخلية اللواء"),
    ("فرج اقعيم", "الوكيل"),
    ("أسامة الدرسي", "رئيس جهاز الأمن الداخلي الفريق"),
    ("محمود توفيق", "اللواء"),
    ("محمدو سانا", "وزير الأمن بجمهورية بوركينا فاسو"),
])
def test_seed_article_person_carries_the_role_that_introduces_them(seed_spans, name, role):
    assert role in {s.role for s in seed_spans if s.kind == "PERS" and s.text == name}


def test_quoted_surname_in_title_resolves_to_full_name_with_its_title(seed_text, seed_spans):
    first_line = [s for s in seed_spans if s.end < seed_text.index("\n") and s.kind == "PERS"]
    assert [(s.text, s.role) for s in first_line] == [("أبوزريبة", "اللواء")]
    assert dict(ner.resolve(seed_spans))[first_line[0]] == "عصام أبوزريبة"


def test_seed_spans_point_at_their_text_and_never_include_a_conjunction(seed_text, seed_spans):
    assert seed_spans == sorted(seed_spans, key=lambda s: s.start)
    for span in seed_spans:
        assert span.kind in ner.KINDS
        assert seed_text[span.start:span.end] == span.text
        assert not span.text.startswith("وجهاز") and not span.text.startswith("وإدارة")


@pytest.mark.parametrize("a, kind_a, b, kind_b, same", [
    ("أبو زريبة", "PERS", "أبوزريبة", "PERS", True),
    ("عبد الله", "PERS", "عبدالله", "PERS", True),
    ("أسامة الدرسي", "PERS", "اسامه الدرسى", "PERS", True),
    ("الدرسي", "PERS", "درسي", "PERS", False),
    ("السودان", "LOC", "سودان", "LOC", True),
    ("الإدارة العامة", "ORG", "ادارة العامة", "ORG", True),
    ("مِصْر", "LOC", "مصر", "LOC", True),
    ("إسطنبول", "LOC", "اسطنبول", "LOC", True),
    ("“أبوزريبة”", "PERS", "أبوزريبة", "PERS", True),
    ("مصر", "LOC", "مصر", "ORG", False),
    ("محمود توفيق", "PERS", "محمود", "PERS", False),
])
def test_entity_key_merges_spelling_variants_only(a, kind_a, b, kind_b, same):
    assert (ner.entity_key(a, kind_a) == ner.entity_key(b, kind_b)) is same


@pytest.mark.parametrize("texts, expected", [
    (["عصام أبوزريبة", "أبوزريبة"], ["عصام أبوزريبة", "عصام أبوزريبة"]),
    (["أبو زريبة", "عصام أبوزريبة"], ["عصام أبوزريبة", "عصام أبوزريبة"]),
    (["محمود توفيق", "توفيق", "محمود"], ["محمود توفيق"] * 3),
    (["توفيق", "عصام أبوزريبة"], ["توفيق", "عصام أبوزريبة"]),
    (["محمد علي", "محمد علي حسن", "علي"], ["محمد علي حسن"] * 3),
])
def test_resolve_links_short_person_mentions_to_the_full_name(texts, expected):
    spans = [ner.Span("PERS", i * 20, i * 20 + len(t), t) for i, t in enumerate(texts)]
    assert [name for _, name in ner.resolve(spans)] == expected


def test_resolve_keeps_organisations_whole():
    spans = [ner.Span("ORG", 0, 22, "وزارة الداخلية المصرية"), ner.Span("ORG", 30, 44, "وزارة الداخلية")]
    assert [name for _, name in ner.resolve(spans)] == ["وزارة الداخلية المصرية", "وزارة الداخلية"]


@pytest.mark.parametrize("tags, spans", [
    (["B-PERS", "I-PERS", "O", "B-LOC"], [("PERS", 0, 2), ("LOC", 3, 4)]),
    (["I-ORG", "I-ORG"], [("ORG", 0, 2)]),
    (["B-LOC", "B-LOC"], [("LOC", 0, 1), ("LOC", 1, 2)]),
    (["B-LOC", "I-ORG"], [("LOC", 0, 1), ("ORG", 1, 2)]),
    (["O"], []),
])
def test_bio_tags_become_entity_ranges(tags, spans):
    assert ner.bio_spans(tags) == spans


def test_read_conll_splits_anercorp_into_sentences_at_final_punctuation():
    sentences = ner.read_conll(ANERCORP)
    assert len(sentences) > 4000
    assert sentences[0][:2] == [("فرانكفورت", "B-LOC"), ("(د", "O")]
    assert all(s[-1][0] in (".", "؟", "!") for s in sentences[:-1])


class FixedTags:
    """An extractor that answers from a table: evaluation arithmetic against known answers."""

    name = "fixed"

    def __init__(self, answers):
        self.answers = answers

    def tag(self, tokens):
        return self.answers[" ".join(tokens)]


def test_evaluate_counts_exact_entity_matches_per_kind_and_ignores_misc():
    gold = [
        [("قال", "O"), ("عصام", "B-PERS"), ("أبوزريبة", "I-PERS"), ("في", "O"), ("ليبيا", "B-LOC")],
        [("جهاز", "B-ORG"), ("الأمن", "I-ORG"), ("الإنجليزية", "B-MISC")],
    ]
    answers = {
        "قال عصام أبوزريبة في ليبيا": ["O", "B-PERS", "O", "O", "B-LOC"],  # PERS cut short
        "جهاز الأمن الإنجليزية": ["B-ORG", "I-ORG", "B-LOC"],  # spurious LOC
    }
    scores = ner.evaluate(FixedTags(answers), gold)
    assert scores["PERS"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 1}
    assert scores["LOC"]["p"] == 0.5 and scores["LOC"]["r"] == 1.0
    assert scores["ORG"]["f1"] == 1.0
    assert scores["micro"] == {"p": 0.5, "r": 0.6667, "f1": 0.5714, "tp": 2, "fp": 2, "fn": 1}
    assert scores["tokens"] == 8 and scores["tokens_per_s"] > 0


@pytest.fixture(scope="module")
def small_conll(tmp_path_factory):
    """The last 60 sentences of ANERcorp as a CoNLL file."""
    path = tmp_path_factory.mktemp("conll") / "tail.txt"
    sentences = ner.read_conll(ANERCORP)[-60:]
    path.write_text("".join(f"{t} {g}\n" for s in sentences for t, g in s), encoding="utf-8")
    return path


def test_ner_eval_json_reports_scores_per_kind_and_speed(small_conll, capsys):
    call_command("ner_eval", str(small_conll), "--json")
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"micro", "PERS", "LOC", "ORG", "tokens_per_s"}
    for kind in ("micro", "PERS", "LOC", "ORG"):
        assert set(report[kind]) == {"p", "r", "f1"} and 0 <= report[kind]["f1"] <= 1
    assert report["micro"]["f1"] > 0.5
    assert report["tokens_per_s"] > 0


@pytest.mark.parametrize("command", ["ner_eval", "train_ner"])
def test_commands_refuse_missing_or_malformed_files(command, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command(command, str(tmp_path / "missing.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_text("عصام PERSON\n", encoding="utf-8")
    with pytest.raises(CommandError, match="token TAG"):
        call_command(command, str(bad))


def test_train_ner_writes_a_model_the_builtin_extractor_loads(tmp_path):
    train, _ = ner_training.holdout_split(ner.read_conll(ANERCORP)[:300])
    conll = tmp_path / "train.txt"
    conll.write_text("".join(f"{t} {g}\n" for s in train for t, g in s), encoding="utf-8")
    output = tmp_path / "model.crfsuite"
    call_command("train_ner", str(conll), "--output", str(output))
    tags = ner.BuiltinExtractor(output).tag(["قال", "الرئيس", "جورج", "بوش", "في", "واشنطن", "."])
    assert len(tags) == 7 and set(tags) <= set(CAMEL_LABELS)
    assert output.stat().st_size < 20_000_000


def test_shipped_model_stays_under_20_mb():
    size = ner.DEFAULT_MODEL_PATH.stat().st_size + ner.gazetteer_path(ner.DEFAULT_MODEL_PATH).stat().st_size
    assert size < 20_000_000


def test_unknown_extractor_name_is_refused():
    with pytest.raises(ValueError, match="unknown NER extractor"):
        ner.get_extractor("spacy")


# --- camel-tools -----------------------------------------------------------------------------

def make_tiny_camel_model(directory: Path) -> Path:
    """A 2-layer, 32-wide BERT token classifier with camel's labels and an Arabic vocabulary."""
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    directory.mkdir(parents=True, exist_ok=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "اللواء", "عصام", "ابو", "##زريبة",
             "في", "ليبيا", "وزير", "الداخلية", "."]
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizer(str(directory / "vocab.txt")).save_pretrained(directory)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=256,
                        id2label=dict(enumerate(CAMEL_LABELS)),
                        label2id={label: i for i, label in enumerate(CAMEL_LABELS)})
    BertForTokenClassification(config).save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def tiny_camel_model(tmp_path_factory):
    return make_tiny_camel_model(tmp_path_factory.mktemp("camel") / "tiny-ner")


def test_camel_extractor_loads_model_named_by_setting_and_returns_well_formed_output(
        tiny_camel_model, settings):
    settings.ARCHIVE_CAMEL_NER_MODEL = str(tiny_camel_model)
    extractor = ner.get_extractor("camel")
    assert extractor.name == "camel"
    tokens = ["وزير", "الداخلية", "اللواء", "عصام", "أبوزريبة", "☺", "في", "ليبيا", "."]
    tags = extractor.tag(tokens)
    assert len(tags) == len(tokens) and set(tags) <= set(CAMEL_LABELS)
    text = "وزير الداخلية اللواء عصام أبوزريبة في ليبيا.\nاللواء عصام في ليبيا."
    for span in extractor.extract(text):
        assert span.kind in ner.KINDS and text[span.start:span.end] == span.text


def run_python(code: str, camel_data: Path) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (camel-tools reads CAMELTOOLS_DATA once, at import)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(CAMELTOOLS_DATA=str(camel_data), HOME=str(camel_data.parent), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_camel_extractor_finds_pretrained_model_through_the_catalogue(tiny_camel_model, tmp_path):
    camel_data = tmp_path / "camel_data"
    camel_data.mkdir()
    shutil.copy(SHARED / "data" / "camel" / "catalogue-1.5.json", camel_data / "catalogue.json")
    shutil.copytree(tiny_camel_model, camel_data / "data" / "ner" / "arabert")
    result = run_python("""
        from articles.entities import extract as ner
        extractor = ner.get_extractor("camel")
        print(extractor.name, len(extractor.tag(["عصام", "في", "ليبيا"])))
    """, camel_data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["camel", "3"]


def test_camel_without_its_data_falls_back_to_builtin_with_one_warning_and_no_download(tmp_path):
    camel_data = tmp_path / "empty_camel_data"
    camel_data.mkdir()
    result = run_python("""
        import logging, sys
        logging.basicConfig(level=logging.WARNING)
        from articles.entities import extract as ner
        names = [ner.get_extractor("camel").name for _ in range(3)]
        print(*names, "camel_tools.data" in sys.modules, "camel_tools.ner" in sys.modules)
    """, camel_data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["builtin", "builtin", "builtin", "False", "False"]
    assert result.stderr.count("camel NER data not installed") == 1
    assert not (camel_data / "catalogue.json").exists()


# ---------------------------------------------------------------------------------------------
# General fixes found on news text (demo articles): place names read as persons, common nouns
# read as organisations, lines without final punctuation.
# ---------------------------------------------------------------------------------------------

def _tokens(text):
    return [t for t, _, _ in ner.tokenize(text)]


@pytest.mark.parametrize("text, tags, expected", [
    # A place-name prefix opens the span: «سيدي بوزيد» is a town, not «Mr Bouzid».
    ("وصل إلى سيدي بوزيد أمس", ["O", "O", "B-PERS", "I-PERS", "O"], ("LOC", "سيدي بوزيد")),
    ("زار عين التينة", ["O", "B-PERS", "I-PERS"], ("LOC", "عين التينة")),
    # A noun that introduces a place precedes it: «حي …», «منطقتي …».
    ("بين منطقتي فلان جابر", ["O", "O", "B-PERS", "I-PERS"], ("LOC", "فلان جابر")),
    # The noun itself inside the span is not part of the name.
    ("على شاطئي كيمادو", ["O", "B-PERS", "I-PERS"], ("LOC", "كيمادو")),
])
def test_place_prefix_rule_turns_person_spans_that_are_places_into_places(text, tags, expected):
    tokens = _tokens(text)
    tags = list(tags)
    ner._place_prefix_rule(tokens, tags)
    spans = [(k, " ".join(tokens[a:b])) for k, a, b in ner.bio_spans(tags)]
    assert spans == [expected]


def test_place_prefix_rule_leaves_ordinary_person_names_alone():
    tokens = _tokens("قال سيدي الرئيس إن محمد جابر وصل")
    tags = ["O", "O", "O", "O", "B-PERS", "I-PERS", "O"]
    ner._place_prefix_rule(tokens, tags)
    assert ner.bio_spans(tags) == [("PERS", 4, 6)]


@pytest.mark.parametrize("text, expected", [
    # Weak heads make common phrases with one complement: no organisation.
    ("تسببت الأمطار في تعطل حركة المرور بالمدينة", []),
    ("تترأس لجنة التحكيم المخرجة فلانة", []),
    ("واختارت إدارة المهرجان الفيلم الوثائقي", []),
    # With a longer complement they still name an institution.
    ("قالت إدارة الأرصاد الجوية إن", ["إدارة الأرصاد الجوية"]),
    ("أعلنت إدارة أمن المنافذ", ["إدارة أمن المنافذ"]),
    # Nisba adjectives and «لل…» complements (also joined by «و») continue the name.
    ("فاز بطل الاتحاد المصري للسباحة أمس", ["الاتحاد المصري للسباحة"]),
    ("باحثون من جامعة المتوسط للعلوم والتكنولوجيا في بيروت", ["جامعة المتوسط للعلوم والتكنولوجيا"]),
    # A plain noun or a place after the complement starts a new phrase.
    ("وكيل وزارة الصحة بالإسكندرية", ["وزارة الصحة"]),
    ("أعلنت المديرية العامة للأرصاد الجوية المواطنين", ["المديرية العامة للأرصاد الجوية"]),
])
def test_org_rule_tags_institution_names_but_not_common_phrases(text, expected):
    tokens = _tokens(text)
    tags = ["O"] * len(tokens)
    ner._org_rule(tokens, tags)
    assert [" ".join(tokens[a:b]) for k, a, b in ner.bio_spans(tags) if k == "ORG"] == expected


@pytest.mark.parametrize("text", [
    "الإسكندرية تطلق تطبيقا لحجز مواقف السيارات على الكورنيش",
    "بلدية المدينة تفتتح الحديقة",
    "قال الرئيس جورج بوش في واشنطن",
])
def test_a_line_without_final_punctuation_is_tagged_as_if_it_had_one(text):
    tagger = ner.get_extractor("builtin")
    tokens = _tokens(text)
    assert tagger.tag(tokens) == tagger.tag([*tokens, "."])[:-1]


@pytest.mark.parametrize("text, kind, name, not_kind", [
    ("تشمل المرحلة الأولى 2500 مكان انتظار بين منطقتي سيدي بشر والعصافرة.", "LOC", "سيدي بشر", "PERS"),
    ("المحافظة تطلق خدمة جديدة لحجز المواقف على الكورنيش", None, "الكورنيش", "ORG"),
    ("احتج سكان سيدي بوزيد على انقطاع المياه.", "LOC", "سيدي بوزيد", "PERS"),
])
def test_extract_on_news_text_places_are_not_people_and_common_nouns_not_organisations(
        text, kind, name, not_kind):
    spans = {(s.kind, s.text) for s in ner.get_extractor("builtin").extract(text)}
    assert (not_kind, name) not in spans
    if kind:
        assert (kind, name) in spans


def test_nisba_adjectives_are_recognised_but_place_names_are_not():
    assert ner._is_nisba(ner._norm("المصرية")) and ner._is_nisba(ner._norm("الوطني"))
    assert not ner._is_nisba(ner._norm("بالإسكندرية")) and not ner._is_nisba(ner._norm("السعودية"))
    assert not ner._is_nisba(ner._norm("الصحة"))


@pytest.mark.parametrize("text, tags, expected", [
    # «العربية» belongs to a curated place name but is an adjective here.
    ("(المصدر: وكالة الأنباء العربية)", None, ["وكالة الأنباء العربية"]),
    # A bare name the CRF half-tagged, then a «لل…» complement.
    ("طورته شركة نيل سوفت للحلول الرقمية بالتعاون",
     ["O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O"], ["شركة نيل سوفت للحلول الرقمية"]),
])
def test_org_rule_keeps_adjectives_and_completes_half_tagged_company_names(text, tags, expected):
    tokens = _tokens(text)
    tags = list(tags or ["O"] * len(tokens))
    ner._org_rule(tokens, tags)
    assert [" ".join(tokens[a:b]) for k, a, b in ner.bio_spans(tags) if k == "ORG"] == expected


def test_org_rule_leaves_an_indefinite_description_alone():
    tokens = _tokens("بتمويل من مؤسسة أوروبية للبحث العلمي")
    tags = ["O"] * len(tokens)
    ner._org_rule(tokens, tags)
    assert ner.bio_spans(tags) == []


@pytest.mark.parametrize("text, tags, expected", [
    ("زيارته لجمهورية مصر العربية", ["O", "O", "B-LOC", "I-LOC"], [("LOC", "مصر")]),
    ("في الإمارات العربية المتحدة", ["O", "B-LOC", "I-LOC", "I-LOC"], [("LOC", "الإمارات العربية المتحدة")]),
])
def test_formal_place_rule_cuts_formal_adjectives_off_a_curated_place(text, tags, expected):
    tokens = _tokens(text)
    tags = list(tags)
    ner._formal_place_rule(tokens, tags)
    assert [(k, " ".join(tokens[a:b])) for k, a, b in ner.bio_spans(tags)] == expected


def test_a_place_or_organisation_tagged_once_is_tagged_where_it_recurs_in_the_article():
    gaz = ner.Gazetteer({}, {}, frozenset({"المدينه"}))
    sentences = [_tokens("زار الوفد الزنتان ."), _tokens("ثم عاد من بالزنتان ."), _tokens("وصل إلى المدينة ."),
                 _tokens("غادر المدينة .")]
    tagged = [["O", "O", "B-LOC", "O"], ["O", "O", "O", "O", "O"], ["O", "O", "B-LOC", "O"],
              ["O", "O", "O"]]
    ner._propagate_names(sentences, tagged, gaz)
    assert tagged[1] == ["O", "O", "O", "B-LOC", "O"]
    assert tagged[3] == ["O", "O", "O"]  # a common word is not copied


def test_cross_validation_folds_are_contiguous_blocks_that_cover_every_sentence_once():
    from bench.ner_holdout import contiguous_folds

    sentences = [[(str(i), "O")] for i in range(11)]
    folds = contiguous_folds(sentences, 5)
    tests = [test for _, test in folds]
    assert sum(tests, []) == sentences
    for train, test in folds:
        assert len(train) + len(test) == 11 and not any(s in train for s in test)
        positions = [sentences.index(s) for s in test]
        assert positions == list(range(positions[0], positions[0] + len(test)))
