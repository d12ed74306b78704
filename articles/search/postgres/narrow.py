"""Haystack's ``narrow_queries`` as the service writes them (``source:3``, ``entities:5``,
``published_on:[20180101 to 20181231]``) → an SQL condition on the index table's columns."""

import re
from datetime import date

from articles.search.postgres.compile import Sql, TRUE
from articles.search.postgres.schema import ARRAY_COLUMNS, DATE_COLUMNS, INTEGER_COLUMNS

_FIELD_RE = re.compile(r"^\s*(?P<name>\w+):(?:\[(?P<start>[^\]]*?)\s*to\s*(?P<end>[^\]]*)\]|(?P<value>\S+))\s*$")


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


def _one(narrow: str) -> Sql:
    name, value, start, end = parse_narrow(narrow)
    if value is not None:
        if name in ARRAY_COLUMNS:
            return Sql(f"{name} @> ARRAY[%s]::integer[]", (value,))
        return Sql(f"{name} = %s", (value,))
    parts, params = [], []
    for bound, op in ((start, ">="), (end, "<=")):
        if bound is not None:
            parts.append(f"{name} {op} %s")
            params.append(bound)
    return Sql(" AND ".join(parts) or "TRUE", tuple(params))


def narrow_condition(narrow_queries) -> Sql:
    """All of ``narrow_queries`` as one condition; ``ValueError`` naming one it cannot read."""
    parts = [_one(force) for force in sorted(map(str, narrow_queries))]
    return Sql.join(" AND ", parts) if parts else TRUE
