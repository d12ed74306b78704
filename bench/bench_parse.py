"""How long the paste parser takes on hostile and huge input, which the tests only check for correctness.

    .venv/bin/python bench/bench_parse.py [--repeat 3]

Each input is markup pasted above a short article: hundreds of thousands of «<», unclosed tags,
comment and script openers, ampersands, and a 2.4 MB page of 20,000 paragraphs. A linear
reduction keeps each under a second here; a quadratic one takes minutes. Prints the median
seconds per input and exits non-zero if any exceeds --limit.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from articles.text.parser import PasteError, parse_paste  # noqa: E402
# The hostile inputs are the tests' own, so the two always cover the same cases.
from tests.text.test_decoding import BODY, PATHOLOGICAL_MARKUP, paste  # noqa: E402

ARTICLE = paste("", "عنوان المقال", BODY)
PAGE = "<html><body><h1>عنوان المقال</h1>" + f"<p>{BODY}</p><nav><a href='/x'>رابط</a></nav>" * 20_000


def seconds(text: str) -> float:
    started = time.perf_counter()
    try:
        parse_paste(text, max_bytes=10_000_000)
    except PasteError:
        pass
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per input (the median is shown)")
    parser.add_argument("--limit", type=float, default=3.0, help="seconds an input may take")
    args = parser.parse_args()
    cases = {name: markup + ARTICLE for name, markup in PATHOLOGICAL_MARKUP.items()} | {"20k-paragraph-page": PAGE}
    worst = 0.0
    for name, text in cases.items():
        median = statistics.median(seconds(text) for _ in range(args.repeat))
        worst = max(worst, median)
        print(f"{name:28} {len(text) / 1e6:5.2f} MB  {median:6.3f} s")
    print(f"slowest {worst:.3f} s (limit {args.limit} s)")
    return 0 if worst <= args.limit else 1


if __name__ == "__main__":
    raise SystemExit(main())
