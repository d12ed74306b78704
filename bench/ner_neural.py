"""Trial: a BiLSTM over the CRF's own features, scored on text it has not seen.

    nice -n 10 .venv/bin/python bench/ner_neural.py ../shared/data/ner/anercorp-train.txt \
        --clusters articles/entities/data/ner-model.entities.json [--test-first] [--epochs 8]

Each token's CRF attributes (:func:`articles.entities.features.sentence_features`, word classes
learned from unlabelled news included) are hashed into one summed embedding; a bidirectional
LSTM reads the sentence and a linear layer gives the tag. The rules of the builtin extractor run
on top, as for the CRF, so the figures compare with bench/ner_holdout.py on the same split.
The memorised-entity features of training sentences come from the other folds, as in
:func:`articles.entities.training.train`; test sentences see a gazetteer of the training part
only. Writes nothing; torch runs on one thread.
"""

import argparse
import random
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from articles.entities import evaluate, read_conll, rules, training as ner_training  # noqa: E402
from articles.entities.features import Gazetteer, sentence_features  # noqa: E402

BUCKETS = 1 << 18
TAGS = ["O", *(f"{p}-{k}" for k in ("PERS", "LOC", "ORG", "MISC") for p in "BI")]


def hashed(feats: list[list[str]]) -> list[list[int]]:
    return [[zlib.crc32(f.encode()) % BUCKETS for f in token] for token in feats]


def training_features(sentences, clusters, folds: int = ner_training.FOLDS):
    out = [None] * len(sentences)
    for fold in range(folds):
        gaz = Gazetteer.from_sentences([s for i, s in enumerate(sentences) if i % folds != fold])
        gaz.clusters = clusters
        for i in range(fold, len(sentences), folds):
            out[i] = hashed(sentence_features([t for t, _ in sentences[i]], gaz))
    return out


class Tagger:
    """BIO tags from the trained network plus the builtin extractor's rules."""

    name = "bilstm"

    def __init__(self, net, gaz):
        self.net, self.gaz = net, gaz

    def tag(self, tokens):
        import torch

        padded = list(tokens) if tokens[-1] in (".", "؟", "!", "?") else [*tokens, "."]
        with torch.no_grad():
            scores = self.net([hashed(sentence_features(padded, self.gaz))])[0]
        tags = [TAGS[i] for i in scores.argmax(-1).tolist()][:len(tokens)]
        rules.place_rule(tokens, tags)
        rules.place_prefix_rule(tokens, tags)
        rules.name_link_rule(tokens, tags)
        return tags

    def tag_sentences(self, sentences):
        tagged = [self.tag(s) for s in sentences]
        rules.propagate_names(sentences, tagged, self.gaz)
        return tagged


def build_net(dim: int, hidden: int, dropout: float):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.EmbeddingBag(BUCKETS, dim, mode="sum")
            self.drop = nn.Dropout(dropout)
            self.lstm = nn.LSTM(dim, hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * hidden + dim, len(TAGS))

        def forward(self, batch):
            lengths = [len(s) for s in batch]
            flat = [f for s in batch for f in s]
            offsets = torch.tensor([0, *[len(f) for f in flat]][:-1]).cumsum(0)
            ids = torch.tensor([i for f in flat for i in f])
            vecs = self.emb(ids, offsets)
            rows = torch.split(vecs, lengths)
            padded = nn.utils.rnn.pad_sequence(rows, batch_first=True)
            packed = nn.utils.rnn.pack_padded_sequence(self.drop(padded), lengths, batch_first=True,
                                                       enforce_sorted=False)
            ctx, _ = self.lstm(packed)
            ctx, _ = nn.utils.rnn.pad_packed_sequence(ctx, batch_first=True)
            return self.out(self.drop(torch.cat([ctx, padded], -1)))

    return Net()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("conll", type=Path)
    parser.add_argument("--clusters", type=Path, required=True)
    parser.add_argument("--test-first", action="store_true")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--dropout", type=float, default=0.3)
    args = parser.parse_args()

    import torch
    from torch import nn

    torch.set_num_threads(1)
    torch.manual_seed(0)
    random.seed(0)
    sentences = [s for s in read_conll(args.conll) if s]
    if args.test_first:
        test, train = ner_training.holdout_split(sentences, 0.2)
    else:
        train, test = ner_training.holdout_split(sentences, 0.8)
    clusters = ner_training.load_clusters(args.clusters)
    feats = training_features(train, clusters)
    gold = [torch.tensor([TAGS.index(t) for _, t in s]) for s in train]
    net = build_net(args.dim, args.hidden, args.dropout)
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-1)
    gaz = Gazetteer.from_sentences(train)
    gaz.clusters = clusters
    order = list(range(len(train)))
    for epoch in range(args.epochs):
        net.train()
        random.shuffle(order)
        started, total = time.perf_counter(), 0.0
        for b in range(0, len(order), 32):
            idx = order[b:b + 32]
            scores = net([feats[i] for i in idx])
            target = nn.utils.rnn.pad_sequence([gold[i] for i in idx], batch_first=True,
                                               padding_value=-1)
            loss = loss_fn(scores.reshape(-1, len(TAGS)), target.reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        net.eval()
        result = evaluate(Tagger(net, gaz), test)
        print(f"epoch {epoch + 1}: loss {total:.1f} ({time.perf_counter() - started:.0f}s) "
              + "  ".join(f"{k} {result[k]['f1']:.3f}" for k in ("PERS", "LOC", "ORG", "micro"))
              + f"  {result['tokens_per_s']:.0f} tok/s", flush=True)


if __name__ == "__main__":
    main()
