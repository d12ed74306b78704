"""Self-training the builtin CRF on pseudo-labelled news, against the CRF alone (ANERcorp CV).

For each fold (train part T, test block B: the contiguous blocks of ``ner_holdout.py --cv``):

1. the fold's CRF is trained on T exactly as ``ner_holdout.py`` trains it (``training.train``);
2. a fixed seeded sample of news articles is split as ``extract()`` splits text
   (``sentence_tokens``) and tagged article by article with ``tag_sentences`` (``tag()``'s rules
   plus repeated-name propagation: what ``evaluate`` scores; not the archive-only rules of
   ``article_tags``, whose conventions differ from ANERcorp's). A sentence's confidence is the
   smallest marginal probability the CRF gives its own Viterbi labels (P(y|x), kept beside it in
   the pool, shrinks with sentence length, so it is not used);
3. for each variant, the CRF is retrained on T + N pseudo-labelled sentences and B is scored with
   ``evaluate``, as ``ner_holdout.py`` scores it.

Nothing from B reaches training: pseudo-labels come from the fold's model trained on T, the word
classes are the shipped ones (learned from unlabelled news only), and by default the memorised-entity
features (``Gazetteer``) come from T's gold labels only: cross-fitted as in ``training.train``
(pseudo sentence j gets the gazetteer of T's folds other than j % FOLDS) and the saved one from all
of T. A ``+mem`` variant instead trains ``training.train`` on T + pseudo, so pseudo entities are
memorised too.

Variants are ``N@THRESHOLD[+mem][+freeF]``: N random (seeded) sentences with a PERS/LOC/ORG entity
and confidence >= THRESHOLD; ``+freeF`` adds F*N confident entity-free sentences. crfsuite has no
instance weights, so N is what weights the pseudo labels against T's ~3,400 sentences.

    # the screen: train first 80%, test last 20% (= CV fold 5 of ner_holdout.py, 0.753)
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/ner_selftrain.py \
        ../shared/data/ner/anercorp-train.txt \
        --clusters articles/entities/data/ner-model.entities.json \
        --news ../shared/data/news/articles.ant_multisource_v2.1.jsonl.gz \
        --news ../shared/data/news/articles.ant_v1.1.jsonl.gz \
        --run-folds 5 --variant 2000@0.9 --variant 5000@0.9 --variant 10000@0.9 \
        --variant 5000@0.7 --variant 5000@0.9+mem --variant 5000@0.9+free0.3
    # the 5-fold CV of a chosen variant, with alternating speed runs (the same options, without
    # --run-folds; fold models already in bench/out are reused)
    ... --variant 5000@0.7 --speed 2

Result (7 December 2026): screen 0.753 -> 0.758 to 0.766; CV of 5000@0.7 0.766 -> 0.769 ± 0.047,
almost all of it on the screen fold (the others -0.001 to +0.002): no real gain.

Models go to bench/out/ner-st-*.crfsuite (reused when present; --retrain ignores them); every
fold's scores are appended to bench/out/ner-selftrain.jsonl. No news text is written anywhere.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from articles.entities import evaluate, read_conll, training as ner_training  # noqa: E402
from articles.entities.base import KINDS, SENTENCE_END, bio_spans  # noqa: E402
from articles.entities.builtin import BuiltinExtractor, gazetteer_path  # noqa: E402
from articles.entities.features import Gazetteer, sentence_features  # noqa: E402
from articles.text.tokens import sentence_tokens  # noqa: E402
from bench.ner_holdout import contiguous_folds  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
REPORT = ("PERS", "LOC", "ORG", "micro")


class ConfidentExtractor(BuiltinExtractor):
    """The builtin extractor, recording for each ``tag()`` call the CRF's confidence in its own
    Viterbi labels (before the rules): min token marginal and P(y|x)."""

    def __init__(self, model_path):
        super().__init__(model_path)
        self.confidences: list[tuple[float, float]] = []

    def tag(self, tokens):
        tags = super().tag(tokens)
        if tokens:
            # pycrfsuite keeps the last sentence set: the Viterbi labels are recomputed cheaply,
            # marginals and P(y|x) come from one forward-backward pass over it.
            viterbi = self.tagger.tag()
            margin = min(self.tagger.marginal(y, t) for t, y in enumerate(viterbi))
            self.confidences.append((margin, self.tagger.probability(viterbi)))
        return tags


def sample_articles(paths, k: int, seed: int) -> list[str]:
    """``k`` article texts (title + body, as ``news_texts``) drawn with a fixed seed."""
    total = sum(1 for _ in ner_training.news_texts(*paths))
    chosen = set(random.Random(seed).sample(range(total), min(k, total)))
    return [t for i, t in enumerate(ner_training.news_texts(*paths)) if i in chosen]


def pseudo_pool(model: Path, texts: list[str], min_len: int = 4, max_len: int = 100) -> dict:
    """Every distinct news sentence tagged by ``model``: ``(sentence, min marginal, P, has entity)``.

    Sentences without final punctuation (titles, lines) get the "." that ``tag()`` pads them with,
    so the pseudo sentence looks to training as it looked to the tagger. Very short lines (bylines,
    datelines) are dropped."""
    ext = ConfidentExtractor(model)
    pool, seen, tokens_total = [], set(), 0
    started = time.perf_counter()
    for text in texts:
        sentences = [[t for t, _, _ in s] for s in sentence_tokens(text)]
        ext.confidences.clear()
        tagged = ext.tag_sentences(sentences)
        tokens_total += sum(map(len, sentences))
        for tokens, tags, (margin, prob) in zip(sentences, tagged, ext.confidences):
            key = tuple(tokens)
            if not (min_len <= len(tokens) <= max_len) or key in seen:
                continue  # syndicated copies would otherwise weigh double
            seen.add(key)
            if tokens[-1] not in SENTENCE_END:
                tokens, tags = [*tokens, "."], [*tags, "O"]
            has_entity = any(kind in KINDS for kind, _, _ in bio_spans(tags))
            pool.append((list(zip(tokens, tags)), margin, prob, has_entity))
    seconds = time.perf_counter() - started
    return {"pool": pool, "tokens": tokens_total, "seconds": seconds}


def parse_variant(spec: str) -> dict:
    head, *opts = spec.split("+")
    n, _, threshold = head.partition("@")
    v = {"spec": spec, "n": int(n), "threshold": float(threshold or 0.0), "mem": False, "free": 0.0}
    for opt in opts:
        if opt == "mem":
            v["mem"] = True
        elif opt.startswith("free"):
            v["free"] = float(opt[4:])
        else:
            raise SystemExit(f"unknown variant option {opt!r} in {spec!r}")
    return v


def select(pool: list, variant: dict, seed: int) -> tuple[list, int]:
    """Pseudo-labelled sentences of one variant (random among the confident, fixed seed), and
    how many confident entity sentences there were to choose from."""
    confident = [p for p in pool if p[1] >= variant["threshold"]]
    with_entity = [p[0] for p in confident if p[3]]
    free = [p[0] for p in confident if not p[3]]
    rng = random.Random(seed)
    rng.shuffle(with_entity)
    rng.shuffle(free)
    chosen = with_entity[:variant["n"]] + free[:round(variant["n"] * variant["free"])]
    rng.shuffle(chosen)  # interleave the two kinds across the cross-fitting folds
    return chosen, len(with_entity)


def train_with_pseudo(gold: list, pseudo: list, output: Path, clusters, memorise: bool) -> Path:
    """``training.train`` on gold + pseudo sentences. Unless ``memorise``, the gazetteers (the
    cross-fitted ones and the one saved with the model) are built from the gold sentences only,
    so the pseudo labels teach the CRF weights but add no memorised entity."""
    if memorise:
        return ner_training.train(gold + pseudo, output, clusters=clusters)
    import pycrfsuite

    gold = [s for s in gold if s]  # as train(): gold sentence i keeps fold i % FOLDS
    folds = ner_training.FOLDS
    trainer = pycrfsuite.Trainer(verbose=False)
    for fold in range(folds):
        gaz = Gazetteer.from_sentences([s for i, s in enumerate(gold) if i % folds != fold])
        gaz.clusters = clusters or {}
        for sentence in gold[fold::folds] + pseudo[fold::folds]:
            trainer.append(sentence_features([t for t, _ in sentence], gaz), [g for _, g in sentence])
    trainer.set_params({"c1": ner_training.C1, "c2": ner_training.C2,
                        "max_iterations": ner_training.MAX_ITERATIONS,
                        "feature.possible_transitions": True})
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))
    gaz = Gazetteer.from_sentences(gold)
    gaz.clusters = clusters or {}
    gazetteer_path(output).write_text(json.dumps(gaz.to_json(), ensure_ascii=False), encoding="utf-8")
    return output


def timed(fn, *args, **kwargs) -> float:
    started = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - started


def line(label: str, s: dict) -> str:
    return (f"  {label:24} " + "  ".join(f"{k} {s[k]['f1']:.3f}" for k in REPORT)
            + f"   P {s['micro']['p']:.3f} R {s['micro']['r']:.3f}  {s['tokens_per_s']:,.0f} tok/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("conll", type=Path)
    parser.add_argument("--clusters", type=Path, required=True,
                        help="word classes: a model's .entities.json or a cached clusters file")
    parser.add_argument("--news", type=Path, action="append", required=True,
                        help="unlabelled news JSONL(.gz) to pseudo-label; repeatable")
    parser.add_argument("--variant", action="append", required=True, help="N@THRESHOLD[+mem][+freeF]")
    parser.add_argument("--articles", type=int, default=3000, help="news articles sampled")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cv", type=int, default=5)
    parser.add_argument("--run-folds", type=int, nargs="*", help="1-based folds to run (default all)")
    parser.add_argument("--speed", type=int, default=0, metavar="R",
                        help="R extra alternating timings of base and variant models on B")
    parser.add_argument("--retrain", action="store_true", help="ignore cached models")
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    clusters = ner_training.load_clusters(args.clusters)
    variants = [parse_variant(v) for v in args.variant]
    folds = contiguous_folds(read_conll(args.conll), args.cv)
    run = args.run_folds or list(range(1, args.cv + 1))
    texts = None
    results: dict[str, list] = {"base": []}
    for fold in run:
        train, test = folds[fold - 1]
        print(f"fold {fold}/{args.cv}: T {len(train)} sentences, B {len(test)} sentences", flush=True)
        base = OUT / f"ner-st-base-{fold}.crfsuite"
        if args.retrain or not base.exists():
            secs = timed(ner_training.train, train, base, clusters=clusters)
            print(f"  base trained in {secs:.0f} s", flush=True)
        scores = evaluate(BuiltinExtractor(base), test)
        results["base"].append(scores)
        print(line("base", scores), flush=True)
        records = [{"fold": fold, "variant": "base", "scores": scores}]
        pool = None
        models = {}
        for v in variants:
            model = OUT / f"ner-st-a{args.articles}s{args.seed}-{v['spec']}-{fold}.crfsuite"
            models[v["spec"]] = model
            record = {"fold": fold, "variant": v["spec"]}
            if args.retrain or not model.exists():
                if pool is None:
                    texts = texts or sample_articles(args.news, args.articles, args.seed)
                    tagged = pseudo_pool(base, texts)
                    pool = tagged["pool"]
                    n_entity = sum(p[3] for p in pool)
                    print(f"  pool: {len(texts)} articles, {tagged['tokens']} tokens tagged at "
                          f"{tagged['tokens'] / tagged['seconds']:,.0f} tok/s; {len(pool)} distinct "
                          f"sentences, {n_entity} with an entity; min-marginal quantiles "
                          f"{[round(q, 3) for q in statistics.quantiles([p[1] for p in pool], n=10)]}",
                          flush=True)
                pseudo, available = select(pool, v, args.seed)
                secs = timed(train_with_pseudo, train, pseudo, model, clusters, v["mem"])
                record.update(pseudo=len(pseudo), available=available, train_seconds=round(secs))
                print(f"  {v['spec']}: {len(pseudo)} pseudo sentences ({available} confident with "
                      f"an entity available), trained in {secs:.0f} s", flush=True)
            scores = evaluate(BuiltinExtractor(model), test)
            record.update(scores=scores, model_bytes=model.stat().st_size)
            results.setdefault(v["spec"], []).append(scores)
            records.append(record)
            print(line(v["spec"], scores), flush=True)
        for r in range(args.speed):  # alternate, so load from other jobs hits both alike
            for name, model in [("base", base), *models.items()]:
                tps = evaluate(BuiltinExtractor(model), test)["tokens_per_s"]
                print(f"  speed run {r + 1} {name}: {tps:,.0f} tok/s", flush=True)
                records.append({"fold": fold, "variant": name, "speed_run": r + 1, "tokens_per_s": tps})
        with open(OUT / "ner-selftrain.jsonl", "a", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps({"articles": args.articles, "seed": args.seed, **record}) + "\n")

    if len(run) > 1:
        print(f"folds {run}, micro F1 per fold, mean ± sd:")
        for name, scores in results.items():
            f1s = [s["micro"]["f1"] for s in scores]
            kinds = "  ".join(f"{k} {statistics.mean(s[k]['f1'] for s in scores):.3f}" for k in REPORT[:3])
            print(f"  {name:24} {' / '.join(f'{f:.3f}' for f in f1s)}   mean "
                  f"{statistics.mean(f1s):.3f} ± {statistics.stdev(f1s):.3f}   ({kinds})")


if __name__ == "__main__":
    main()
