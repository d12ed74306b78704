"""What the PostgreSQL backend asks of its index term by term: document frequencies (for BM25,
the variant forms and spelling) and how the archive writes a term.
"""

from articles.search.postgres.compile import Statistics, tsquery_lexeme
from articles.search.base.fields import TEXT_FIELDS, stored_text
from articles.search.query import TEXT_EXACT_FIELD
from articles.text.spelling import written_form


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


def surface_form(reader: StatsReader, term: str) -> str:
    """:func:`~articles.text.spelling.written_form` of ``term`` in one stored document of the PostgreSQL index that has it."""
    rows = reader.execute(
        f"SELECT stored FROM {reader.table} WHERE {TEXT_EXACT_FIELD}_vec @@ %s::tsquery LIMIT 1",
        (tsquery_lexeme(term),),
    )
    return written_form(term, (stored_text(stored) for (stored,) in rows))
