"""camel-tools' BERT recogniser as an extractor, and where its model is installed.

camel-tools is imported only when the model is loaded: importing ``camel_tools.ner`` (or
``.data``) without a catalogue would download one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from articles.entities.base import TaggingExtractor


class CamelExtractor(TaggingExtractor):
    """camel-tools' BERT NER (``NERecognizer``); its MISC entities are dropped by ``extract()``."""

    name = "camel"

    def __init__(self, model_path: str | Path):
        # Loading must never wait on the network: the model is a local directory.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from camel_tools.ner import NERecognizer

        self.recognizer = NERecognizer(str(model_path), use_gpu=False)

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags for one sentence."""
        return self.tag_sentences([tokens])[0]

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags for many sentences in one batched BERT pass."""
        # NERecognizer silently drops words its tokenizer turns into nothing (odd symbols), which
        # would misalign its labels; send only the words it keeps and give the others «O».
        tokenizer = self.recognizer.tokenizer
        kept = [[i for i, w in enumerate(s) if tokenizer.tokenize(w)] for s in sentences]
        predictions = self.recognizer.predict([[s[i] for i in k] for s, k in zip(sentences, kept)])
        result = []
        for sentence, keep, labels in zip(sentences, kept, predictions):
            tags = ["O"] * len(sentence)
            for i, label in zip(keep, labels):
                tags[i] = label
            result.append(tags)
        return result


def camel_model_dir(explicit: str | os.PathLike | None = None) -> Path | None:
    """The camel-tools NER model directory if it is installed, else ``None``.

    Checks files only: importing camel_tools.data without ``catalogue.json`` would download one.
    ``explicit`` (setting ``ARCHIVE_CAMEL_NER_MODEL``) wins over the catalogue's default.
    """
    if explicit:
        path = Path(explicit).expanduser()
        return path if (path / "config.json").is_file() else None
    data_dir = Path(os.environ.get("CAMELTOOLS_DATA") or Path.home() / ".camel_tools").expanduser()
    catalogue = data_dir / "catalogue.json"
    if not catalogue.is_file():
        return None
    try:
        component = json.loads(catalogue.read_text(encoding="utf-8"))["components"]["NamedEntityRecognition"]
        relative = component["datasets"][component["default"]]["path"]
    except (ValueError, KeyError):
        return None
    path = data_dir / "data" / relative
    return path if (path / "config.json").is_file() else None
