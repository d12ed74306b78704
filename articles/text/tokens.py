"""Splitting text into words and sentences, with offsets into the text as written."""

import re

# A word is a letter or digit followed by letters, digits, combining marks (harakat are category Mn,
# which \w does not match, so a plain \w+ splits «مُحَمَّدٌ» into letters), tatweel, or invisible
# joiners pasted inside words. Offsets then point into the original, unnormalised text.
WORD_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u00ad\u200b-\u200f\u2060-\u2064\ufeff"
WORD_RE = re.compile(f"[^\\W_](?:[^\\W_]|[{WORD_MARKS}])*")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Words of ``text`` as ``(word, start, end)``, offsets into ``text`` itself.

    Words are returned as written (not normalised) so callers can highlight them; vocalised
    words stay whole.
    """
    return [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]


# Letters, digits, Arabic marks, tatweel and invisible joiners stay inside a token, as do a
# decimal part and a percent sign («3.5%»); every other visible character is a token of its own.
TOKEN_RE = re.compile(
    r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200c\u200d]+(?:[.,٫][0-9٠-٩]+)*%?|\S"
)


def tokenize_with_punctuation(text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every word and punctuation mark in ``text`` (what taggers read)."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


# Sentences end at . ! ? ؟ ؛ … or a line break; the punctuation and closing quotes stay with
# their sentence.
SENTENCE_END_RE = re.compile(r"[.!?؟؛…]+[\"»”)]*\s+|\n+")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, in order, covering all of it."""
    bounds, start = [], 0
    for match in SENTENCE_END_RE.finditer(text):
        if match.end() > start:
            bounds.append((start, match.end()))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def sentence_tokens(text: str) -> list[list[tuple[str, int, int]]]:
    """The tokens (:func:`tokenize_with_punctuation`) of each sentence (:func:`sentence_bounds`)
    of ``text``, offsets into ``text``; sentences without a token are left out."""
    sentences = []
    for start, end in sentence_bounds(text):
        tokens = [(token, start + a, start + b) for token, a, b in tokenize_with_punctuation(text[start:end])]
        if tokens:
            sentences.append(tokens)
    return sentences
