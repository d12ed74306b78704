"""Honest accuracy estimate of the builtin NER on text it has not seen: train on the first 80% of
a CoNLL file's sentences, score on the last 20%.

    .venv/bin/python bench/ner_holdout.py ../shared/data/ner/anercorp-train.txt \
        --news ../shared/data/news/articles.ant_multisource_v2.1.jsonl.gz \
        --news ../shared/data/news/articles.ant_v1.1.jsonl.gz

--news learns word classes as `manage.py train_ner --news` does and caches them in
bench/out/ner-clusters.json (reuse with --clusters). --test-first scores the first 20% instead,
trained on the rest: a second, independent estimate. The shipped model is trained on the whole
file; this script writes only under bench/out/.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from articles import ner, ner_training  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("conll", type=Path)
    parser.add_argument("--news", type=Path, action="append", default=[],
                        help="unlabelled news JSONL(.gz) for word classes; repeatable")
    parser.add_argument("--clusters", type=Path, help="word classes cached by an earlier --news run")
    parser.add_argument("--test-first", action="store_true", help="test on the first 20%% instead")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    sentences = ner.read_conll(args.conll)
    if args.test_first:
        test, train = ner_training.holdout_split(sentences, 0.2)
    else:
        train, test = ner_training.holdout_split(sentences, 0.8)
    OUT.mkdir(exist_ok=True)
    clusters = None
    if args.news:
        clusters = ner_training.word_clusters(ner_training.news_texts(*args.news))
        (OUT / "ner-clusters.json").write_text(json.dumps(clusters, ensure_ascii=False), encoding="utf-8")
    elif args.clusters:
        clusters = json.loads(args.clusters.read_text(encoding="utf-8"))
    model = OUT / ("ner-holdout-first.crfsuite" if args.test_first else "ner-holdout.crfsuite")
    ner_training.train(train, model, clusters=clusters)
    scores = ner.evaluate(ner.BuiltinExtractor(model), test)
    scores["train_sentences"], scores["test_sentences"] = len(train), len(test)
    if args.json:
        print(json.dumps(scores, ensure_ascii=False))
        return
    print(f"train {len(train)} sentences, test {len(test)} sentences ({scores['tokens']} tokens)")
    for kind in ("PERS", "LOC", "ORG", "micro"):
        s = scores[kind]
        print(f"{kind:6} P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}")
    print(f"{scores['tokens_per_s']:.0f} tokens/s")


if __name__ == "__main__":
    main()
