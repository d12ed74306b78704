"""«هل تقصد»: which archive word a reader probably meant, from the words one edit away.

A correction must be both close and much more frequent than what was typed:

* close: one edit (a letter deleted, inserted, replaced, or two neighbours swapped). Two edits
  turn rare real words into common unrelated ones (زقزقة → زعزعة, two letters replaced);
* frequent: found in at least ``MIN_CORRECTION_FREQUENCY`` articles and in at least
  ``FREQUENCY_RATIO`` times as many articles as the typed word, so a word the archive uses a few
  times is left alone unless a neighbour is far more common (a typo that made it into one
  article, «الاقتصاض» beside «الاقتصاد» in hundreds, still gets its correction);
* a word in more than ``MAX_TYPO_FREQUENCY`` articles is the archive's own and gets none;
* words shorter than ``MIN_WORD_LETTERS`` letters and words with digits get none: every other
  short word is one edit from another.

The candidates are generated from the word (about 60 per letter) and looked up, rather than
the lexicon scanned for neighbours, so the cost does not grow with the archive.
"""

from collections.abc import Callable, Iterable

from articles.text.normalize import DIACRITICS_RE, TATWEEL, normalize_word
from articles.text.tokens import WORD_RE

MIN_WORD_LETTERS = 3
MIN_CORRECTION_FREQUENCY = 3
FREQUENCY_RATIO = 20
# A word in more articles than this is the archive's own word, never corrected: with the ratio
# above it would need a neighbour in 60+ times as many, which the archive hardly has, and looking
# its few hundred neighbours up is most of what a suggestion costs.
MAX_TYPO_FREQUENCY = MIN_CORRECTION_FREQUENCY - 1

# The letters of normalised Arabic words (articles.text.normalize: one alef, ي for ى, ه for ة).
ARABIC_LETTERS = "ءابتثجحخدذرزسشصضطظعغفقكلمنهويئؤ"
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit_away(word: str, alphabet: str) -> set[str]:
    """Every word one deletion, insertion, replacement or swap of neighbours from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + letter + b[1:] for a, b in splits if b for letter in alphabet]
    inserts = [a + letter + b for a, b in splits for letter in alphabet]
    edits = set(deletes + swaps + replaces + inserts)
    edits.discard(word)
    return edits


def alphabet_of(word: str) -> str | None:
    """The letters a correction of the normalised ``word`` may use; ``None`` if it gets none."""
    if len(word) < MIN_WORD_LETTERS or any(ch.isdigit() for ch in word):
        return None
    if all(ch in ARABIC_LETTERS for ch in word):
        return ARABIC_LETTERS
    if all(ch in LATIN_LETTERS for ch in word):
        return LATIN_LETTERS
    return None


def best_correction(word: str, frequency: Callable[[str], int]) -> str | None:
    """The most frequent word one edit from the normalised ``word`` that is frequent enough
    to replace it (see the module docstring), or ``None``.

    ``frequency(w)`` is the number of articles with the normalised word ``w`` (0 if none).
    """
    alphabet = alphabet_of(word)
    if alphabet is None:
        return None
    typed = frequency(word)
    if typed > MAX_TYPO_FREQUENCY:
        return None
    needed = max(MIN_CORRECTION_FREQUENCY, FREQUENCY_RATIO * typed)
    best, best_frequency = None, 0
    for candidate in sorted(one_edit_away(word, alphabet)):
        found = frequency(candidate)
        if found >= needed and found > best_frequency:
            best, best_frequency = candidate, found
    return best


def corrected_text(text: str, correction: Callable[[str], str | None]) -> str | None:
    """``text`` with each word whose normalised form ``correction`` corrects replaced by the
    correction (the rest as typed), or ``None`` when no word is corrected."""
    parts, position = [], 0
    for match in WORD_RE.finditer(text):
        better = correction(normalize_word(match.group()))
        if better:
            parts += [text[position:match.start()], better]
            position = match.end()
    return "".join(parts + [text[position:]]) if parts else None


def written_form(term: str, texts: Iterable[str]) -> str:
    """How ``texts`` write the normalised ``term`` (ة, أ, ى restored), without diacritics or
    tatweel; ``term`` itself if none has it."""
    for text in texts:
        for match in WORD_RE.finditer(text):
            if normalize_word(match.group()) == term:
                return DIACRITICS_RE.sub("", match.group()).replace(TATWEEL, "")
    return term
