"""Training the builtin CRF extractor (no Django needed; ``manage.py train_ner`` wraps it)."""

from __future__ import annotations

import gzip
import itertools
import json
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from articles.entities.base import bio_spans
from articles.entities.builtin import BuiltinExtractor, gazetteer_path
from articles.entities.features import ALONE_KINDS, Gazetteer, sentence_features
from articles.entities.lexicons import dictionary_form
from articles.text.normalize import normalize_word
from articles.text.tokens import sentence_tokens, tokenize_with_punctuation

if TYPE_CHECKING:
    import numpy as np

Sentences = Sequence[Sequence[tuple[str, str]]]

# L1 prunes rare features (keeps the model small); L2 smooths the rest. Picked by the mean
# micro F1 of 5-fold contiguous cross-validation on ANERcorp (bench/ner_holdout.py --cv 5), not by
# a fixed split: (0.05, 0.05) 0.763, (0.02, 0.1) 0.762, (0.1, 0.01) 0.756 (docs/entities.md).
C1 = 0.05
C2 = 0.05
MAX_ITERATIONS = 200
# The memorised-entity features are computed for each training fold from the OTHER folds, so the
# CRF learns how far to trust them on names it has not seen, as at run time. 5-fold CV mean:
# 3 folds 0.769 ± 0.048, 5 folds 0.768 ± 0.046, 10 folds 0.765 ± 0.048: a tie, kept at 5.
FOLDS = 5
# Granularities of the word classes learned from unlabelled news (coarse and fine).
CLUSTER_SIZES = (32, 128, 512, 2048)
# A word met fewer times than this outside longer names gets no alone counts: its shares
# would say more about chance than about the word.
ALONE_MIN_OCCURRENCES = 20
# Texts a worker tags per task when counting: pickling the counts back is then a small cost.
_ALONE_TEXTS_PER_TASK = 500


def holdout_split(sentences: Sentences, train_fraction: float = 0.8) -> tuple[list, list]:
    """The first ``train_fraction`` of sentences for training, the rest for testing (in order)."""
    cut = round(len(sentences) * train_fraction)
    return list(sentences[:cut]), list(sentences[cut:])


def train(sentences: Sentences, output: str | Path, *, clusters: dict[str, list[int]] | None = None,
          c1: float = C1, c2: float = C2, max_iterations: int = MAX_ITERATIONS) -> Path:
    """Train a CRF on labelled sentences and write it to ``output`` (+ its ``.entities.json``).

    ``clusters`` are word classes from :func:`word_clusters`; they are stored with the model.

    Returns the model path. Raises ``ValueError`` when there is nothing to learn from.
    """
    import pycrfsuite

    sentences = [s for s in sentences if s]
    if not any(tag != "O" for s in sentences for _, tag in s):
        raise ValueError("no labelled entities in the training data")
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)

    trainer = pycrfsuite.Trainer(verbose=False)
    for fold in range(FOLDS):
        others = [s for i, s in enumerate(sentences) if i % FOLDS != fold]
        gaz = Gazetteer.from_sentences(others)
        gaz.clusters = clusters or {}
        for i in range(fold, len(sentences), FOLDS):
            tokens = [t for t, _ in sentences[i]]
            trainer.append(sentence_features(tokens, gaz), [tag for _, tag in sentences[i]])
    trainer.set_params({
        "c1": c1,
        "c2": c2,
        "max_iterations": max_iterations,
        "feature.possible_transitions": True,
    })
    trainer.train(str(output))
    gaz = Gazetteer.from_sentences(sentences)
    gaz.clusters = clusters or {}
    gazetteer_path(output).write_text(json.dumps(gaz.to_json(), ensure_ascii=False), encoding="utf-8")
    return output


def word_clusters(texts: Iterable[str], sizes: Sequence[int] = CLUSTER_SIZES,
                  vocabulary: int = 50_000, contexts: int = 1_000, dims: int = 100,
                  seed: int = 0) -> dict[str, list[int]]:
    """Distributional word classes learned from unlabelled text: ``{normalised word: [id per size]}``.

    Words that occur between similar neighbours (names after «الرئيس», before «قال» …) share a
    class, which lets the CRF generalise to names it never saw labelled. The vectors of
    :func:`word_vectors` are clustered by k-means, once per size. Deterministic for a given input
    and ``seed``.
    """
    import numpy as np

    vocab, reduced = word_vectors(texts, vocabulary, contexts, dims)
    if len(vocab) < max(sizes):
        raise ValueError(f"only {len(vocab)} frequent words; need at least {max(sizes)}")
    rng = np.random.default_rng(seed)
    labels = [_kmeans(reduced, k, rng) for k in sizes]
    return {w: [int(lab[i]) for lab in labels] for i, w in enumerate(vocab)}


def word_vectors(texts: Iterable[str], vocabulary: int = 50_000, contexts: int = 1_000,
                 dims: int = 100) -> tuple[list[str], np.ndarray]:
    """Unit-length distributional vectors of the frequent normalised words of unlabelled text.

    Each word (seen at least 3 times, at most ``vocabulary`` of them, most frequent first) is
    described by log counts of the words two to the left and two to the right among the
    ``contexts`` most common words, reduced to ``dims`` dimensions. Returns the words and a
    float32 ``(len(words), dims)`` array, rows in the same order.
    """
    import numpy as np

    freq: Counter[str] = Counter()
    stream: list[str] = []
    for text in texts:
        for line in text.splitlines():
            words = [normalize_word(t) for t, _, _ in tokenize_with_punctuation(line)]
            freq.update(words)
            stream.extend(words)
            stream.append("")  # a line break is no context
    vocab = [w for w, n in freq.most_common(vocabulary) if n >= 3 and w]
    index = {w: i for i, w in enumerate(vocab)}
    ids = np.fromiter((index.get(w, -1) for w in stream), dtype=np.int64, count=len(stream))
    ctx = np.where(ids < contexts, ids, -1)
    offsets = (-2, -1, 1, 2)
    counts = np.zeros((len(vocab), len(offsets) * contexts), dtype=np.float32)
    n = len(ids)
    centre = ids[2:n - 2]
    for block, offset in enumerate(offsets):
        neighbour = ctx[2 + offset:n - 2 + offset]
        ok = (centre >= 0) & (neighbour >= 0)
        np.add.at(counts, (centre[ok], neighbour[ok] + block * contexts), 1)
    vectors = np.log1p(counts)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    # Project on the top right-singular vectors via the small Gram matrix (4·contexts square).
    _, eigvecs = np.linalg.eigh(vectors.T @ vectors)
    reduced = vectors @ eigvecs[:, -dims:]
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True) + 1e-9
    return vocab, reduced


def _kmeans(points, k: int, rng, iterations: int = 25):
    import numpy as np

    centres = points[rng.choice(len(points), size=k, replace=False)]
    for _ in range(iterations):
        assign = np.argmax(points @ centres.T, axis=1)  # unit vectors: cosine similarity
        for c in range(k):
            members = points[assign == c]
            if len(members):
                centre = members.sum(axis=0)
                centres[c] = centre / (np.linalg.norm(centre) + 1e-9)
    return np.argmax(points @ centres.T, axis=1)


def load_clusters(path: str | Path) -> dict[str, list[int]]:
    """Word classes saved by an earlier run: a ``{word: [id per size]}`` JSON file, or a model's
    ``.entities.json`` (which stores them under ``clusters``). Raises ``ValueError`` if it holds none."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    clusters = data.get("clusters") if isinstance(data.get("clusters"), dict) else data
    if not clusters or not all(isinstance(ids, list) for ids in clusters.values()):
        raise ValueError("no word classes in this file")
    return clusters


def news_texts(*paths: str | Path) -> Iterator[str]:
    """Titles and bodies of news JSONL(.gz) files (fields ``title``, ``body``), in order. Raises
    ``ValueError`` naming the file and line of one that is not a JSON object."""
    for path in paths:
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        article = json.loads(line)
                    except ValueError as exc:
                        raise ValueError(f"{path}, line {number}: not JSON ({exc})") from None
                    if not isinstance(article, dict):
                        raise ValueError(f"{path}, line {number}: not a JSON object")
                    yield f"{article.get('title') or ''}\n{article.get('body') or ''}"


def record_alone_counts(model: str | Path, texts: Iterable[str], *, workers: int = 1,
                        min_occurrences: int = ALONE_MIN_OCCURRENCES) -> int:
    """Tag ``texts`` as extraction does with the builtin extractor of ``model`` and store, in the
    model's ``.entities.json``, how it read each word (its dictionary form) standing alone, not
    inside a longer name: ``[occurrences, as PERS, as ORG, as LOC]`` for the words it read alone
    as a name at least once among those met ``min_occurrences`` times or more
    (:meth:`.Gazetteer.alone_share`).
    ``workers`` processes tag. Returns how many words were stored."""
    occurrences, alone = Counter(), Counter()
    batches = _batched(texts, _ALONE_TEXTS_PER_TASK)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_load_counting_extractor, initargs=(str(model),)) as pool:
            results = list(pool.map(_count_alone, batches))
    else:
        _load_counting_extractor(str(model))
        results = [_count_alone(batch) for batch in batches]
    for batch_occurrences, batch_alone in results:
        occurrences.update(batch_occurrences)
        alone.update(batch_alone)
    counts = {norm: [occurrences[norm], *(alone[norm, kind] for kind in ALONE_KINDS)]
              for norm in sorted({norm for norm, _ in alone}) if occurrences[norm] >= min_occurrences}
    path = gazetteer_path(model)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["alone"] = counts
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return len(counts)


def _batched(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    texts = iter(texts)
    while batch := list(itertools.islice(texts, size)):
        yield batch


_counting_extractor: BuiltinExtractor | None = None


def _load_counting_extractor(model: str) -> None:
    global _counting_extractor
    _counting_extractor = BuiltinExtractor(model)


def _count_alone(texts: list[str]) -> tuple[Counter, Counter]:
    """Occurrences of each word (its dictionary form: «بالقاهرة» counts as «القاهرة») outside
    longer names, and ``(word, kind)`` of the one-word names, in ``texts``."""
    occurrences, alone = Counter(), Counter()
    for text in texts:
        sentences = [[token for token, _, _ in sentence] for sentence in sentence_tokens(text)]
        for words, tags in zip(sentences, _counting_extractor.article_tags(sentences)):
            inside = set()
            for kind, first, last in bio_spans(tags):
                if last - first == 1:
                    alone[dictionary_form(normalize_word(words[first])), kind] += 1
                else:
                    inside.update(range(first, last))
            occurrences.update(dictionary_form(normalize_word(word))
                               for i, word in enumerate(words) if i not in inside)
    return occurrences, alone
