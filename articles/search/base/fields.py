"""The document as the engines besides Whoosh store it: which fields are text, numbers, arrays
and dates, how stored values go out as JSON and come back, and the haystack ``narrow_queries``
the service writes (``source:3``, ``entities:5``, ``published_on:[20180101 to 20181231]``).
"""

import re
from datetime import date, datetime

from articles.search.query import TEXT_EXACT_FIELD, TEXT_FIELD, TITLE_EXACT_FIELD, TITLE_FIELD

TEXT_FIELDS = (TITLE_FIELD, TEXT_FIELD, TITLE_EXACT_FIELD, TEXT_EXACT_FIELD)
# Integer fields that narrow queries, facets and sorting read; entities is an array.
INTEGER_COLUMNS = ("source", "year", "copy_group", "copy_order")
ARRAY_COLUMNS = ("entities",)
DATE_COLUMNS = ("published_on",)

_FIELD_RE = re.compile(r"^\s*(?P<name>\w+):(?:\[(?P<start>[^\]]*?)\s*to\s*(?P<end>[^\]]*)\]|(?P<value>\S+))\s*$")


def json_value(value):
    """A stored value as JSON holds it: dates as ISO strings."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_stored(stored: dict) -> dict:
    """Stored values as Python values again: dates as dates (the results show them)."""
    values = dict(stored)
    for name in DATE_COLUMNS:
        if isinstance(values.get(name), str):
            values[name] = date.fromisoformat(values[name])
    return values


def stored_text(stored: dict) -> str:
    """The title and body of a document's stored values, as :func:`~articles.text.spelling.written_form` reads them."""
    return f"{stored.get('title') or ''}\n{stored.get('body') or ''}"


def _value(name: str, text: str):
    text = text.strip().strip('"')
    if name in DATE_COLUMNS:
        return date(int(text[:4]), int(text[4:6] or 1), int(text[6:8] or 1))
    return int(text) if name != "django_ct" else text


def parse_narrow(narrow: str) -> tuple[str, object, object, object]:
    """``(field, value, start, end)`` of one narrow query: a value, or a range with either
    bound ``None``; ``ValueError`` naming the query when it is not one of these."""
    match = _FIELD_RE.match(narrow)
    name = match and match.group("name")
    if not match or name not in (*INTEGER_COLUMNS, *ARRAY_COLUMNS, *DATE_COLUMNS, "django_ct"):
        raise ValueError(f"cannot filter the search index by {narrow!r}")
    try:
        if match.group("value") is not None:
            return name, _value(name, match.group("value")), None, None
        start, end = (match.group(g).strip() for g in ("start", "end"))
        return name, None, _value(name, start) if start else None, _value(name, end) if end else None
    except ValueError as error:
        raise ValueError(f"bad value in the search filter {narrow!r}: {error}") from error
