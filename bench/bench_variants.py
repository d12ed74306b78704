"""Benchmark of spelling and loanword variants in broad search, on held-back real articles.

The multi-source news file is split by record id: a few thousand held-back articles are imported
into a fresh SQLite database and Whoosh index (through the product's import and indexing code,
as bench/bench_search.py does) and queried; the variant lexicon is mined (the product's miner)
from everything else (the rest of that file and the other news file) and written where the
product reads it. Then, through ``search_articles``:

* the miner's precision and recall on the labelled pairs of bench/variant_pairs.tsv;
* (a) spelling variants: one title word typed with diacritics, tatweel, another alef form, ى/ي,
  ة/ه or an attached و ف ب ك ل, searched with the title's one or two rarest other words;
* (b) loanword variants: a title word of the lexicon typed in its other spelling (words of the
  labelled pairs left out), with the same companions - with and without expansion;
* the share of each that finds its article in the top 10, and query time p50/p95 with and
  without expansion (every query of (a), (b) and 1-3 random title words).

    .venv/bin/python bench/bench_variants.py                   # 3,000 held-back articles
    .venv/bin/python bench/bench_variants.py --articles 1000   # a quick run
"""

import argparse
import gzip
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news"
PAIRS = Path(__file__).resolve().parent / "variant_pairs.tsv"
TEST_FILE = "articles.ant_multisource_v2.1.jsonl.gz"
HELD_BACK_SHARE = 5  # one record in five (by id hash) is held back for the queries
TOP = 10

sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the news *.jsonl.gz files")
    parser.add_argument("--articles", type=int, default=3000, help="held-back articles to index and query")
    parser.add_argument("--queries", type=int, default=400, help="queries of each kind")
    parser.add_argument("--seed", type=int, default=20240601)
    return parser.parse_args()


def held_back(record) -> bool:
    return int(hashlib.sha1(str(record["id"]).encode()).hexdigest(), 16) % HELD_BACK_SHARE == 0


def read_records(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def load_pairs():
    pairs = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, a, b = line.split("\t")
            pairs.append((label, a, b))
    return pairs


def judge_miner(scores, settings, pairs):
    """(precision, recall, misses) of the miner's decisions on the labelled pairs."""
    from articles.text.normalize import normalize
    from articles.text.variants import is_variant

    decided = {frozenset((s.a, s.b)): is_variant(s, settings) for s in scores}
    tp = fp = fn = 0
    misses = []
    for label, a, b in pairs:
        accepted = decided.get(frozenset((normalize(a), normalize(b))), False)
        if label == "variant":
            tp += accepted
            fn += not accepted
        else:
            fp += accepted
        if accepted != (label == "variant"):
            misses.append(f"{label}:{a}/{b}")
    return tp / ((tp + fp) or 1), tp / ((tp + fn) or 1), misses


_HARAKAT = "\u064e\u064f\u0650\u0652"


def spelling_variant(word: str, rng: random.Random) -> str | None:
    """``word`` typed another way the archive must forgive, or ``None`` if no change applies."""
    changes = []
    if len(word) > 1:
        changes.append(lambda w: "".join(c + rng.choice(_HARAKAT) if c.isalpha() and rng.random() < 0.5 else c for c in w))
        changes.append(lambda w: w[: len(w) // 2] + "\u0640" + w[len(w) // 2:])
    if word[0] in "اأإآ":
        changes.append(lambda w: rng.choice([a for a in "اأإآ" if a != w[0]]) + w[1:])
    if word[-1] in "يى":
        changes.append(lambda w: w[:-1] + ("ى" if w[-1] == "ي" else "ي"))
    if word[-1] in "ةه":
        changes.append(lambda w: w[:-1] + ("ه" if w[-1] == "ة" else "ة"))
    changes.append(lambda w: rng.choice("وفبكل") + w)
    changed = rng.choice(changes)(word)
    return changed if changed != word else None


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-variants-"))
    os.environ["ARCHIVE_DATA_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.setdefault("ARCHIVE_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from articles import services
    from articles.models import Article
    from articles.search import indexing, service
    from articles.search.analysis import broad_term, exact_term
    from articles.search.variants import current_lexicon, expand_word, write_lexicon
    from articles.text.normalize import normalize
    from articles.text.stemmer import STOP_WORDS
    from articles.text.variants import Corpus, MinerSettings, mine_corpus

    # Held-back records for the index; everything else for the miner.
    test_records, corpus = [], Corpus()
    started = time.perf_counter()
    for path in sorted(args.data.glob("*.jsonl.gz")):
        for record in read_records(path):
            if path.name == TEST_FILE and held_back(record):
                test_records.append(record)
            else:
                corpus.add(f"{record.get('title') or ''}\n{record.get('body') or ''}", record.get("source"))
    settings = MinerSettings()
    classes, scores = mine_corpus(corpus, settings)
    write_lexicon(work / "variants.tsv", classes)
    precision, recall, misses = judge_miner(scores, settings, load_pairs())
    print(f"miner: {len(corpus):,} articles, {len(scores):,} candidate pairs, {len(classes)} classes"
          f" in {time.perf_counter() - started:.0f} s")
    print(f"miner on the labelled pairs: precision {precision:.3f}, recall {recall:.3f} (wrong: {', '.join(misses)})")

    rng.shuffle(test_records)
    jsonl = work / "held-back.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for record in test_records[: args.articles]:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    services.import_jsonl(path=jsonl, index=False, entities=False, batch_size=1000)
    articles = list(Article.objects.order_by("pk").values_list("pk", "title", "body"))
    indexing.index_articles([pk for pk, _, _ in articles])
    print(f"indexed {len(articles):,} held-back articles")

    df = Counter()
    for _pk, title, body in articles:
        df.update({exact_term(w) for w in f"{title} {body}".split()})
    labelled = {normalize(w) for _, a, b in load_pairs() for w in (a, b)}
    lexicon = current_lexicon()

    def content_words(title):
        words = [w.strip("«»\"'.,:؛،()-") for w in title.split()]
        return [w for w in words if len(w) > 2 and w.isalpha() and broad_term(w) and exact_term(w) not in STOP_WORDS]

    def with_companions(words, target, typed):
        others = sorted((w for w in words if w != target), key=lambda w: df[exact_term(w)])[: rng.randint(1, 2)]
        return " ".join([typed, *others])

    spelling, loanword = [], []
    for pk, title, _body in rng.sample(articles, len(articles)):
        words = content_words(title)
        if len(words) < 2:
            continue
        if len(spelling) < args.queries:
            target = rng.choice(words)
            typed = spelling_variant(target, rng)
            if typed:
                spelling.append((pk, with_companions(words, target, target), with_companions(words, target, typed)))
        if len(loanword) < args.queries:
            for target in words:
                forms = expand_word(target, lexicon)
                if forms and normalize(target) not in labelled:
                    loanword.append((pk, with_companions(words, target, target), with_companions(words, target, forms[0])))
                    break

    timings = {True: [], False: []}
    cpu = {True: [], False: []}

    def found(pk, q, variants=True):
        params = service.parse_search_params({"q": q, "variants": "1" if variants else "0"})
        started, cpu_started = time.perf_counter(), time.process_time()
        page = service.search_articles(params, per_page=TOP)
        timings[variants].append((time.perf_counter() - started) * 1000)
        cpu[variants].append((time.process_time() - cpu_started) * 1000)
        return any(hit.id == pk for hit in page.results)

    found(articles[0][0], articles[0][1])  # opens the searcher
    timings = {True: [], False: []}

    def share(hits):
        return f"{sum(hits) / len(hits):.1%} of {len(hits)}"

    varied = [found(pk, v) for pk, _, v in spelling]
    print(f"(a) spelling variants in the top {TOP}: typed as in the title {share([found(pk, q) for pk, q, _ in spelling])},"
          f" varied {share(varied)}")
    print("    missed: " + " | ".join(v for (_, _, v), hit in zip(spelling, varied) if not hit))
    print(f"(b) loanword variants in the top {TOP}: as in the title {share([found(pk, q) for pk, q, _ in loanword])},"
          f" other spelling {share([found(pk, v) for pk, _, v in loanword])},"
          f" other spelling without expansion {share([found(pk, v, variants=False) for pk, _, v in loanword])}")
    examples = [v for _, _, v in loanword[:8]]
    print("    e.g. " + " | ".join(examples))

    # Search time with and without expansion, on the same queries, the order alternating; the
    # median of three rounds. CPU time shows how much of the wall time is other load.
    plain = []
    for _ in range(args.queries):
        words = content_words(rng.choice(articles)[1]) or ["خبر"]
        plain.append(" ".join(rng.sample(words, min(len(words), rng.randint(1, 3)))))
    queries = [q for _, q, _ in spelling] + [v for _, _, v in loanword] + plain

    def p95(values):
        return sorted(values)[int(len(values) * 0.95) - 1]

    rounds = []
    for _round in range(3):
        timings.update({True: [], False: []})
        cpu.update({True: [], False: []})
        for number, q in enumerate(queries):
            for variants in ((True, False) if number % 2 else (False, True)):
                found(0, q, variants)
        rounds.append({name: (statistics.median(values[True]), p95(values[True]),
                              statistics.median(values[False]), p95(values[False]))
                       for name, values in (("wall", timings), ("cpu", cpu))})
    for name in ("wall", "cpu"):
        on50, on95, off50, off95 = (statistics.median(r[name][i] for r in rounds) for i in range(4))
        print(f"search {name} time over {len(queries)} queries (median of 3 rounds): with expansion p50 {on50:.1f} ms,"
              f" p95 {on95:.1f} ms; without p50 {off50:.1f} ms, p95 {off95:.1f} ms;"
              f" expansion costs {(on95 - off95) / off95:+.1%} of p95")
    import shutil

    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
