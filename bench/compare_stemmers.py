"""Retrieval quality on a test collection with each candidate stemmer as the broad term function.

Every candidate gets the same pipeline as the site's broad analyser — normalisation
(:func:`articles.search.analysis.exact_term`), our stop words, then the candidate's stem of the
normalised word, normalised again (libraries give ة and أ back) — and is scored through
:func:`articles.search.evaluation.evaluate`, the site's index, query builder and BM25F. Only the
stem of a word changes between rows. The Lucene yardstick (its own analyser and BM25) is the last row.

    .venv/bin/python bench/compare_stemmers.py                      # ../shared/data/ir/arcd
    .venv/bin/python bench/compare_stemmers.py DIR --only ours none

PyStemmer, nltk and simplemma are not dependencies of the site: install them to compare
(``.venv/bin/pip install PyStemmer==3.1.0 nltk==3.10.4 simplemma==2.0.0``); a missing one is skipped.
"""

import argparse
import sys
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.search import analysis, lucene_arabic, query  # noqa: E402
from articles.search.evaluation import CUTOFF, evaluate, evaluate_lucene, load_collection  # noqa: E402
from articles.text.normalize import normalize_word  # noqa: E402
from articles.text.stemmer import STOP_WORDS, light_stem  # noqa: E402

DEFAULT_COLLECTION = ROOT.parent / "shared" / "data" / "ir" / "arcd"


def _snowball():
    import Stemmer

    return Stemmer.Stemmer("arabic").stemWord


def _arlstem2():
    from nltk.stem.arlstem2 import ARLSTem2

    return ARLSTem2().stem


def _simplemma():
    import simplemma

    return lambda word: simplemma.lemmatize(word, lang="ar")


# name → a factory of ``stem(normalised word) -> stem``; factories import lazily.
CANDIDATES = {
    "normalisation alone": lambda: lambda word: word,
    "ours (light_stem)": lambda: light_stem,
    "Lucene ArabicStemmer": lambda: lucene_arabic.stem,
    "Snowball (PyStemmer)": _snowball,
    "ARLSTem2 (nltk)": _arlstem2,
    "simplemma lemmas": _simplemma,
}


@contextmanager
def broad_term_from(stem):
    """The site's broad analyser and query builder with ``stem`` in place of the product stemmer."""

    @lru_cache(maxsize=1 << 18)
    def term(word: str) -> str:
        normal = normalize_word(word)
        if not normal or normal in STOP_WORDS:
            return ""
        return normalize_word(stem(normal)) or normal

    saved = analysis.broad_term, query.broad_term
    analysis.broad_term = query.broad_term = term
    try:
        yield
    finally:
        analysis.broad_term, query.broad_term = saved


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("collection", nargs="?", type=Path, default=DEFAULT_COLLECTION)
    parser.add_argument("--only", nargs="+", metavar="WORD", help="candidates whose name contains one of these")
    args = parser.parse_args()
    collection = load_collection(args.collection)
    keys = [f"{name}@{CUTOFF}" for name in ("mrr", "recall", "ndcg")]
    print(f"| stemmer | MRR@{CUTOFF} | R@{CUTOFF} | nDCG@{CUTOFF} |\n|---|---|---|---|")
    for name, factory in CANDIDATES.items():
        if args.only and not any(word.lower() in name.lower() for word in args.only):
            continue
        try:
            stem = factory()
        except ImportError as error:
            print(f"| {name} | not installed ({error.name}) | | |")
            continue
        with broad_term_from(stem):
            scores = evaluate(collection)
        print(f"| {name} | " + " | ".join(f"{scores[key]:.3f}" for key in keys) + " |", flush=True)
    scores = evaluate_lucene(collection)
    print("| Lucene ArabicAnalyzer + BM25 (yardstick) | " + " | ".join(f"{scores[key]:.3f}" for key in keys) + " |")


if __name__ == "__main__":
    main()
