"""Build bench/data/syndication_pairs.tsv: labelled pairs of news records, copies and near-misses.

    .venv/bin/python bench/label_syndication.py [--out bench/data/syndication_pairs.tsv]

Reads both files of ../shared/data/news/ and writes only ids (corpus, record id), never text.
Labels come from a criterion independent of shingles and MinHash: the share of each text's
normalised words that an order-preserving alignment (difflib, runs of at least 3 words) finds
in the other. Candidate pairs are those sharing a normalised sentence of six words or more, a
sentence with its digits masked (same template, different numbers) or half their title words.

* ``copy``: both texts have at least 80% of their words aligned with the other.
* near-misses, under 50% on at least one side: ``updated`` (one text holds 80% of the other's
  words: a version with more paragraphs), ``template`` (only digit-masked sentences shared),
  ``same-title`` (same headline words, other text), ``rewrite`` (the rest: the same story
  written again, quoting the same sentences).
* 50–80% on the weaker side is borderline: left out unless read and labelled by hand in
  ``MANUAL``. Identical records (same title and text) are left out: ingest stores them once.

Easy negatives (under 30% aligned) are sampled (``--easy``, fixed seed) so the set stays small.
"""

import argparse
import collections
import difflib
import gzip
import hashlib
import itertools
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news"
sys.path.insert(0, str(ROOT))

from articles.text.keys import content_hash  # noqa: E402
from articles.text.normalize import normalize  # noqa: E402
from articles.text.tokens import SENTENCE_END_RE  # noqa: E402

WORD = re.compile(r"\w+")
# Borderline pairs read by hand: (corpus:id, corpus:id) → label.
MANUAL: dict[tuple[str, str], str] = {}


def sentence_keys(text: str, *, mask_digits: bool) -> set[bytes]:
    keys = set()
    for sentence in SENTENCE_END_RE.split(normalize(text)):
        words = WORD.findall(sentence)
        if len(words) >= 6:
            if mask_digits:
                words = ["#" if word.isdigit() else word for word in words]
            keys.add(hashlib.md5(" ".join(words).encode()).digest()[:8])
    return keys


def sharing_pairs(keys: list[set[bytes]], *, max_posting: int = 30) -> set[tuple[int, int]]:
    postings = collections.defaultdict(list)
    for number, found in enumerate(keys):
        for key in found:
            postings[key].append(number)
    pairs = set()
    for members in postings.values():
        if 1 < len(members) <= max_posting:
            pairs.update(itertools.combinations(sorted(members), 2))
    return pairs


def title_pairs(titles: list[frozenset[str]]) -> set[tuple[int, int]]:
    postings = collections.defaultdict(list)
    for number, words in enumerate(titles):
        for word in words:
            postings[word].append(number)
    pairs = set()
    for number, words in enumerate(titles):
        if len(words) < 4:
            continue
        shared = collections.Counter()
        for word in words:
            if len(postings[word]) < 200:
                shared.update(other for other in postings[word] if other > number)
        pairs.update((number, other) for other, count in shared.items() if count / len(words | titles[other]) >= 0.5)
    return pairs


def aligned(first: list[str], second: list[str]) -> tuple[float, float]:
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 3)
    return matched / max(1, len(first)), matched / max(1, len(second))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "data" / "syndication_pairs.tsv")
    parser.add_argument("--easy", type=int, default=1000, help="easy negatives kept (0: all)")
    args = parser.parse_args()

    records = []
    for path in sorted(NEWS.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            records.extend(json.loads(line) for line in lines)
    words = [WORD.findall(normalize(r.get("body") or "")) for r in records]
    sentences = sharing_pairs([sentence_keys(r.get("body") or "", mask_digits=False) for r in records])
    templates = sharing_pairs([sentence_keys(r.get("body") or "", mask_digits=True) for r in records]) - sentences
    titles = title_pairs([frozenset(WORD.findall(normalize(r.get("title") or ""))) for r in records])
    titles -= sentences | templates
    rows, easy = [], []
    for pairs, kind in ((sentences, "rewrite"), (templates, "template"), (titles, "same-title")):
        for a, b in sorted(pairs):
            first, second = records[a], records[b]
            if content_hash(first["title"], first["body"]) == content_hash(second["title"], second["body"]):
                continue
            ids = (f"{first['corpus']}:{first['id']}", f"{second['corpus']}:{second['id']}")
            cover_a, cover_b = aligned(words[a], words[b])
            low, high = min(cover_a, cover_b), max(cover_a, cover_b)
            if ids in MANUAL:
                label = MANUAL[ids]
            elif low >= 0.8:
                label = "copy"
            elif low >= 0.5:
                continue
            elif high >= 0.8:
                label = "updated"
            else:
                label = kind
            row = (*ids, "1" if label == "copy" else "0", label, f"{low:.2f}", f"{high:.2f}")
            (easy if label != "copy" and high < 0.3 and kind == "rewrite" else rows).append(row)
    random.Random(8).shuffle(easy)
    rows += easy[: args.easy] if args.easy else easy
    rows.sort()
    with args.out.open("w", encoding="utf-8") as out:
        out.write("first\tsecond\tcopy\tkind\taligned_min\taligned_max\n")
        out.writelines("\t".join(row) + "\n" for row in rows)
    counts = collections.Counter(row[3] for row in rows)
    print(f"{len(rows)} pairs → {args.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
