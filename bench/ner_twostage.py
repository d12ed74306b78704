"""Two-stage CRF with document-level features (Krishnan & Manning 2006) against the builtin CRF.

Stage 1 is the shipped pipeline's CRF (``tag()``: CRF + place, place-prefix and name-link
rules). Stage 2 is a CRF with the same features plus features aggregated from stage-1 tags over
the "document": ANERcorp has no article boundaries, so the document of a sentence is the
``--doc-window`` sentences either side (the sentence itself excluded). Per token:

* ``s1=`` its own stage-1 tag (and ``-1s1=``/``1s1=`` of its neighbours);
* ``dt=`` the majority stage-1 label of the same normalised word elsewhere in the document,
  ``dtE=KIND:all|most|some`` the commonest entity kind among those and its share;
* ``ds=``/``dsE=`` the same for its clitic-stripped stem (``features._stem``);
* ``dp=B-KIND``/``I-KIND``: the token lies in a phrase that stage 1 tagged as an entity of that
  kind elsewhere in the document (longest match, first word compared in dictionary form);
* ``dsup=KIND``: its stem occurs inside a longer stage-1 entity elsewhere in the document
  (superentity), commonest kind;
* neighbours' ``dt``/``ds`` kinds at -1/+1.

Stage-1 tags of stage-2 TRAINING sentences are cross-fitted: with the file cut into K contiguous
blocks (the CV's), outer fold i (test block i) trains stage 2 on the other blocks, and a sentence
of block j gets its stage-1 tags from a CRF trained on the blocks other than i and j ("pair"
model, which serves outer folds i and j both: K(K-1)/2 of them). At test time stage 1 is the CRF
trained on all blocks but i, as in ``ner_holdout.py --cv``. After stage 2 come the rules of
``tag()`` and the repeated-name propagation, as in ``BuiltinExtractor.tag_sentences``.

Fold K (1-based) is the last-20% split (train first 80%, test last 20%) of ``ner_holdout.py``.
Models are cached under bench/out/ by name (stage-1 ``ner-2s-s1-{i}``, pairs ``ner-2s-pair-{i}{j}``,
stage 2 ``ner-2s-s2{tag}-w{W}-{i}``) and reused when present; ``--retrain`` ignores the cache.

    # the screen: the last-20% split only (5 stage-1 trainings + 1 stage 2)
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/ner_twostage.py \
        ../shared/data/ner/anercorp-train.txt \
        --clusters articles/entities/data/ner-model.entities.json --run-folds 5
    # the 5-fold CV (reuses the screen's models; 20 trainings in all)
    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/ner_twostage.py \
        ../shared/data/ner/anercorp-train.txt \
        --clusters articles/entities/data/ner-model.entities.json

Variants: --no-self drops the s1 features, --doc-window N sets the document (default 20),
--no-propagate scores without the repeated-name rule after stage 2 (tagging time only). Speed
of the fold-5 models over the whole file, stage 1 and the two stages alternately:

    OMP_NUM_THREADS=1 nice -n 19 .venv/bin/python bench/ner_twostage.py \
        ../shared/data/ner/anercorp-train.txt \
        --clusters articles/entities/data/ner-model.entities.json --no-self --doc-window 10 --speed 5

Each fold prints stage 1 alone and stage 2, per kind, with tagging speed over the test block
(both measured in the same process, stage 2's including stage 1); the CV prints mean ± sd.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from articles.entities import evaluate, read_conll, rules, training as ner_training  # noqa: E402
from articles.entities.base import SENTENCE_END, bio_spans, is_punct  # noqa: E402
from articles.entities.builtin import BuiltinExtractor, gazetteer_path  # noqa: E402
from articles.entities.features import Gazetteer, _stem, sentence_features  # noqa: E402
from articles.entities.lexicons import dictionary_form  # noqa: E402
from articles.text.normalize import normalize_word  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
KINDS = ("PERS", "LOC", "ORG", "micro")


def blocks(sentences, k: int) -> list[list]:
    n = len(sentences)
    bounds = [round(n * i / k) for i in range(k + 1)]
    return [list(sentences[bounds[i]:bounds[i + 1]]) for i in range(k)]


# --------------------------------------------------------------------------- document features

def _label(tag: str) -> str:
    return tag.partition("-")[2] or "O"


def _sentence_items(tokens, tags):
    """What one sentence contributes to its neighbours' documents."""
    norms = [normalize_word(t) for t in tokens]
    words, stems, phrases, supers = [], [], [], []
    for tok, w, tag in zip(tokens, norms, tags):
        if is_punct(tok) or len(w) < 2:
            continue
        lab = _label(tag)
        words.append((w, lab))
        stems.append((_stem(w), lab))
    for kind, a, b in bio_spans(tags):
        if b - a <= Gazetteer.MAX_LEN:
            phrases.append(((dictionary_form(norms[a]), *norms[a + 1:b]), kind))
        if b - a > 1:
            for w in norms[a:b]:
                if len(w) > 2:
                    supers.append((_stem(w), kind))
    return norms, (words, stems, phrases, supers)


def _add(table: dict, items, sign: int) -> None:
    for key, lab in items:
        c = table.get(key)
        if c is None:
            c = table[key] = Counter()
        c[lab] += sign


def _others(table: dict, own: dict, key) -> Counter | None:
    c = table.get(key)
    if not c:
        return None
    o = own.get(key)
    rest = Counter({lab: n - (o[lab] if o else 0) for lab, n in c.items()})
    rest = +rest
    return rest or None


def _kind_feats(prefix: str, counts: Counter | None) -> list[str]:
    if counts is None:
        return []
    total = sum(counts.values())
    feats = [f"{prefix}={counts.most_common(1)[0][0]}"]
    ents = [(lab, n) for lab, n in counts.most_common() if lab != "O"]
    if ents:
        lab, n = ents[0]
        share = "all" if n == total else "most" if 2 * n > total else "some"
        feats.append(f"{prefix}E={lab}:{share}")
    return feats


def document_features(sentences: list[list[str]], tagged: list[list[str]], window: int,
                      self_tag: bool = True) -> list[list[list[str]]]:
    """Extra CRF attributes per token from the stage-1 ``tagged`` of the ``window`` sentences
    either side of each sentence (not the sentence itself)."""
    prepared = [_sentence_items(toks, tags) for toks, tags in zip(sentences, tagged)]
    tables = [{}, {}, {}, {}]  # words, stems, phrases, superentities: key -> Counter(label)
    n = len(sentences)
    lo, hi = 0, 0  # sentences [lo, hi) are in the tables
    out = []
    for s in range(n):
        while hi < min(n, s + window + 1):
            for t, items in zip(tables, prepared[hi][1]):
                _add(t, items, 1)
            hi += 1
        while lo < s - window:
            for t, items in zip(tables, prepared[lo][1]):
                _add(t, items, -1)
            lo += 1
        norms, items = prepared[s]
        own = []
        for its in items:
            d: dict = {}
            _add(d, its, 1)
            own.append(d)
        tokens, tags = sentences[s], tagged[s]
        feats: list[list[str]] = [[] for _ in tokens]
        word_kind, stem_kind = [None] * len(tokens), [None] * len(tokens)
        for i, (tok, w) in enumerate(zip(tokens, norms)):
            f = feats[i]
            if self_tag:
                f.append("s1=" + tags[i])
            if is_punct(tok) or len(w) < 2:
                continue
            cw = _others(tables[0], own[0], w)
            cs = _others(tables[1], own[1], _stem(w))
            fw, fs = _kind_feats("dt", cw), _kind_feats("ds", cs)
            f.extend(fw)
            f.extend(fs)
            word_kind[i] = fw[0][3:] if fw else None
            stem_kind[i] = fs[0][3:] if fs else None
            if len(w) > 2:
                sup = _others(tables[3], own[3], _stem(w))
                if sup:
                    f.append("dsup=" + sup.most_common(1)[0][0])
        # Phrases stage 1 tagged elsewhere, longest match.
        firsts = [dictionary_form(w) for w in norms]
        i = 0
        while i < len(tokens):
            for m in range(min(Gazetteer.MAX_LEN, len(tokens) - i), 0, -1):
                key = (firsts[i], *norms[i + 1:i + m])
                c = _others(tables[2], own[2], key)
                if c:
                    kind = c.most_common(1)[0][0]
                    feats[i].append("dp=B-" + kind)
                    for k in range(i + 1, i + m):
                        feats[k].append("dp=I-" + kind)
                    i += m
                    break
            else:
                i += 1
        for i in range(len(tokens)):
            for d in (-1, 1):
                j = i + d
                if 0 <= j < len(tokens):
                    if self_tag:
                        feats[i].append(f"{d}s1={tags[j]}")
                    if word_kind[j]:
                        feats[i].append(f"{d}dt={word_kind[j]}")
                    if stem_kind[j]:
                        feats[i].append(f"{d}ds={stem_kind[j]}")
        out.append(feats)
    return out


# --------------------------------------------------------------------------- stage 2

def train_stage2(sentences, extra, output: Path, clusters) -> Path:
    """``training.train`` with ``extra`` attributes appended per token (same gazetteer dropout,
    same regularisation)."""
    import pycrfsuite

    pairs = [(s, e) for s, e in zip(sentences, extra) if s]
    trainer = pycrfsuite.Trainer(verbose=False)
    folds = ner_training.FOLDS
    for fold in range(folds):
        others = [s for i, (s, _) in enumerate(pairs) if i % folds != fold]
        gaz = Gazetteer.from_sentences(others)
        gaz.clusters = clusters or {}
        for i in range(fold, len(pairs), folds):
            sent, ex = pairs[i]
            feats = sentence_features([t for t, _ in sent], gaz)
            for f, e in zip(feats, ex):
                f.extend(e)
            trainer.append(feats, [tag for _, tag in sent])
    trainer.set_params({"c1": ner_training.C1, "c2": ner_training.C2,
                        "max_iterations": ner_training.MAX_ITERATIONS,
                        "feature.possible_transitions": True})
    output.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(output))
    gaz = Gazetteer.from_sentences([s for s, _ in pairs])
    gaz.clusters = clusters or {}
    gazetteer_path(output).write_text(json.dumps(gaz.to_json(), ensure_ascii=False), encoding="utf-8")
    return output


class TwoStageExtractor:
    """Stage-1 CRF + rules of ``tag()`` over all sentences, document features, stage-2 CRF +
    the same rules, then the repeated-name propagation. Both models share one gazetteer (they
    are trained on the same sentences), so the base features are computed once."""

    name = "twostage"

    def __init__(self, stage1: Path, stage2: Path, window: int, self_tag: bool = True,
                 propagate: bool = True):
        import pycrfsuite

        self.stage1 = BuiltinExtractor(stage1)
        self.gazetteer = self.stage1.gazetteer
        self.tagger2 = pycrfsuite.Tagger()
        self.tagger2.open(str(stage2))
        self.window = window
        self.self_tag = self_tag
        self.propagate = propagate

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        padded, feats, first = [], [], []
        for tokens in sentences:
            p = list(tokens) if not tokens or tokens[-1] in SENTENCE_END else [*tokens, "."]
            f = sentence_features(p, self.gazetteer) if p else []
            tags = list(self.stage1.tagger.tag(f)) if p else []
            cut = tags[:len(tokens)]
            rules.place_rule(tokens, cut)
            rules.place_prefix_rule(tokens, cut)
            rules.name_link_rule(tokens, cut)
            padded.append(p)
            feats.append(f)
            first.append(cut + tags[len(tokens):])
        extra = document_features(padded, first, self.window, self.self_tag)
        tagged = []
        for tokens, p, f, e in zip(sentences, padded, feats, extra):
            if not p:
                tagged.append([])
                continue
            for a, b in zip(f, e):
                a.extend(b)
            tags = list(self.tagger2.tag(f))[:len(tokens)]
            rules.place_rule(tokens, tags)
            rules.place_prefix_rule(tokens, tags)
            rules.name_link_rule(tokens, tags)
            tagged.append(tags)
        if self.propagate:
            rules.propagate_names(sentences, tagged, self.gazetteer)
        return tagged


# --------------------------------------------------------------------------- driver

def _train_crf(train, path: Path, clusters, retrain: bool) -> Path:
    if retrain or not path.is_file():
        started = time.perf_counter()
        ner_training.train(train, path, clusters=clusters)
        print(f"  trained {path.name} on {len(train)} sentences in {time.perf_counter() - started:.0f} s",
              flush=True)
    return path


def run_fold(i: int, parts, clusters, window: int, tag: str, retrain: bool, self_tag: bool,
             propagate: bool = True) -> dict:
    k = len(parts)
    train = [s for j in range(k) if j != i for s in parts[j]]
    test = parts[i]
    s1 = _train_crf(train, OUT / f"ner-2s-s1-{i}.crfsuite", clusters, retrain)
    # Cross-fitted stage-1 tags of the training blocks.
    first: list[list[str]] = []
    for j in range(k):
        if j == i:
            continue
        a, b = sorted((i, j))
        rest = [s for m in range(k) if m not in (i, j) for s in parts[m]]
        pair = _train_crf(rest, OUT / f"ner-2s-pair-{a}{b}.crfsuite", clusters, retrain)
        ext = BuiltinExtractor(pair)
        first.extend(ext.tag([t for t, _ in s]) for s in parts[j])
    tokens = [[t for t, _ in s] for s in train]
    s2 = OUT / f"ner-2s-s2{tag}-w{window}-{i}.crfsuite"
    if retrain or not s2.is_file():
        started = time.perf_counter()
        extra = document_features(tokens, first, window, self_tag)
        train_stage2(train, extra, s2, clusters)
        print(f"  trained {s2.name} in {time.perf_counter() - started:.0f} s", flush=True)
    one = evaluate(BuiltinExtractor(s1), test)
    two = evaluate(TwoStageExtractor(s1, s2, window, self_tag, propagate), test)
    # Speed again, stage 1 then stage 2, warm caches (the first scoring fills the word caches).
    one_again = evaluate(BuiltinExtractor(s1), test)
    two_again = evaluate(TwoStageExtractor(s1, s2, window, self_tag, propagate), test)
    return {"fold": i + 1, "stage1": one, "stage2": two, "tokens": one["tokens"],
            "stage1_tokens_per_s": [one["tokens_per_s"], one_again["tokens_per_s"]],
            "stage2_tokens_per_s": [two["tokens_per_s"], two_again["tokens_per_s"]]}


def _line(name: str, scores: dict) -> str:
    return f"  {name:7} " + "  ".join(f"{k} {scores[k]['f1']:.3f}" for k in KINDS)


def main() -> None:
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("conll", type=Path)
    parser.add_argument("--clusters", type=Path, required=True,
                        help="word classes: bench/out/ner-clusters.json or a model's .entities.json")
    parser.add_argument("--cv", type=int, default=5, help="contiguous blocks (default 5)")
    parser.add_argument("--run-folds", type=int, nargs="*", help="1-based folds to run (default all)")
    parser.add_argument("--doc-window", type=int, default=20, help="sentences either side (default 20)")
    parser.add_argument("--no-self", action="store_true", help="no s1= features (own stage-1 tags)")
    parser.add_argument("--tag", default="", help="suffix for the stage-2 model files")
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument("--no-propagate", action="store_true",
                        help="no repeated-name propagation after stage 2 (tagging time only)")
    parser.add_argument("--limit", type=int, help="first N sentences only (a smoke test)")
    parser.add_argument("--out", type=Path, default=OUT, help="model directory (default bench/out)")
    parser.add_argument("--speed", type=int, metavar="FOLD",
                        help="only time tagging the whole file with the models of FOLD (1-based),"
                             " stage 1 and two stages alternately, --speed-runs times each")
    parser.add_argument("--speed-runs", type=int, default=3)
    args = parser.parse_args()
    OUT = args.out

    sentences = read_conll(args.conll)[:args.limit]
    clusters = ner_training.load_clusters(args.clusters)
    parts = blocks(sentences, args.cv)
    OUT.mkdir(exist_ok=True)
    if args.speed:
        i = args.speed - 1
        tag = args.tag + ("-noself" if args.no_self else "")
        s1, s2 = OUT / f"ner-2s-s1-{i}.crfsuite", OUT / f"ner-2s-s2{tag}-w{args.doc_window}-{i}.crfsuite"
        token_lists = [[t for t, _ in s] for s in sentences]
        n = sum(map(len, token_lists))
        one, two = BuiltinExtractor(s1), TwoStageExtractor(s1, s2, args.doc_window, not args.no_self)
        one.tag_sentences(token_lists[:500])  # warm the word caches of both
        two.tag_sentences(token_lists[:500])
        for run in range(args.speed_runs):
            for name, ext in (("stage 1", one), ("two stages", two)):
                started = time.perf_counter()
                ext.tag_sentences(token_lists)
                print(f"run {run + 1} {name}: {n / (time.perf_counter() - started):.0f} tokens/s over {n} tokens",
                      flush=True)
        return
    wanted = [f - 1 for f in args.run_folds] if args.run_folds else list(range(args.cv))
    tag = args.tag + ("-noself" if args.no_self else "")
    results = []
    for i in wanted:
        print(f"fold {i + 1}/{args.cv}", flush=True)
        r = run_fold(i, parts, clusters, args.doc_window, tag, args.retrain, not args.no_self,
                     not args.no_propagate)
        results.append(r)
        print(_line("stage 1", r["stage1"]), flush=True)
        print(_line("stage 2", r["stage2"]), flush=True)
        print("  tokens/s over {} tokens: stage 1 {}, two stages {}".format(
            r["tokens"], " / ".join(f"{x:.0f}" for x in r["stage1_tokens_per_s"]),
            " / ".join(f"{x:.0f}" for x in r["stage2_tokens_per_s"])), flush=True)
        (OUT / f"ner-2s{tag}-w{args.doc_window}{'-noprop' if args.no_propagate else ''}-fold{i + 1}.json").write_text(json.dumps(r))
    if len(results) > 1:
        print(f"{len(results)} folds, doc window {args.doc_window}, F1 mean ± sd [min–max]:")
        for stage in ("stage1", "stage2"):
            print(f"  {stage}")
            for kind in KINDS:
                f1s = [r[stage][kind]["f1"] for r in results]
                print(f"    {kind:6} {statistics.mean(f1s):.3f} ± {statistics.stdev(f1s):.3f} "
                      f"[{min(f1s):.3f}–{max(f1s):.3f}]  " + " / ".join(f"{x:.3f}" for x in f1s))


if __name__ == "__main__":
    main()
