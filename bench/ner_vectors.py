"""Learn word vectors from unlabelled news and cache them for bench/ner_neural.py.

    nice -n 10 .venv/bin/python bench/ner_vectors.py \
        ../shared/data/news/articles.ant_multisource_v2.1.jsonl.gz \
        ../shared/data/news/articles.ant_v1.1.jsonl.gz

The vectors are those the CRF's word classes are clustered from
(:func:`articles.entities.training.word_vectors`: log neighbour counts reduced to 100
dimensions), so they cost one pass over the news and no training loop: a skip-gram trained in
torch on one core would take far longer over the same 41k articles. Writes
bench/out/ner-vectors.npz (``words``, ``vectors``).
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from articles.entities import training as ner_training  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "ner-vectors.npz"


def load_vectors(path: Path = OUT) -> tuple[list[str], "np.ndarray"]:  # noqa: F821
    """The words and vectors an earlier run cached."""
    import numpy as np

    data = np.load(path)
    return data["words"].tolist(), data["vectors"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("news", type=Path, nargs="+", help="news JSONL(.gz) files")
    parser.add_argument("--vocabulary", type=int, default=50_000)
    parser.add_argument("--dims", type=int, default=100)
    args = parser.parse_args()

    import numpy as np

    started = time.perf_counter()
    words, vectors = ner_training.word_vectors(ner_training.news_texts(*args.news),
                                               vocabulary=args.vocabulary, dims=args.dims)
    OUT.parent.mkdir(exist_ok=True)
    np.savez(OUT, words=np.array(words), vectors=vectors.astype(np.float32))
    print(f"{len(words)} words × {vectors.shape[1]} dims in {time.perf_counter() - started:.0f}s → {OUT}")


if __name__ == "__main__":
    main()
