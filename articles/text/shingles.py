"""Near-duplicate text: word shingles, MinHash signatures and LSH bands for syndicated copies.

An agency text published by several outlets differs between them by a headline, a comma, a
dropped sentence or a re-cut paragraph. Its word shingles (runs of ``SHINGLE_WORDS`` normalised
words) still mostly coincide, so the Jaccard resemblance of the two shingle sets is high while two
write-ups of the same story share only quoted phrases. A MinHash signature estimates that
resemblance from ``PERMUTATIONS`` numbers; cut into ``BANDS`` bands of ``ROWS`` numbers, two texts
whose resemblance is around ``COPY_THRESHOLD`` or more share at least one band hash with high
probability (1 - (1 - s**ROWS)**BANDS: 0.97 at s = 0.55, 0.998 at 0.65), which is what makes
candidates one indexed lookup. Candidates are then confirmed on the exact resemblance.

The parameters were chosen on bench/data/syndication_pairs.tsv (bench/bench_syndication.py).
"""

import hashlib
import zlib
from functools import lru_cache

import numpy as np

from articles.text.normalize import normalize

# On the labelled pairs 2- and 3-word shingles separate copies from near-misses about equally well;
# 4 and 5 lose lightly edited copies (recall 0.92 and 0.84 where precision reaches 0.99).
SHINGLE_WORDS = 3
PERMUTATIONS = 60
BANDS = 20
ROWS = PERMUTATIONS // BANDS
# Exact Jaccard resemblance of the shingle sets at or above which two texts are copies: on the
# labelled pairs 0.5 gives precision 0.974 / recall 0.993, 0.55 0.983 / 0.985, 0.6 0.989 / 0.965.
COPY_THRESHOLD = 0.55
# Fewer shingles than this (a body of a few lines) is not signed: boilerplate bodies such as a
# copyright line are identical across unrelated articles.
MIN_SHINGLES = 25

# Punctuation that clings to words: «الأربعاء،» and «الأربعاء ،» are the same word.
PUNCTUATION = "".join(chr(c) for c in range(0x21, 0x30)) + ":;<=>?@[\\]^_`{|}~" + "«»،؛؟…“”„‘’‹›–—·٪٬٫"

# Fixed seeds: signatures are stored in the database and must agree across processes and releases.
_rng = np.random.default_rng(20261202)
_MULTIPLIERS = _rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_OFFSETS = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
# Odd constants that combine SHINGLE_WORDS word hashes into one shingle hash.
_WORD_WEIGHTS = [np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9)]
_SHIFT = np.uint64(32)


def _word(token: str) -> str:
    return normalize(token.strip(PUNCTUATION))


def shingle_words(text: str) -> list[str]:
    """The words of ``text`` after Arabic normalisation, without the punctuation around them.

    Words are what lies between spaces, so «2-1» and «إف.بي.آي» stay whole, as both copies of
    a text write them.
    """
    return [word for word in map(_word, text.split()) if word]


# Token as written → 32-bit hash of its normalised word (None for bare punctuation). Signing looks
# up every token of every article and news vocabulary is Zipfian: an LRU of the frequent tokens
# (about 20 MB) saves most normalisations; the whole 41k-article corpus has 440k distinct tokens.
@lru_cache(maxsize=1 << 17)
def _word_hash(token: str) -> int | None:
    word = _word(token)
    return zlib.crc32(word.encode()) if word else None


def shingles(text: str, *, size: int = SHINGLE_WORDS) -> np.ndarray:
    """The ``size``-word shingles of ``text`` as sorted, distinct 32-bit hashes (``uint64``).

    A text shorter than ``size`` words is one shingle; an empty text has none.
    """
    hashes = [value for value in map(_word_hash, text.split()) if value is not None]
    ids = np.array(hashes, dtype=np.uint64)
    count = max(1, len(ids) - size + 1) if len(ids) else 0
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(min(size, len(ids))):
        combined += ids[offset : offset + count] * _WORD_WEIGHTS[offset]
    return np.unique(combined >> _SHIFT)


def minhash(shingle_set: np.ndarray) -> np.ndarray:
    """The MinHash signature of a non-empty shingle set: ``PERMUTATIONS`` unsigned 32-bit minima.

    Each permutation is a multiply-shift hash (a·x + b mod 2**64, top 32 bits), computed for all
    shingles at once.
    """
    if not len(shingle_set):
        raise ValueError("an empty text has no signature")
    hashed = (np.outer(_MULTIPLIERS, shingle_set) + _OFFSETS[:, None]) >> _SHIFT
    return hashed.min(axis=1).astype(np.uint32)


def band_hashes(signature: np.ndarray) -> list[int]:
    """One signed 64-bit hash per band of ``signature`` (what the database indexes), band order."""
    return [
        int.from_bytes(hashlib.blake2b(signature[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8).digest(),
                       "big", signed=True)
        for band in range(BANDS)
    ]


def signature_bands(text: str) -> tuple[np.ndarray, list[int]]:
    """``(shingles, band hashes)`` of ``text``; no bands when it has fewer than ``MIN_SHINGLES``."""
    found = shingles(text)
    if len(found) < MIN_SHINGLES:
        return found, []
    return found, band_hashes(minhash(found))


def resemblance(first: np.ndarray, second: np.ndarray) -> float:
    """Jaccard resemblance of two shingle sets (0 when both are empty)."""
    shared = len(np.intersect1d(first, second, assume_unique=True))
    union = len(first) + len(second) - shared
    return shared / union if union else 0.0


def share_band(first: list[int], second: list[int]) -> bool:
    """Whether two texts' band hashes make them candidates: the same hash in the same band."""
    return any(a == b for a, b in zip(first, second))


def is_copy(first: np.ndarray, second: np.ndarray) -> bool:
    """Whether two texts' shingle sets are copies of one text: both long enough, resemblance ≥ threshold."""
    if len(first) < MIN_SHINGLES or len(second) < MIN_SHINGLES:
        return False
    return resemblance(first, second) >= COPY_THRESHOLD
