"""Parse articles pasted from Arabic news sites into records.

Pure Python (no Django). This module reads one paste into a :class:`ParsedArticle` and is the
parser's public face: the steps live beside it and their entry points are importable from here.
``decoding`` (bytes, HTML and noise to text lines, ``===`` files), ``dates``, ``headers`` (the
lines under a title) and ``clutter`` (page furniture).

The layout this reads is the one editors produce by copying a web page: a title line, a few
short header lines (date, outlet, author), the body paragraphs one per line, maybe an
«المصدر: …» line, then zero or more «اقرأ أيضاً» markers each followed by a related article.
Page clutter copied along (share/print/comment buttons, counters, breadcrumbs) is dropped.
See docs/parsing.md.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from articles.text.clutter import is_clutter
from articles.text.dates import is_date_line, preferred_date
from articles.text.decoding import ARABIC_LETTER_RE, PasteError, clean_paste, decode_bytes, split_pastes
from articles.text.headers import read_header_lines, read_source_line

__all__ = [
    "PasteError",
    "ParsedArticle",
    "decode_bytes",
    "clean_paste",
    "split_pastes",
    "parse_paste",
]


@dataclass(frozen=True)
class ParsedArticle:
    """One article read from a paste; ``related`` holds the «اقرأ أيضاً» articles in order."""

    title: str
    paragraphs: tuple[str, ...]
    published_on: datetime.date | None = None
    source: str | None = None
    source_name: str | None = None
    source_line: str | None = None
    byline: str | None = None
    desk: str | None = None
    related: tuple[ParsedArticle, ...] = field(default=())

    @property
    def body(self) -> str:
        """The paragraphs joined by blank lines."""
        return "\n\n".join(self.paragraphs)

    def as_dict(self) -> dict:
        """A JSON-ready dict; dates are ISO strings, related articles nested dicts."""
        return {
            "title": self.title,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "source": self.source,
            "source_name": self.source_name,
            "source_line": self.source_line,
            "byline": self.byline,
            "desk": self.desk,
            "body": self.body,
            "related": [article.as_dict() for article in self.related],
        }



# Separator lines (—, ***, •) carry no letters or digits; they are dropped everywhere.
_CONTENT_RE = re.compile(r"[^\W_]")
_MARKS = "[\u064b-\u065f\u0670\u0640]*"  # harakat and tatweel between the letters of a marker
_ALEF = "[اأإآ]"
_RELATED_MARKER_RE = re.compile(
    r"^[\s\-–—•·*▪►▶◀◄»«|:>\[(]*"
    + _ALEF + _MARKS + "ق" + _MARKS + "ر" + _MARKS + "(?:[اأإآءئ]" + _MARKS + ")?"
    + r"\s+"
    + _ALEF + _MARKS + "ي" + _MARKS + "ض" + _MARKS + _ALEF + "?" + _MARKS
    + r"(?!\w)[\s:：\-–—.…|»«>\])]*(?P<title>.*)$"
)
# A marker line carrying a related title is short; a long line starting with «اقرأ أيضاً» is prose.
_RELATED_TITLE_MAX_CHARS = 250
# Headlines run to about twenty words; a longer line is a paragraph even without a full stop.
_TITLE_MAX_WORDS = 20
_CLOSERS = " \"'”’»)]"


def _related_title(line: str) -> str | None:
    """'' for a bare «اقرأ أيضاً» marker, the title for a marker carrying one, else None."""
    match = _RELATED_MARKER_RE.match(line)
    if match is None or len(match.group("title")) > _RELATED_TITLE_MAX_CHARS:
        return None
    return match.group("title").strip()


def _read_article(title: str, lines: list[str], related: tuple[ParsedArticle, ...] = ()) -> ParsedArticle:
    header, position = read_header_lines(lines)
    paragraphs = lines[position:]
    if paragraphs:
        trailing = read_source_line(paragraphs[-1])
        if trailing is not None:
            header.merge(trailing)
            paragraphs = paragraphs[:-1]
    return ParsedArticle(
        title=title,
        paragraphs=tuple(paragraphs),
        published_on=preferred_date(header.dates),
        source=header.source or header.source_name,
        source_name=header.source_name,
        source_line=header.source_line,
        byline=header.byline,
        desk=header.desk,
        related=related,
    )


def _is_paragraph(line: str) -> bool:
    """A line that reads as a paragraph: long, or ending a sentence with «.» or «…».

    Short lines without a full stop (questions and exclamations included) read as titles.
    """
    return len(line.split()) > _TITLE_MAX_WORDS or line.rstrip(_CLOSERS).endswith((".", "…"))


def _has_paragraph(article: ParsedArticle) -> bool:
    return any(_is_paragraph(paragraph) for paragraph in article.paragraphs)


def _split_related(lines: list[str]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The main article's lines and each related article as (title, lines after the title)."""
    main: list[str] = []
    related: list[list[str]] = []
    for line in lines:
        title = _related_title(line)
        if title is not None:
            related.append([title] if title else [])
        elif related:
            related[-1].append(line)
        else:
            main.append(line)
    return main, [(chunk[0], chunk[1:]) for chunk in related if chunk]


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"


def parse_paste(text: str, *, max_bytes: int = 1_000_000) -> ParsedArticle:
    """Clean, validate and parse one paste into a :class:`ParsedArticle`.

    Raises :class:`PasteError` for an empty paste, a paste without Arabic letters, one over
    ``max_bytes`` of UTF-8, and a title without a body. Lines of page clutter are dropped
    first; related articles without a paragraph (bare lists of linked titles) are left out.
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        shown, limit = _megabytes(size), _megabytes(max_bytes)
        if shown == limit:
            shown, limit = f"{size:,} bytes", f"{max_bytes:,}-byte"
        raise PasteError(f"paste is {shown}, over the {limit} limit", code="too_large", size=size, limit=max_bytes)
    cleaned = clean_paste(text)
    if not cleaned:
        raise PasteError("empty paste", code="empty")
    if not ARABIC_LETTER_RE.search(cleaned):
        raise PasteError("no Arabic letters", code="no_arabic")
    lines = [line for line in cleaned.split("\n") if _CONTENT_RE.search(line) and not is_clutter(line)]
    if not lines:
        raise PasteError("empty paste", code="empty")
    # A date line above the headline (some sites print it first) is header, not title.
    lead = 0
    while lead < len(lines) - 1 and is_date_line(lines[lead]):
        lead += 1
    title = lines[lead]
    rest = lines[:lead] + lines[lead + 1 :]
    main, related = _split_related(rest)
    # A related title with no paragraph under it (a bare list of links after the marker) is a
    # link we cannot store as an article: it is dropped, not kept with other titles as body.
    articles = (_read_article(related_title, body) for related_title, body in related)
    article = _read_article(title, main, tuple(item for item in articles if _has_paragraph(item)))
    if not article.paragraphs:
        raise PasteError("title without a body", code="title_only")
    return article
