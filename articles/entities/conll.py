"""Labelled text in the CoNLL ``token TAG`` layout (ANERcorp): reading it and scoring an
extractor against it (what ``manage.py ner_eval`` and bench/ner_holdout.py report)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Sequence

from articles.entities.base import KINDS, Extractor, bio_spans

CONLL_TAG_RE = re.compile(r"^(?:O|[BI]-(?:PERS|LOC|ORG|MISC))$")


def read_conll(path: str | Path) -> list[list[tuple[str, str]]]:
    """Sentences of ``(token, tag)`` from a ``token TAG`` file (ANERcorp layout).

    Sentences end at ``.`` ``؟`` ``!`` or a blank line. Lines with an empty token are skipped.
    Raises ``ValueError`` naming the first line whose tag is not O or B-/I- PERS, LOC, ORG, MISC.
    """
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                if current:
                    sentences.append(current)
                    current = []
                continue
            tag = parts[-1]
            if not CONLL_TAG_RE.match(tag):
                raise ValueError(f"{path}:{lineno}: expected 'token TAG', got {line.strip()!r}")
            if len(parts) == 1:
                continue
            # One line of ANERcorp glues two tokens («. Oالإصابة O»); keep the first word only.
            current.append((parts[0], tag))
            if parts[0] in (".", "؟", "!"):
                sentences.append(current)
                current = []
    if current:
        sentences.append(current)
    return sentences


def evaluate(extractor: Extractor, sentences: Sequence[Sequence[tuple[str, str]]]) -> dict:
    """Entity-level exact-match scores of ``extractor.tag`` against gold BIO sentences.

    Returns ``{"PERS"|"LOC"|"ORG"|"micro": {"p", "r", "f1", "tp", "fp", "fn"}, "tokens": n,
    "seconds": s, "tokens_per_s": n / s}``; MISC is ignored; the timing covers tagging only.
    """
    token_lists = [[t for t, _ in s] for s in sentences]
    started = time.perf_counter()
    tag_batch = getattr(extractor, "tag_sentences", None)
    predicted = tag_batch(token_lists) if tag_batch else [extractor.tag(t) for t in token_lists]
    seconds = time.perf_counter() - started
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in KINDS}
    for sentence, pred in zip(sentences, predicted):
        gold_spans = {s for s in bio_spans([tag for _, tag in sentence]) if s[0] in KINDS}
        pred_spans = {s for s in bio_spans(pred) if s[0] in KINDS}
        for kind, _, _ in gold_spans & pred_spans:
            counts[kind]["tp"] += 1
        for kind, _, _ in pred_spans - gold_spans:
            counts[kind]["fp"] += 1
        for kind, _, _ in gold_spans - pred_spans:
            counts[kind]["fn"] += 1
    counts["micro"] = {x: sum(counts[k][x] for k in KINDS) for x in ("tp", "fp", "fn")}
    result: dict = {kind: _prf(c) for kind, c in counts.items()}
    n_tokens = sum(len(t) for t in token_lists)
    result["tokens"] = n_tokens
    result["seconds"] = seconds
    result["tokens_per_s"] = n_tokens / seconds if seconds else float("inf")
    return result


def _prf(c: dict[str, int]) -> dict:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4), **c}
