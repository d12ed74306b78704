"""Trial: a BiLSTM-CRF tagger (news word vectors, characters, the CRF's hashed features), scored
on text it has not seen.

    nice -n 10 .venv/bin/python bench/ner_vectors.py ../shared/data/news/*.jsonl.gz   # once
    nice -n 10 .venv/bin/python bench/ner_neural.py ../shared/data/ner/anercorp-train.txt \
        --clusters articles/entities/data/ner-model.entities.json [--cv 5] [--epochs 12] \
        [--crf-weight 1 --crf-model bench/out/ner-holdout.crfsuite]

Each token is read as three inputs joined end to end: its word vector from unlabelled news
(bench/ner_vectors.py, fine-tuned), a character CNN over the written word (clitics and affixes),
and the CRF's attributes (:func:`articles.entities.features.sentence_features`, word classes
included) hashed into one summed embedding. A bidirectional LSTM reads the sentence; a linear
layer over its output and the hashed embedding gives per-tag scores, and a linear-chain CRF
(trained by its likelihood, decoded by Viterbi, BIO-illegal moves forbidden) picks the tags.
``--crf-weight W`` adds W × the log marginals of a trained CRF model (pycrfsuite) for the same
training part to those scores before decoding: a product-of-experts ensemble.

The rules of the builtin extractor run on top, as for the CRF, so the figures compare with
bench/ner_holdout.py: the default split is its last 20% (trained on the first 80%), ``--cv K``
its K contiguous blocks. The memorised-entity features of training sentences come from the other
folds, as in :func:`articles.entities.training.train`; test sentences see a gazetteer of the
training part only. Writes nothing; torch runs on one thread.
"""

import argparse
import functools
import random
import statistics
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from articles.entities import evaluate, read_conll, rules, training as ner_training  # noqa: E402
from articles.entities.base import SENTENCE_END  # noqa: E402
from articles.entities.features import Gazetteer, _stem, sentence_features  # noqa: E402
from articles.entities.lexicons import dictionary_form  # noqa: E402
from articles.text.normalize import normalize_word  # noqa: E402
from bench.ner_holdout import contiguous_folds  # noqa: E402
from bench.ner_vectors import OUT as VECTORS, load_vectors  # noqa: E402

TAGS = ["O", *(f"{p}-{k}" for k in ("PERS", "LOC", "ORG", "MISC") for p in "BI")]
KINDS = ("PERS", "LOC", "ORG", "micro")
CHARS = 1024  # code points are hashed into this many character ids (0 pads)
MAX_CHARS = 16
BATCH = 32


def legal(tags: list[str]) -> list[str]:
    """``tags`` with an ``I-`` that follows no tag of its kind made ``B-`` (36 in ANERcorp): the
    CRF layer forbids that move, so such gold would cost a huge, useless loss."""
    out = []
    for tag in tags:
        if tag.startswith("I-") and (not out or out[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def hashed(feats: list[list[str]], buckets: int) -> list[list[int]]:
    return [[zlib.crc32(f.encode()) % buckets for f in token] for token in feats]


class Encoder:
    """Turns sentences into the network's inputs: hashed attributes, word ids, character ids."""

    def __init__(self, words: list[str], buckets: int):
        self.index = {w: i + 2 for i, w in enumerate(words)}  # 0 pads, 1 is the unknown word
        self.buckets = buckets
        self.word_id = functools.lru_cache(maxsize=100_000)(self._word_id)

    def _word_id(self, token: str) -> int:
        norm = normalize_word(token)
        # News vectors are of whole normalised words; a word seen only with a clitic falls back
        # to its dictionary form or stem, as the CRF's word classes do.
        return (self.index.get(norm) or self.index.get(dictionary_form(norm))
                or self.index.get(_stem(norm)) or 1)

    @staticmethod
    def char_ids(token: str) -> list[int]:
        return [1 + ord(c) % (CHARS - 1) for c in token[:MAX_CHARS]]

    def encode(self, tokens: list[str], gaz: Gazetteer, feats: list[list[str]] | None = None) -> tuple:
        """Inputs of one sentence; ``feats`` are its CRF attributes if already computed."""
        return (hashed(feats or sentence_features(tokens, gaz), self.buckets),
                [self.word_id(t) for t in tokens], [self.char_ids(t) for t in tokens])

    def training_inputs(self, sentences, clusters, folds: int = ner_training.FOLDS) -> list[tuple]:
        out = [None] * len(sentences)
        for fold in range(folds):
            gaz = Gazetteer.from_sentences([s for i, s in enumerate(sentences) if i % folds != fold])
            gaz.clusters = clusters
            for i in range(fold, len(sentences), folds):
                out[i] = self.encode([t for t, _ in sentences[i]], gaz)
        return out


def build_net(vectors, args):
    """The BiLSTM with its CRF layer; ``vectors`` (words × dims, numpy) initialise the word ids 2…"""
    import torch
    from torch import nn

    n_tags = len(TAGS)
    forbid = torch.zeros(n_tags, n_tags)
    forbid_start = torch.zeros(n_tags)
    for j, b in enumerate(TAGS):
        if b.startswith("I-"):
            forbid_start[j] = -1e4
            for i, a in enumerate(TAGS):
                if a[2:] != b[2:]:
                    forbid[i, j] = -1e4

    class CRF(nn.Module):
        def __init__(self):
            super().__init__()
            self.trans = nn.Parameter(torch.zeros(n_tags, n_tags))  # from row tag to column tag
            self.start = nn.Parameter(torch.zeros(n_tags))
            self.end = nn.Parameter(torch.zeros(n_tags))
            self.register_buffer("forbid", forbid)
            self.register_buffer("forbid_start", forbid_start)

        def nll(self, em, tags, mask):
            """Summed negative log-likelihood of gold ``tags`` (B×L, padded) given ``em`` (B×L×T)."""
            trans, start = self.trans + self.forbid, self.start + self.forbid_start
            maskf = mask.float()
            gold = (start[tags[:, 0]] + (em.gather(2, tags.unsqueeze(2)).squeeze(2) * maskf).sum(1)
                    + (trans[tags[:, :-1], tags[:, 1:]] * maskf[:, 1:]).sum(1)
                    + self.end[tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)])
            alpha = start + em[:, 0]
            for t in range(1, em.shape[1]):
                step = torch.logsumexp(alpha.unsqueeze(2) + trans + em[:, t].unsqueeze(1), dim=1)
                alpha = torch.where(mask[:, t:t + 1], step, alpha)
            return (torch.logsumexp(alpha + self.end, 1) - gold).sum()

        def decode(self, em, lengths) -> list[list[int]]:
            trans = self.trans + self.forbid
            score = self.start + self.forbid_start + em[:, 0]
            back = []
            for t in range(1, em.shape[1]):
                best, idx = (score.unsqueeze(2) + trans).max(1)
                live = (torch.tensor(lengths) > t).unsqueeze(1)
                score = torch.where(live, best + em[:, t], score)
                back.append(idx)
            score = score + self.end
            back = torch.stack(back, 1).tolist() if back else []
            paths = []
            for b, n in enumerate(lengths):
                tag = int(score[b].argmax())
                path = [tag]
                for t in range(n - 2, -1, -1):
                    tag = back[b][t][tag]
                    path.append(tag)
                paths.append(path[::-1])
            return paths

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            # Sparse gradients: a batch touches few of the rows, and dense Adam over all of them
            # was most of an epoch's time.
            self.feats = nn.EmbeddingBag(args.buckets, args.feat_dim, mode="sum", sparse=True)
            dims = vectors.shape[1]
            self.words = nn.Embedding(vectors.shape[0] + 2, dims, padding_idx=0, sparse=True)
            with torch.no_grad():
                self.words.weight[2:] = torch.from_numpy(vectors)
            self.words.weight.requires_grad_(not args.freeze)
            self.chars = nn.Embedding(CHARS, args.char_dim, padding_idx=0)
            self.conv = nn.Conv1d(args.char_dim, args.char_filters, 3, padding=1)
            self.drop = nn.Dropout(args.dropout)
            width = args.feat_dim + dims * args.use_vectors + args.char_filters
            self.lstm = nn.LSTM(width, args.hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * args.hidden + args.feat_dim, n_tags)
            self.crf = CRF()

        def forward(self, batch):
            """Per-tag scores (B×L×T) of encoded sentences, and their lengths."""
            lengths = [len(words) for _, words, _ in batch]
            flat = [f for feats, _, _ in batch for f in feats]
            offsets = torch.tensor([0, *[len(f) for f in flat]][:-1]).cumsum(0)
            feats = self.feats(torch.tensor([i for f in flat for i in f]), offsets)
            chars = [c for _, _, cs in batch for c in cs]
            width = max(len(c) for c in chars)
            char_ids = torch.tensor([c + [0] * (width - len(c)) for c in chars])
            conv = self.conv(self.chars(char_ids).transpose(1, 2)).relu().max(2).values
            parts = [feats, conv]
            if args.use_vectors:
                parts.append(self.words(torch.tensor([w for _, words, _ in batch for w in words])))
            tokens = torch.cat(parts, 1)
            pad = nn.utils.rnn.pad_sequence
            rows, feat_rows = pad(torch.split(tokens, lengths), batch_first=True), \
                pad(torch.split(feats, lengths), batch_first=True)
            packed = nn.utils.rnn.pack_padded_sequence(self.drop(rows), lengths, batch_first=True,
                                                       enforce_sorted=False)
            ctx, _ = self.lstm(packed)
            ctx, _ = nn.utils.rnn.pad_packed_sequence(ctx, batch_first=True)
            return self.out(self.drop(torch.cat([ctx, feat_rows], -1))), lengths

    return Net()


class CrfMarginals:
    """Log marginals of each tag at each token from a trained pycrfsuite model, in TAGS order."""

    def __init__(self, model: Path):
        import pycrfsuite

        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(model))
        self.labels = [t for t in TAGS if t in set(self.tagger.labels())]

    def __call__(self, feats: list[list[str]]) -> list[list[float]]:
        import math

        self.tagger.set(feats)
        rows = []
        for t in range(len(feats)):
            row = dict.fromkeys(TAGS, 1e-6)
            row.update({y: max(self.tagger.marginal(y, t), 1e-6) for y in self.labels})
            rows.append([math.log(row[y]) for y in TAGS])
        return rows


class Tagger:
    """BIO tags from the trained network (optionally with a CRF's marginals) plus the builtin
    extractor's rules; sentences are tagged in batches."""

    name = "bilstm-crf"

    def __init__(self, net, encoder: Encoder, gaz: Gazetteer, crf: CrfMarginals | None = None,
                 crf_weight: float = 0.0, batch: int = 64):
        self.net, self.encoder, self.gaz = net, encoder, gaz
        self.crf, self.crf_weight, self.batch = crf, crf_weight, batch

    def tag(self, tokens):
        return self.tag_batch([tokens])[0]

    def tag_batch(self, sentences):
        import torch

        if not sentences:
            return []
        padded = [list(s) if s[-1] in SENTENCE_END else [*s, "."] for s in sentences]
        # Similar lengths share a batch, so little of it is padding.
        order = sorted(range(len(padded)), key=lambda i: len(padded[i]))
        out = [None] * len(padded)
        with torch.no_grad():
            for b in range(0, len(order), self.batch):
                idx = order[b:b + self.batch]
                feats = [sentence_features(padded[i], self.gaz) for i in idx]
                em, lengths = self.net([self.encoder.encode(padded[i], self.gaz, f)
                                        for i, f in zip(idx, feats)])
                if self.crf is not None and self.crf_weight:
                    marg = [torch.tensor(self.crf(f)) for f in feats]
                    em = em + self.crf_weight * torch.nn.utils.rnn.pad_sequence(marg, batch_first=True)
                for i, path in zip(idx, self.net.crf.decode(em, lengths)):
                    out[i] = [TAGS[k] for k in path]
        tagged = []
        for tokens, tags in zip(sentences, out):
            tags = tags[:len(tokens)]
            rules.place_rule(tokens, tags)
            rules.place_prefix_rule(tokens, tags)
            rules.name_link_rule(tokens, tags)
            tagged.append(tags)
        return tagged

    def tag_sentences(self, sentences):
        tagged = self.tag_batch(sentences)
        rules.propagate_names(sentences, tagged, self.gaz)
        return tagged


def _line(label: str, result: dict) -> str:
    return (f"{label}: " + "  ".join(f"{k} {result[k]['f1']:.3f}" for k in KINDS)
            + f"  {result['tokens_per_s']:.0f} tok/s")


def run(train, test, clusters, words, vectors, args, crf_model: Path | None, log=print) -> dict:
    """Train on ``train``; return ``{crf weight: scores on test}`` after the last epoch, for
    ``--crf-weight`` and each of ``--weights``."""
    import torch

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    encoder = Encoder(words, args.buckets)
    inputs = encoder.training_inputs(train, clusters)
    gold = [torch.tensor([TAGS.index(t) for t in legal([t for _, t in s])]) for s in train]
    net = build_net(vectors, args)
    sparse = [net.feats.weight, *([net.words.weight] if not args.freeze else [])]
    dense = [p for p in net.parameters() if p.requires_grad and all(p is not q for q in sparse)]
    opts = [torch.optim.SparseAdam(sparse, lr=args.lr), torch.optim.Adam(dense, lr=args.lr)]
    gaz = Gazetteer.from_sentences(train)
    gaz.clusters = clusters
    crf = CrfMarginals(crf_model) if crf_model and (args.crf_weight or args.weights) else None
    result = None
    for epoch in range(args.epochs):
        net.train()
        # Batches of sentences of similar length (little padding for the CRF's step loop), drawn
        # anew and in a random order each epoch.
        by_length = sorted(range(len(train)), key=lambda i: (len(train[i]), random.random()))
        batches = [by_length[b:b + BATCH] for b in range(0, len(by_length), BATCH)]
        random.shuffle(batches)
        started, total = time.perf_counter(), 0.0
        for idx in batches:
            em, lengths = net([inputs[i] for i in idx])
            tags = torch.nn.utils.rnn.pad_sequence([gold[i] for i in idx], batch_first=True)
            mask = torch.arange(tags.shape[1]).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)
            loss = net.crf.nll(em, tags, mask) / len(idx)
            for opt in opts:
                opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(dense, 5.0)
            for opt in opts:
                opt.step()
            total += loss.item()
        seconds = time.perf_counter() - started
        if args.every_epoch or epoch + 1 == args.epochs:
            net.eval()
            result = evaluate(Tagger(net, encoder, gaz, crf, args.crf_weight), test)
            log(_line(f"epoch {epoch + 1}: loss {total:.0f} ({seconds:.0f}s)", result))
    results = {args.crf_weight: result}
    net.eval()
    for w in args.weights:
        results[w] = evaluate(Tagger(net, encoder, gaz, crf, w), test)
        log(_line(f"  crf-weight {w}", results[w]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("conll", type=Path)
    parser.add_argument("--clusters", type=Path, required=True)
    parser.add_argument("--vectors", type=Path, default=VECTORS)
    parser.add_argument("--cv", type=int, metavar="K", help="K-fold CV over contiguous blocks")
    parser.add_argument("--only-fold", type=int, help="with --cv: run this fold (1…K) only")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--every-epoch", action="store_true", help="score after every epoch")
    parser.add_argument("--buckets", type=int, default=1 << 18)
    parser.add_argument("--feat-dim", type=int, default=64)
    parser.add_argument("--char-dim", type=int, default=32)
    parser.add_argument("--char-filters", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--freeze", action="store_true", help="keep the news vectors fixed")
    parser.add_argument("--no-vectors", dest="use_vectors", action="store_false")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--crf-model", type=str,
                        help="pycrfsuite model trained on the same training part; with --cv a"
                             " pattern with {i} for the fold (0…K-1), e.g. bench/out/ner-cv-{i}.crfsuite")
    parser.add_argument("--crf-weight", type=float, default=0.0,
                        help="weight of the CRF model's log marginals added to the network's scores")
    parser.add_argument("--weights", type=float, nargs="*", default=[],
                        help="after training, also score these --crf-weight values (tagging only)")
    args = parser.parse_args()
    if (args.weights or args.crf_weight) and not args.crf_model:
        parser.error("--crf-weight and --weights need --crf-model")

    import torch

    torch.set_num_threads(1)
    sentences = read_conll(args.conll)
    clusters = ner_training.load_clusters(args.clusters)
    words, vectors = load_vectors(args.vectors)
    print(f"{len(words)} news vectors of {vectors.shape[1]} dims; {args}", flush=True)
    log = functools.partial(print, flush=True)
    if not args.cv:
        train, test = ner_training.holdout_split(sentences, 0.8)
        run(train, test, clusters, words, vectors, args,
            Path(args.crf_model) if args.crf_model else None, log)
        return
    folds = contiguous_folds(sentences, args.cv)
    results = []
    for i, (train, test) in enumerate(folds):
        if args.only_fold and i + 1 != args.only_fold:
            continue
        model = Path(args.crf_model.format(i=i)) if args.crf_model else None
        result = run(train, test, clusters, words, vectors, args, model,
                     lambda s, i=i: log(f"fold {i + 1}/{args.cv} {s}"))
        results.append(result)
    if len(results) < 2:
        return
    for w in results[0]:
        print(f"{args.cv}-fold CV, crf-weight {w}, F1 mean ± sd [min–max]:")
        for kind in KINDS:
            f1s = [r[w][kind]["f1"] for r in results]
            print(f"  {kind:6} {statistics.mean(f1s):.3f} ± {statistics.stdev(f1s):.3f} "
                  f"[{min(f1s):.3f}–{max(f1s):.3f}]  folds " + " ".join(f"{f:.3f}" for f in f1s))
        print("  tokens/s per fold: " + " ".join(f"{r[w]['tokens_per_s']:.0f}" for r in results))


if __name__ == "__main__":
    main()
