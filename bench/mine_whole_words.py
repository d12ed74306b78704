"""Mine articles/text/whole_words.txt: words whose first letter looks like a particle but is not one.

A word beginning with و ف ب ك ل (after any article) keeps that letter in the stemmer when it is at
least ``--min-count`` times in the news corpora and ``--ratio`` times more frequent than what is
left without the letter: «ليبيا» 1,469 against «يبيا» 0, «وزراء» 1,015 against «زراء» 0, while
«وقال» (21,357) against «قال» (11,468) loses its و. Counts are of normalised words.

    .venv/bin/python bench/mine_whole_words.py                  # ../shared/data/news/*.jsonl.gz
    .venv/bin/python bench/mine_whole_words.py --ratio 20 --min-count 3
"""

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.text.normalize import normalize  # noqa: E402
from articles.text.stemmer import _PARTICLES, _WHOLE_WORDS_FILE, _strip_article  # noqa: E402
from articles.text.tokens import WORD_RE  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news"


def count_forms(paths) -> Counter:
    """Normalised words of every title and body, after the article is taken off."""
    counts: Counter = Counter()
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                counts.update(WORD_RE.findall(normalize(f"{record.get('title') or ''}\n{record.get('body') or ''}")))
    forms: Counter = Counter()
    for word, count in counts.items():
        forms[_strip_article(word)] += count
    return forms


def whole_words(forms: Counter, *, ratio: float, min_count: int) -> list[str]:
    return sorted(
        word for word, count in forms.items()
        if len(word) >= 4 and word[0] in _PARTICLES and count >= min_count
        and count >= ratio * (forms.get(word[1:], 0) + 1)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.jsonl.gz news files")
    parser.add_argument("--ratio", type=float, default=20.0)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--output", type=Path, default=_WHOLE_WORDS_FILE)
    args = parser.parse_args()
    words = whole_words(count_forms(sorted(args.data.glob("*.jsonl.gz"))), ratio=args.ratio, min_count=args.min_count)
    args.output.write_text("".join(f"{word}\n" for word in words), encoding="utf-8")
    print(f"{len(words)} words → {args.output}")


if __name__ == "__main__":
    main()
