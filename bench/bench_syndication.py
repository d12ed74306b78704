"""Precision, recall and speed of the syndicated-copy detector on labelled pairs of news records.

    .venv/bin/python bench/bench_syndication.py [--pairs bench/data/syndication_pairs.tsv] [--repeat 3]

The pairs (bench/label_syndication.py builds them; ids only) name records of
../shared/data/news/. A pair is detected as the ingest detects it
(articles.services.syndication): the two bodies share an LSH band hash (the candidate lookup)
and their exact shingle resemblance reaches the threshold (the confirmation). Prints precision
and recall overall and per kind of pair, then the median time to sign one article (shingles,
MinHash, bands) and to confirm one candidate. Target: precision and recall ≥ 0.95.
"""

import argparse
import collections
import csv
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news"
PAIRS = ROOT / "bench" / "data" / "syndication_pairs.tsv"
sys.path.insert(0, str(ROOT))

from articles.text import shingles as shingling  # noqa: E402


def read_pairs(path: Path = PAIRS) -> list[dict]:
    with path.open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows, delimiter="\t"))


def read_bodies(ids: set[str], news: Path = NEWS) -> dict[str, str]:
    """``corpus:id`` → body, for the records named in ``ids``."""
    bodies = {}
    for path in sorted(news.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                key = f"{record['corpus']}:{record['id']}"
                if key in ids:
                    bodies[key] = record.get("body") or ""
    return bodies


def detected(first: str, second: str) -> bool:
    """What the ingest decides for two bodies: a shared band, then the exact resemblance."""
    shingles_a, bands_a = shingling.signature_bands(first)
    shingles_b, bands_b = shingling.signature_bands(second)
    candidates = bool(bands_a and bands_b) and shingling.share_band(bands_a, bands_b)
    return candidates and shingling.is_copy(shingles_a, shingles_b)


def evaluate(pairs: list[dict], bodies: dict[str, str]) -> dict:
    """Precision and recall over ``pairs``, with the counts per kind and the misclassified pairs."""
    tp = fp = fn = 0
    kinds = collections.Counter()
    wrong = []
    for pair in pairs:
        truth = pair["copy"] == "1"
        guess = detected(bodies[pair["first"]], bodies[pair["second"]])
        tp += truth and guess
        fp += guess and not truth
        fn += truth and not guess
        kinds[(pair["kind"], guess == truth)] += 1
        if guess != truth:
            wrong.append(pair)
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "tp": tp, "fp": fp, "fn": fn, "kinds": kinds, "wrong": wrong,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--repeat", type=int, default=3, help="timing runs (the median is shown)")
    args = parser.parse_args()
    pairs = read_pairs(args.pairs)
    bodies = read_bodies({pair[side] for pair in pairs for side in ("first", "second")})
    result = evaluate(pairs, bodies)
    print(f"pairs: {len(pairs)} ({result['tp'] + result['fn']} copies); precision {result['precision']:.3f}, "
          f"recall {result['recall']:.3f} (tp {result['tp']}, fp {result['fp']}, fn {result['fn']})")
    for kind in sorted({kind for kind, _ in result["kinds"]}):
        right, wrong = result["kinds"][(kind, True)], result["kinds"][(kind, False)]
        print(f"  {kind}: {right + wrong} pairs, {wrong} misjudged")
    for pair in result["wrong"][:20]:
        print(f"  wrong: {pair['first']} {pair['second']} copy={pair['copy']} kind={pair['kind']} "
              f"aligned {pair['aligned_min']}/{pair['aligned_max']}")
    texts = list(bodies.values())
    signing, confirming = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        signed = [shingling.signature_bands(text) for text in texts]
        signing.append((time.perf_counter() - started) / len(texts))
        started = time.perf_counter()
        for (first, _), (second, _) in zip(signed, signed[1:]):
            shingling.is_copy(first, second)
        confirming.append((time.perf_counter() - started) / max(1, len(signed) - 1))
    words = statistics.median(len(shingling.shingle_words(text)) for text in texts)
    print(f"signing: {statistics.median(signing) * 1e6:.0f} µs per article (median body {words:.0f} words, "
          f"{len(texts)} articles); confirming: {statistics.median(confirming) * 1e6:.0f} µs per candidate")
    return 0 if result["precision"] >= 0.95 and result["recall"] >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main())
