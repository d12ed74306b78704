"""The camel-tools extractor, loaded from a tiny BERT built here (named by the setting or found
through a catalogue written by the test set-up), and its offline fallback to the builtin one."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from articles.entities import KINDS, get_extractor
from tests.conftest import write_camel_catalogue

ROOT = Path(__file__).resolve().parents[2]
CAMEL_LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]


def make_tiny_camel_model(directory: Path) -> Path:
    """A 2-layer, 32-wide BERT token classifier with camel's labels and an Arabic vocabulary."""
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    directory.mkdir(parents=True, exist_ok=True)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "الدكتور", "سمير", "حد", "##اد",
             "في", "صيدا", "وزير", "الصحة", "."]
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
    extractor = get_extractor("camel")
    assert extractor.name == "camel"
    tokens = ["وزير", "الصحة", "الدكتور", "سمير", "حداد", "☺", "في", "صيدا", "."]
    tags = extractor.tag(tokens)
    assert len(tags) == len(tokens) and set(tags) <= set(CAMEL_LABELS)
    text = "وزير الصحة الدكتور سمير حداد في صيدا.\nالدكتور سمير في صيدا."
    for span in extractor.extract(text):
        assert span.kind in KINDS and text[span.start:span.end] == span.text


def run_python(code: str, camel_data: Path) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (camel-tools reads CAMELTOOLS_DATA once, at import)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(CAMELTOOLS_DATA=str(camel_data), HOME=str(camel_data.parent), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_camel_extractor_finds_pretrained_model_through_the_catalogue(tiny_camel_model, tmp_path):
    camel_data = tmp_path / "camel_data"
    camel_data.mkdir()
    write_camel_catalogue(camel_data)
    shutil.copytree(tiny_camel_model, camel_data / "data" / "ner" / "arabert")
    result = run_python("""
        from articles.entities import get_extractor
        extractor = get_extractor("camel")
        print(extractor.name, len(extractor.tag(["سمير", "في", "صيدا"])))
    """, camel_data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["camel", "3"]


def test_camel_without_its_data_falls_back_to_builtin_with_one_warning_and_no_download(tmp_path):
    camel_data = tmp_path / "empty_camel_data"
    camel_data.mkdir()
    result = run_python("""
        import logging, sys
        logging.basicConfig(level=logging.WARNING)
        from articles.entities import get_extractor
        names = [get_extractor("camel").name for _ in range(3)]
        print(*names, *(m in sys.modules for m in ("camel_tools.data", "camel_tools.ner", "camel_tools.morphology")))
    """, camel_data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["builtin", "builtin", "builtin", "False", "False", "False"]
    assert result.stderr.count("camel NER data not installed") == 1
    assert not (camel_data / "catalogue.json").exists()


def test_importing_the_package_loads_no_camel_tools_model_code(tmp_path):
    result = run_python("""
        import sys
        import articles.entities
        from articles.entities import training
        print(*(m in sys.modules for m in ("camel_tools.data", "camel_tools.ner", "camel_tools.morphology")))
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False"]


def test_unknown_extractor_name_is_refused():
    with pytest.raises(ValueError, match="unknown NER extractor"):
        get_extractor("spacy")
