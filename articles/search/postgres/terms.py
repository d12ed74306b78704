"""What the PostgreSQL backend asks of its index term by term: document frequencies (for BM25,
the variant forms and spelling), the terms that highlight a result, and spelling suggestions.
"""

from whoosh import query

from articles.search.analysis import broad_analyzer, exact_analyzer, exact_term
from articles.search.postgres.compile import Statistics, tsquery_lexeme
from articles.search.postgres.schema import TEXT_FIELDS
from articles.search.query import BROAD_FIELDS, TEXT_EXACT_FIELD
from articles.text.normalize import DIACRITICS_RE, TATWEEL
from articles.text.spelling import best_correction
from articles.text.tokens import WORD_RE


class StatsReader:
    """Document frequencies of one search, counted over the GIN indexes and cached.

    Also what :func:`articles.search.query.build_search` calls as its ``reader``
    (``doc_frequency``), so only variant forms the index holds are searched.
    """

    def __init__(self, execute, table: str):
        self.execute = execute
        self.table = table
        self.frequencies: dict[tuple[str, str], int] = {}

    def doc_frequency(self, fieldname: str, term: str) -> int:
        self.prefetch([(fieldname, term)])
        return self.frequencies[(fieldname, term)]

    def prefetch(self, pairs) -> None:
        missing = list(dict.fromkeys(p for p in pairs if p not in self.frequencies and p[0] in TEXT_FIELDS))
        if not missing:
            return
        # One round trip; each sub-select is a bitmap scan of one GIN index.
        selects = ", ".join(f"(SELECT count(*) FROM {self.table} WHERE {name}_vec @@ %s::tsquery)" for name, _ in missing)
        counts = self.execute(f"SELECT {selects}", tuple(tsquery_lexeme(term) for _, term in missing))[0]
        self.frequencies.update(zip(missing, counts))

    def statistics(self, pairs) -> Statistics:
        self.prefetch(pairs)
        averages = ", ".join(f"coalesce(avg({name}_len), 0)" for name in TEXT_FIELDS)
        documents, *lengths = self.execute(f"SELECT count(*), {averages} FROM {self.table}")[0]
        return Statistics(
            documents=documents,
            average_lengths={name: float(length) for name, length in zip(TEXT_FIELDS, lengths)},
            frequencies=dict(self.frequencies),
        )


class _Terms:
    """Terms and term prefixes, as a container :func:`articles.search.highlight.highlight_matches` reads."""

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
    return tuple((analyzer, terms) for analyzer, terms in ((broad_analyzer(), broad), (exact_analyzer(), exact)) if terms)


def suggestion(query_string: str, *, frequency, surface, count, hits: int) -> str | None:
    """The query with unknown or rare words replaced by far more frequent close words of the
    archive, if ``count(suggestion)`` finds more than ``hits``: the rule of the Whoosh backend.

    ``frequency(term)`` is the number of documents with ``term`` in the exact text field and
    ``surface(term)`` how the archive writes it.
    """
    replacements = []
    for match in WORD_RE.finditer(query_string):
        word = exact_term(match.group())
        better = word and best_correction(word, frequency)
        if better:
            replacements.append((match.start(), match.end(), surface(better)))
    if not replacements:
        return None
    parts, position = [], 0
    for start, end, word in replacements:
        parts += [query_string[position:start], word]
        position = end
    suggested = "".join(parts + [query_string[position:]])
    return suggested if count(suggested) > hits else None


def written_form(term: str, stored_texts) -> str:
    """How the stored ``title``/``body`` of ``stored_texts`` write the normalised ``term``
    (ة, أ, ى restored), without diacritics; ``term`` itself if none has it."""
    for stored in stored_texts:
        text = f"{stored.get('title') or ''}\n{stored.get('body') or ''}"
        for match in WORD_RE.finditer(text):
            if exact_term(match.group()) == term:
                return DIACRITICS_RE.sub("", match.group()).replace(TATWEEL, "")
    return term


def surface_form(reader: StatsReader, term: str) -> str:
    """:func:`written_form` of ``term`` in one stored document of the PostgreSQL index that has it."""
    rows = reader.execute(
        f"SELECT stored FROM {reader.table} WHERE {TEXT_EXACT_FIELD}_vec @@ %s::tsquery LIMIT 1",
        (tsquery_lexeme(term),),
    )
    return written_form(term, (stored for (stored,) in rows))
