"""Haystack's ``narrow_queries`` (:func:`~articles.search.base.fields.parse_narrow`) → an SQL
condition on the index table's columns."""

from articles.search.base.fields import ARRAY_COLUMNS, parse_narrow
from articles.search.postgres.compile import Sql, TRUE


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
