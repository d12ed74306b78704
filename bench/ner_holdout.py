"""Honest accuracy estimate of the builtin NER on text it has not seen.

    .venv/bin/python bench/ner_holdout.py ../shared/data/ner/anercorp-train.txt \
        --news ../shared/data/news/articles.ant_multisource_v2.1.jsonl.gz \
        --news ../shared/data/news/articles.ant_v1.1.jsonl.gz

Default: train on the first 80% of a CoNLL file's sentences, score on the last 20%.
--test-first scores the first 20% instead, trained on the rest. --cv K runs K-fold
cross-validation over K contiguous blocks of sentences (each block is scored once by a model
trained on the other K-1) and prints every fold, the mean and the spread (sample standard
deviation, min–max). Hyperparameters are chosen by the CV mean (--c1/--c2/--folds override the
defaults of articles.entities.training, --window that of articles.entities.rules, to compare settings), never by
one fixed split. --reuse scores the models an earlier run with the same --tag left, without
training: for settings that act at tagging time only. docs/entities.md has the figures.

--news learns word classes as `manage.py train_ner --news` does and caches them in
bench/out/ner-clusters.json (reuse with --clusters). The shipped model is trained on the whole
file; this script writes only under bench/out/.
"""

import argparse
import json
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from articles.entities import evaluate, read_conll, rules, training as ner_training  # noqa: E402
from articles.entities.builtin import BuiltinExtractor  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def contiguous_folds(sentences, k: int) -> list[tuple[list, list]]:
    """``k`` (train, test) pairs; test ``i`` is the ``i``-th of ``k`` contiguous blocks."""
    n = len(sentences)
    bounds = [round(n * i / k) for i in range(k + 1)]
    return [(list(sentences[:bounds[i]]) + list(sentences[bounds[i + 1]:]),
             list(sentences[bounds[i]:bounds[i + 1]])) for i in range(k)]


def run_fold(train, test, model: Path, clusters, c1: float, c2: float, reuse: bool = False,
             window: int | None = None, folds: int | None = None) -> dict:
    if window is not None:
        rules.PROPAGATION_WINDOW = window
    if folds is not None:
        ner_training.FOLDS = folds
    if not reuse:
        ner_training.train(train, model, clusters=clusters, c1=c1, c2=c2)
    scores = evaluate(BuiltinExtractor(model), test)
    scores["train_sentences"], scores["test_sentences"] = len(train), len(test)
    return scores


def _print_scores(scores: dict, label: str) -> None:
    print(f"{label}: train {scores['train_sentences']} sentences, test {scores['test_sentences']} "
          f"sentences ({scores['tokens']} tokens), {scores['tokens_per_s']:.0f} tokens/s")
    for kind in ("PERS", "LOC", "ORG", "micro"):
        s = scores[kind]
        print(f"  {kind:6} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("conll", type=Path)
    parser.add_argument("--news", type=Path, action="append", default=[],
                        help="unlabelled news JSONL(.gz) for word classes; repeatable")
    parser.add_argument("--clusters", type=Path,
                        help="word classes cached by an earlier --news run, or a model's .entities.json")
    parser.add_argument("--test-first", action="store_true", help="test on the first 20%% instead")
    parser.add_argument("--cv", type=int, metavar="K", help="K-fold CV over contiguous blocks")
    parser.add_argument("--jobs", type=int, default=1, help="folds trained in parallel (--cv)")
    parser.add_argument("--c1", type=float, default=ner_training.C1)
    parser.add_argument("--c2", type=float, default=ner_training.C2)
    parser.add_argument("--tag", default="", help="suffix for model files under bench/out/")
    parser.add_argument("--reuse", action="store_true",
                        help="score the models an earlier run with the same --tag left (no training):"
                             " compares settings that act at tagging time only, like --window")
    parser.add_argument("--window", type=int, help="override rules.PROPAGATION_WINDOW (sentences)")
    parser.add_argument("--folds", type=int,
                        help="override ner_training.FOLDS (gazetteer dropout: the memorised-entity"
                             " features of each training sentence come from the other folds)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    sentences = read_conll(args.conll)
    OUT.mkdir(exist_ok=True)
    clusters = None
    if args.news:
        clusters = ner_training.word_clusters(ner_training.news_texts(*args.news))
        (OUT / "ner-clusters.json").write_text(json.dumps(clusters, ensure_ascii=False), encoding="utf-8")
    elif args.clusters:
        clusters = ner_training.load_clusters(args.clusters)

    if args.cv:
        folds = contiguous_folds(sentences, args.cv)
        models = [OUT / f"ner-cv{args.tag}-{i}.crfsuite" for i in range(args.cv)]
        with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(run_fold, tr, te, m, clusters, args.c1, args.c2, args.reuse,
                                   args.window, args.folds)
                       for (tr, te), m in zip(folds, models)]
            results = [f.result() for f in futures]
        summary = {}
        for kind in ("PERS", "LOC", "ORG", "micro"):
            f1s = [r[kind]["f1"] for r in results]
            summary[kind] = {"mean": round(statistics.mean(f1s), 4),
                             "sd": round(statistics.stdev(f1s), 4) if len(f1s) > 1 else 0.0,
                             "min": min(f1s), "max": max(f1s), "folds": f1s}
        summary["tokens_per_s"] = round(min(r["tokens_per_s"] for r in results))
        summary["c1"], summary["c2"] = args.c1, args.c2
        if args.json:
            print(json.dumps(summary, ensure_ascii=False))
            return
        for i, r in enumerate(results):
            _print_scores(r, f"fold {i + 1}/{args.cv}")
        window = rules.PROPAGATION_WINDOW if args.window is None else args.window
        print(f"{args.cv}-fold CV (c1={args.c1}, c2={args.c2}, window={window}), "
              "F1 mean ± sd [min–max]:")
        for kind in ("PERS", "LOC", "ORG", "micro"):
            s = summary[kind]
            print(f"  {kind:6} {s['mean']:.3f} ± {s['sd']:.3f} [{s['min']:.3f}–{s['max']:.3f}]")
        print(f"slowest fold {summary['tokens_per_s']} tokens/s")
        return

    if args.test_first:
        test, train = ner_training.holdout_split(sentences, 0.2)
    else:
        train, test = ner_training.holdout_split(sentences, 0.8)
    model = OUT / (f"ner-holdout-first{args.tag}.crfsuite" if args.test_first
                   else f"ner-holdout{args.tag}.crfsuite")
    scores = run_fold(train, test, model, clusters, args.c1, args.c2, args.reuse, args.window,
                      args.folds)
    if args.json:
        print(json.dumps(scores, ensure_ascii=False))
        return
    _print_scores(scores, "test-first" if args.test_first else "train-first")


if __name__ == "__main__":
    main()
