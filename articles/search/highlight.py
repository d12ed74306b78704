"""Search highlights: the words of a stored text that match a query, marked with ``<mark>``.

Our own analyser runs over the stored text, so the original words are marked (diacritics and
all) even when the match was on the normalised or stemmed form. Rendering goes through
:func:`articles.text.markup.wrap_spans`, which escapes everything but our markup; snippets are
cut at sentence bounds (:func:`articles.text.tokens.sentence_bounds`).
"""

from django.utils.safestring import SafeString, mark_safe
from whoosh import query

from articles.search.analysis import broad_analyzer, exact_analyzer, matching_spans, spans_matching_any
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
    if spans:
        def matched_words(bounds):
            return len({text[s:e] for s, e in spans if bounds[0] <= s and e <= bounds[1]})

        best = max(range(len(sentences)), key=lambda i: (matched_words(sentences[i]), -i))
        if not matched_words(sentences[best]):
            best = 0
    else:
        best = 0
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


def query_matchers(q, reader) -> tuple:
    """``(analyser, terms)`` pairs that find the words of a stored text matched by ``q``."""
    terms = positive_terms(q, reader)
    broad = set().union(*(t for name, t in terms.items() if name in BROAD_FIELDS))
    exact = set().union(*(t for name, t in terms.items() if name in (TITLE_EXACT_FIELD, TEXT_EXACT_FIELD)))
    return tuple((analyzer, words) for analyzer, words in ((_BROAD, broad), (_EXACT, exact)) if words)


class _Terms:
    """Terms and term prefixes, as a container :func:`highlight_matches` reads."""

    def __init__(self):
        self.terms: set[str] = set()
        self.prefixes: set[str] = set()

    def __bool__(self):
        return bool(self.terms or self.prefixes)

    def __contains__(self, term):
        return bool(term) and (term in self.terms or any(term.startswith(p) for p in self.prefixes))


def highlight_matchers(parsed) -> tuple:
    """``(analyser, terms)`` pairs that mark the words of a stored text matched by ``parsed``
    (excluded clauses left out; a prefix marks every word that starts with it)."""
    broad, exact = _Terms(), _Terms()

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
    return tuple((analyzer, terms) for analyzer, terms in ((_BROAD, broad), (_EXACT, exact)) if terms)


def highlight_matches(text: str, matchers, *, snippet: bool) -> SafeString:
    """``text`` (a snippet of it with ``snippet``) with the words found by ``matchers`` marked."""
    text = text or ""
    spans = spans_matching_any(text, [(terms, analyzer.stem) for analyzer, terms in matchers])
    return render_highlight(text, spans, snippet=snippet)
