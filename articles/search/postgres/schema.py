"""The PostgreSQL table of the search index, and one article's row in it.

One table per haystack connection (``search_<INDEX_NAME>``). The text fields hold our own terms
(:mod:`articles.search.analysis`, the analysers Whoosh uses), so PostgreSQL needs no Arabic
configuration: each field is a ``tsvector`` literal of those terms with their positions (phrases
match on the exact fields), a ``jsonb`` of term frequencies and a length, for BM25. Filter,
sort and facet fields are columns; the stored fields are one ``jsonb``.
"""

import json
import re
from collections import Counter, defaultdict
from datetime import datetime

from articles.search.analysis import broad_analyzer, exact_analyzer
from articles.search.base.fields import INTEGER_COLUMNS, TEXT_FIELDS, json_value
from articles.search.postgres.compile import tsquery_lexeme
from articles.search.query import BROAD_FIELDS

# PostgreSQL keeps at most 256 positions of a lexeme, each at most 16383.
MAX_POSITIONS, MAX_POSITION = 256, 16383
_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


def table_name(index_name: str) -> str:
    """``search_<index_name>``; the name must be a plain identifier (it is written into SQL)."""
    if not _NAME_RE.match(index_name or ""):
        raise ValueError(f"INDEX_NAME {index_name!r} must be lower-case letters, digits and underscores")
    return f"search_{index_name}"


def create_statements(table: str) -> list[str]:
    text_columns = ", ".join(f"{name}_vec tsvector, {name}_tf jsonb, {name}_len integer" for name in TEXT_FIELDS)
    statements = [
        f"CREATE SEQUENCE IF NOT EXISTS {table}_seq",
        f"CREATE TABLE IF NOT EXISTS {table} (id text PRIMARY KEY, django_ct text NOT NULL, "
        f"django_id text NOT NULL, seq bigint NOT NULL, {text_columns}, "
        + ", ".join(f"{name} integer" for name in INTEGER_COLUMNS)
        + ", entities integer[], published_on date, stored jsonb NOT NULL)",
    ]
    statements += [f"CREATE INDEX IF NOT EXISTS {table}_{name}_gin ON {table} USING gin ({name}_vec)" for name in TEXT_FIELDS]
    statements += [
        f"CREATE INDEX IF NOT EXISTS {table}_entities_gin ON {table} USING gin (entities)",
        f"CREATE INDEX IF NOT EXISTS {table}_source ON {table} (source)",
        f"CREATE INDEX IF NOT EXISTS {table}_published_on ON {table} (published_on)",
        f"CREATE INDEX IF NOT EXISTS {table}_copy_group ON {table} (copy_group)",
    ]
    return statements


def analysed(fieldname: str, value: str) -> tuple[str, str, int]:
    """``(tsvector literal, term frequencies as JSON, length)`` of ``value`` in ``fieldname``."""
    analyzer = broad_analyzer() if fieldname in BROAD_FIELDS else exact_analyzer()
    positions: dict[str, list[int]] = defaultdict(list)
    frequencies: Counter = Counter()
    length = 0
    for token in analyzer(value or "", positions=True):
        length += 1
        frequencies[token.text] += 1
        kept = positions[token.text]
        if len(kept) < MAX_POSITIONS:
            kept.append(min(token.pos + 1, MAX_POSITION))
    vector = " ".join(f"{tsquery_lexeme(term)}:{','.join(map(str, sorted(set(pos))))}" for term, pos in positions.items())
    return vector, json.dumps(frequencies, ensure_ascii=False), length


def row(doc: dict, stored_names) -> dict:
    """The table row of haystack's prepared document ``doc``."""
    values = {"id": doc["id"], "django_ct": doc["django_ct"], "django_id": str(doc["django_id"])}
    for name in TEXT_FIELDS:
        values[f"{name}_vec"], values[f"{name}_tf"], values[f"{name}_len"] = analysed(name, doc.get(name) or "")
    for name in INTEGER_COLUMNS:
        value = doc.get(name)
        values[name] = int(value) if value not in (None, "") else None
    values["entities"] = [int(v) for v in doc.get("entities") or ()]
    published = doc.get("published_on")
    values["published_on"] = published.date() if isinstance(published, datetime) else published
    stored = {name: json_value(doc.get(name)) for name in stored_names if doc.get(name) is not None}
    values["stored"] = json.dumps(stored, ensure_ascii=False)
    return values
