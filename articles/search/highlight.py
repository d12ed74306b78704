"""Search highlights: the words of a stored text that match a query, marked with ``<mark>``.

Our own analyser runs over the stored text, so the original words are marked (diacritics and
all) even when the match was on the normalised or stemmed form. Rendering goes through
:func:`articles.text.markup.wrap_spans`, which escapes everything but our markup; snippets are
cut at sentence bounds (:func:`articles.text.tokens.sentence_bounds`).
"""

from bisect import bisect_right

from django.utils.safestring import SafeString, mark_safe
from whoosh import query

from articles.search.analysis import TermMatcher, TermSet, broad_analyzer, exact_analyzer, matching_spans
from articles.search.query import BROAD_FIELDS, TEXT_EXACT_FIELD, TITLE_EXACT_FIELD
from articles.text.markup import wrap_spans
from articles.text.tokens import sentence_bounds

SNIPPET_CHARS = 300

_BROAD = broad_analyzer()
_EXACT = exact_analyzer()


def match_spans(text: str, terms, analyzer) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` whose term under ``analyzer`` is in ``terms``."""
    if not terms or not text:
        return []
    return matching_spans(text, terms, stem=analyzer.stem)


def highlight(text: str, terms, analyzer, *, snippet: bool = True, max_chars: int = SNIPPET_CHARS) -> SafeString:
    """``text`` as HTML with the words matching ``terms`` wrapped in ``<mark>``.

    ``terms`` are analysed terms (what ``analyzer`` makes of a word); the marked text is the word
    as written. With ``snippet``, only the sentence or two around the best matches is returned
    (at most about ``max_chars`` characters, «…» where cut). Everything except our ``<mark>``
    tags is escaped.
    """
    return render_highlight(text, match_spans(text, terms, analyzer), snippet=snippet, max_chars=max_chars)


def render_highlight(text: str, spans, *, snippet: bool = True, max_chars: int = SNIPPET_CHARS) -> SafeString:
    """``text`` (or a snippet of it) as HTML with the character ``spans`` marked."""
    text = text or ""
    spans = sorted(set(spans))
    start, end = (_snippet_window(text, spans, max_chars) if snippet else (0, len(text)))
    marked = wrap_spans(text, [(s, e, "<mark>", "</mark>") for s, e in spans], start=start, end=end)
    before = "…" if start > 0 else ""
    after = "…" if end < len(text.rstrip()) else ""
    return mark_safe(f"{before}{marked}{after}".strip())


def _snippet_window(text: str, spans, max_chars: int) -> tuple[int, int]:
    """The ``(start, end)`` of the sentence(s) that hold the most distinct matched words."""
    sentences = sentence_bounds(text)
    if not sentences:
        return 0, 0
    # Each matched word lies in one sentence: found by its start, the distinct words counted.
    starts = [sentence_start for sentence_start, _end in sentences]
    words: dict[int, set[str]] = {}
    for s, e in spans:
        i = bisect_right(starts, s) - 1
        if e <= sentences[i][1]:
            words.setdefault(i, set()).add(text[s:e])
    best = max(words, key=lambda i: (len(words[i]), -i)) if words else 0
    start, end = sentences[best]
    # A second sentence when it fits: the next one, or the previous when this is the last.
    for neighbour in (best + 1, best - 1):
        if 0 <= neighbour < len(sentences):
            n_start, n_end = sentences[neighbour]
            if max(end, n_end) - min(start, n_start) <= max_chars:
                start, end = min(start, n_start), max(end, n_end)
                break
    if end - start > max_chars:
        first = next((s for s, e in spans if start <= s < end), start)
        start = max(start, first - max_chars // 3)
        end = min(end, start + max_chars)
        start, end = _word_bounds(text, start, end)
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` forward and ``end`` back to whitespace so no word is cut."""
    if start > 0 and not text[start - 1].isspace():
        space = text.find(" ", start, end)
        start = space + 1 if space != -1 else start
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def positive_terms(q, reader) -> dict[str, set[str]]:
    """Field name → the terms of ``q`` that can mark a word: negated clauses left out,
    prefixes expanded to the index terms they matched."""
    found: dict[str, set[str]] = {}

    def walk(node):
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
            return
        if node.is_leaf():
            for fieldname, btext in node.existing_terms(reader, phrases=True, expand=True):
                text = btext.decode() if isinstance(btext, bytes) else btext
                found.setdefault(fieldname, set()).add(text)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return found


def query_matchers(q, reader) -> TermMatcher:
    """What finds the words of a stored text matched by ``q``, for :func:`highlight_matches`."""
    terms = positive_terms(q, reader)
    broad = set().union(*(t for name, t in terms.items() if name in BROAD_FIELDS))
    exact = set().union(*(t for name, t in terms.items() if name in (TITLE_EXACT_FIELD, TEXT_EXACT_FIELD)))
    return _matcher(broad, exact)


def highlight_matchers(parsed) -> TermMatcher:
    """What marks the words of a stored text matched by ``parsed``
    (excluded clauses left out; a prefix marks every word that starts with it)."""
    broad, exact = TermSet(), TermSet()

    def walk(node):
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
            return
        target = broad if getattr(node, "fieldname", None) in BROAD_FIELDS else exact
        if isinstance(node, query.Term):
            target.terms.add(node.text)
        elif isinstance(node, query.Phrase):
            target.terms.update(node.words)
        elif isinstance(node, query.Prefix):
            target.prefixes.add(node.text)
        elif not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(parsed)
    return _matcher(broad, exact)


def _matcher(broad, exact) -> TermMatcher:
    return TermMatcher((terms, analyzer.stem) for analyzer, terms in ((_BROAD, broad), (_EXACT, exact)) if terms)


def highlight_matches(text: str, matcher: TermMatcher, *, snippet: bool) -> SafeString:
    """``text`` (a snippet of it with ``snippet``) with the words found by ``matcher`` marked."""
    text = text or ""
    return render_highlight(text, matcher.spans(text), snippet=snippet)
