"""What the PostgreSQL backend asks of its index term by term: document frequencies (for BM25,
the variant forms and spelling) and spelling suggestions.
"""

from articles.search.postgres.compile import Statistics, tsquery_lexeme
from articles.search.postgres.schema import TEXT_FIELDS
from articles.search.query import TEXT_EXACT_FIELD
from articles.text.spelling import best_correction, corrected_text, written_form


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


def suggestion(query_string: str, *, frequency, surface, count, hits: int) -> str | None:
    """The query with unknown or rare words replaced by far more frequent close words of the
    archive, if ``count(suggestion)`` finds more than ``hits``: the rule of the Whoosh backend.

    ``frequency(term)`` is the number of documents with ``term`` in the exact text field and
    ``surface(term)`` how the archive writes it.
    """
    def correction(word):
        better = word and best_correction(word, frequency)
        return surface(better) if better else None

    suggested = corrected_text(query_string, correction)
    return suggested if suggested is not None and count(suggested) > hits else None


def stored_text(stored: dict) -> str:
    """The title and body of a document's stored values, as :func:`written_form` reads them."""
    return f"{stored.get('title') or ''}\n{stored.get('body') or ''}"


def surface_form(reader: StatsReader, term: str) -> str:
    """:func:`~articles.text.spelling.written_form` of ``term`` in one stored document of the PostgreSQL index that has it."""
    rows = reader.execute(
        f"SELECT stored FROM {reader.table} WHERE {TEXT_EXACT_FIELD}_vec @@ %s::tsquery LIMIT 1",
        (tsquery_lexeme(term),),
    )
    return written_form(term, (stored_text(stored) for (stored,) in rows))
