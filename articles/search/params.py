"""The search parameters of the site and the API, parsed from a query string.

No index and no Django beyond gettext (messages are in the reader's language): the views, the API and
the service share these rules.
"""

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

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


def _positive_int(data: Mapping[str, str], name: str) -> int | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise SearchParamError(name, _("%(name)s: not a positive whole number “%(value)s”") % {"name": name, "value": raw})
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
        raise SearchParamError(name, _("%(name)s: invalid date “%(value)s”") % {"name": name, "value": raw}) from None


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
        raise SearchParamError("q", _("q: the search text is longer than %(limit)s characters") % {"limit": MAX_QUERY_CHARS})
    date_from = _parse_date(data.get("from"), "from", end=False)
    date_to = _parse_date(data.get("to"), "to", end=True)
    for name in ("month", "year"):
        raw = (data.get(name) or "").strip()
        if raw and name == "month" and not re.match(r"^\d{4}-\d{1,2}$", raw):
            raise SearchParamError(name, _("%(name)s: invalid month “%(value)s”") % {"name": name, "value": raw})
        if raw and name == "year" and not re.match(r"^\d{4}$", raw):
            raise SearchParamError(name, _("%(name)s: invalid year “%(value)s”") % {"name": name, "value": raw})
        if raw:
            date_from = date_from or _parse_date(raw, name, end=False)
            date_to = date_to or _parse_date(raw, name, end=True)
            break
    if date_from and date_to and date_from > date_to:
        raise SearchParamError(
            "from", _("from: the start date “%(start)s” is after the end date “%(end)s”") % {"start": date_from, "end": date_to}
        )
    sort = (data.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise SearchParamError("sort", _("sort: unknown order “%(value)s”") % {"value": sort})
    mode = (data.get("mode") or "broad").strip()
    if mode not in MODES:
        raise SearchParamError("mode", _("mode: unknown search mode “%(value)s”") % {"value": mode})
    page = _positive_int(data, "page") or 1
    variants = (data.get("variants") or "1").strip()
    if variants not in ("0", "1"):
        raise SearchParamError("variants", _("variants: invalid value “%(value)s” (0 or 1)") % {"value": variants})
    return SearchParams(
        q=q,
        source=_positive_int(data, "source"),
        entity=_positive_int(data, "entity"),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=page,
        mode=mode,
        variants=variants == "1",
    )
