"""The search parameters of the site and the API, parsed from a query string.

No Django and no index here: the views, the API and the service share these rules.
"""

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from articles.search.query import MODES

SORTS = ("relevance", "newest", "oldest")
MAX_QUERY_CHARS = 500
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class SearchParamError(ValueError):
    """A search parameter that cannot be understood; ``param`` names it (``"from"``, ``"page"``…)."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        # What is wrong without the parameter's name, for pages that name the field in words.
        self.reason = message.removeprefix(f"{param}: ")


@dataclass(frozen=True)
class SearchParams:
    """What a reader asked for: the query, filters, order, page and search strength."""

    q: str = ""
    source: int | None = None
    entity: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    mode: str = "broad"
    # Broad mode also searches the other spellings of loanwords and names (variants=0: not).
    variants: bool = True


def _positive_int(data: Mapping[str, str], name: str, label: str) -> int | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise SearchParamError(name, f"{name}: {label} غير صالح «{raw}»")
    return int(raw)


def _parse_date(raw: str, name: str, *, end: bool) -> date | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a year or month stands for its first day
    (``end=False``) or its last (``end=True``)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    match = _DATE_RE.match(raw)
    try:
        if not match:
            raise ValueError
        year, month, day = (int(part) if part else None for part in match.groups())
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return date(year, month, day)
    except ValueError:
        raise SearchParamError(name, f"{name}: تاريخ غير صالح «{raw}»") from None


def parse_search_params(data: Mapping[str, str]) -> SearchParams:
    """Search parameters from a query string (``request.GET``).

    ``q``; ``source`` and ``entity`` (ids); ``from`` and ``to`` as ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``, a year or month meaning its whole span; ``year`` or ``month`` (``YYYY-MM``)
    as shorthands for both ends; ``sort`` (relevance, newest, oldest); ``page`` (from 1);
    ``mode`` (broad, exact); ``variants`` (1, the default, or 0: search the words as typed,
    without the other spellings of loanwords and names). Raises :class:`SearchParamError` naming the bad parameter.
    """
    q = " ".join((data.get("q") or "").split())
    if len(q) > MAX_QUERY_CHARS:
        raise SearchParamError("q", f"q: نص البحث أطول من {MAX_QUERY_CHARS} حرف")
    date_from = _parse_date(data.get("from"), "from", end=False)
    date_to = _parse_date(data.get("to"), "to", end=True)
    for name in ("month", "year"):
        raw = (data.get(name) or "").strip()
        if raw and name == "month" and not re.match(r"^\d{4}-\d{1,2}$", raw):
            raise SearchParamError(name, f"{name}: شهر غير صالح «{raw}»")
        if raw and name == "year" and not re.match(r"^\d{4}$", raw):
            raise SearchParamError(name, f"{name}: سنة غير صالحة «{raw}»")
        if raw:
            date_from = date_from or _parse_date(raw, name, end=False)
            date_to = date_to or _parse_date(raw, name, end=True)
            break
    if date_from and date_to and date_from > date_to:
        raise SearchParamError("from", f"from: تاريخ البداية «{date_from}» بعد تاريخ النهاية «{date_to}»")
    sort = (data.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise SearchParamError("sort", f"sort: ترتيب غير معروف «{sort}»")
    mode = (data.get("mode") or "broad").strip()
    if mode not in MODES:
        raise SearchParamError("mode", f"mode: نمط بحث غير معروف «{mode}»")
    page = _positive_int(data, "page", "رقم صفحة") or 1
    variants = (data.get("variants") or "1").strip()
    if variants not in ("0", "1"):
        raise SearchParamError("variants", f"variants: قيمة غير صالحة «{variants}» (0 أو 1)")
    return SearchParams(
        q=q,
        source=_positive_int(data, "source", "رقم مصدر"),
        entity=_positive_int(data, "entity", "رقم كيان"),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=page,
        mode=mode,
        variants=variants == "1",
    )
