"""Header lines under a title: date, outlet, byline, desk and «المصدر» lines.

Pure Python (no Django). See docs/parsing.md (*Header lines*).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from articles.text.clutter import is_clutter
from articles.text.dates import find_dates
from articles.text.decoding import LETTER_RE
from articles.text.normalize import normalize


# Header lines are short: a longer line is body without further analysis, which also keeps the
# header scan cheap. A publication-plus-update date line is about the longest header there is.
_HEADER_MAX_CHARS = 160
_HEADER_MAX_LINES = 8
_SOURCE_MAX_WORDS = 4
_SOURCE_MAX_CHARS = 40
_NAME_MAX_WORDS = 8
_NAME_MAX_CHARS = 60

_DESK_WORDS = frozenset(
    normalize(word)
    for word in [
        "متابعات", "متابعة", "وكالات", "الوكالات", "وكالات الأنباء", "خاص", "حصري", "محرر",
        "المحرر", "محرر الموقع", "فريق التحرير", "هيئة التحرير", "أسرة التحرير", "التحرير",
        "قسم الأخبار", "غرفة الأخبار", "القسم الإخباري", "فريق الموقع", "المحرر الإلكتروني",
        "وكالة الأنباء", "وكالات أنباء", "وكالات ومتابعات", "متابعات ووكالات", "الوكالات والمتابعات",
        "مواقع إخبارية", "مواقع", "staff", "editor", "agencies", "news agencies",
    ]
)
_BYLINE_RE = re.compile(
    r"^(?:كتب|كتبت|كتبه|كتبها|بقلم|تحرير|[إا]عداد|[إا]عداد وتحرير|كتابة|by|written by)"
    r"(?!\w)\s*[:：\-–—/]?\s*(?P<name>[^\s|｜¦][^|｜¦]*)$",
    re.IGNORECASE,
)
# Compared as written: normalised, «على» would be the name «علي».
_QUOTE_INTRO_WORDS = frozenset(
    "على في عن إلى الى عبر أن ان أنه انه أنها انها قائلا قائلاً فيه فيها".split()
)
_SOURCE_LINE_RE = re.compile(
    r"^[(\[]?\s*(?:ال)?مصدر(?:\s+الخبر)?\s*[:：\-–—]\s*(?P<name>[^()\[\]]*[^()\[\]\s.])\s*[)\]]?\s*\.?$"
    r"|^[(\[]?\s*source\s*:\s*(?P<latin>[^()\[\]]*[^()\[\]\s.])\s*[)\]]?$",
    re.IGNORECASE,
)
_PIPE_RE = re.compile(r"\s*[|｜¦]\s*")
_DASH_RE = re.compile(r"\s+[-–—]\s+")


@dataclass
class Header:
    """What the header lines of one article say; ``dates`` are ``(date, is_update)`` in line order."""

    dates: list[tuple[datetime.date, bool]] = field(default_factory=list)
    source: str | None = None
    source_name: str | None = None
    source_line: str | None = None
    byline: str | None = None
    desk: str | None = None

    def merge(self, other: Header) -> None:
        """Take other's findings; what this header already holds stays (first line wins)."""
        self.dates.extend(other.dates)
        for name in ("source", "source_name", "source_line", "byline", "desk"):
            if getattr(self, name) is None:
                setattr(self, name, getattr(other, name))


def _is_short(text: str, max_words: int, max_chars: int) -> bool:
    return len(text) <= max_chars and len(text.split()) <= max_words and bool(LETTER_RE.search(text))


# A content-system id where a name belongs (458 alarabia records of ANT have one as their author).
_IDENTIFIER_RE = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|\d+", re.IGNORECASE)


def credited_name(text: str) -> str:
    """A byline as given, spaces collapsed; ``""`` when it is a bare id or number, not a name."""
    name = " ".join(text.split())
    return "" if _IDENTIFIER_RE.fullmatch(name) else name


def is_desk(name: str) -> bool:
    """Whether ``name`` credits a desk of the newsroom («وكالات», «متابعات», «المحرر»), not an
    outlet or a person: such a name is kept as the article's desk and never becomes a Source."""
    return normalize(name, cleaned=True) in _DESK_WORDS


def read_source_line(line: str) -> Header | None:
    """The outlet named by an «المصدر: …» line (also «مصدر الخبر», «Source:»), else None.

    «المصدر: وكالات» names no outlet: the line is kept and «وكالات» is the desk.
    """
    match = _SOURCE_LINE_RE.match(line)
    if match is None:
        return None
    name = (match.group("name") or match.group("latin")).strip()
    if is_desk(name):
        return Header(desk=name, source_line=line)
    return Header(source_name=name, source_line=line)


def _person_or_desk(name: str) -> Header:
    return Header(desk=name) if is_desk(name) else Header(byline=name)


def _classify_part(part: str) -> Header | None:
    """One header line or a piece of one: a date, a byline, an «المصدر» line or a desk word."""
    norm = normalize(part, cleaned=True)
    finding = find_dates(norm)
    if finding.is_date_line:
        return Header(dates=finding.dates)
    byline = _BYLINE_RE.match(part)
    if byline:
        name = byline.group("name").strip()
        if name.endswith((":", "：")):
            # «بقلم: الجزيرة - واس:», «كتب بيروت - د ب أ:»: Saudi and Egyptian papers close the
            # byline with a colon. After «على», «في», «أن» … the colon opens a quote instead:
            # «كتب الوزير على حسابه:» is prose.
            name = name.rstrip(":： ")
            if not _QUOTE_INTRO_WORDS.isdisjoint(name.split()):
                return None
        # «كتب محمد السيد - 31 مارس 2018»: a date trailing the name.
        pieces = _DASH_RE.split(name)
        trailing = find_dates(normalize(pieces[-1], cleaned=True)) if len(pieces) > 1 else None
        if trailing is not None and trailing.is_date_line:
            name = " - ".join(pieces[:-1])
        if not _is_short(name, _NAME_MAX_WORDS, _NAME_MAX_CHARS) or name.endswith((".", ":", "؟", "!")):
            return None
        header = _person_or_desk(name)
        if trailing is not None and trailing.is_date_line:
            header.dates = trailing.dates
        return header
    source = read_source_line(part)
    if source is not None:
        return source
    if is_desk(part):
        return Header(desk=part)
    return None


def _classify_pieces(pieces: list[str]) -> Header | None:
    """«الوطن| متابعات», «skynews - 17 تشرين الأول 2018»: known pieces plus an outlet name.

    The first unrecognised piece is the outlet, a second one a person (byline); more than two
    unrecognised pieces make a table row or prose, not a header.
    """
    header = Header()
    unknown = []
    for piece in pieces:
        known = _classify_part(piece)
        if known is None:
            unknown.append(piece)
        else:
            header.merge(known)
    if len(unknown) > 2:
        return None
    if unknown:
        if not _is_short(unknown[0], _SOURCE_MAX_WORDS, _SOURCE_MAX_CHARS):
            return None
        header.source = unknown[0]
    if len(unknown) == 2:
        if not _is_short(unknown[1], _NAME_MAX_WORDS, _NAME_MAX_CHARS):
            return None
        header.merge(_person_or_desk(unknown[1]))
    return header


def _classify_header_line(line: str) -> Header | None:
    """What a line after a title says if it is a header line, else None (it is body)."""
    if len(line) > _HEADER_MAX_CHARS:
        return None
    whole = _classify_part(line)
    if whole is not None:
        return whole
    pieces = [piece for piece in _PIPE_RE.split(line) if piece]
    if len(pieces) >= 2:
        # «الوطن | متابعات | شارك | طباعة»: buttons on the outlet line are not a byline.
        kept = [piece for piece in pieces if not is_clutter(piece)]
        return _classify_pieces(kept) if kept else None
    pieces = _DASH_RE.split(line)
    # A dash only separates an outlet from a date; «القاهرة - رويترز» alone is prose-like.
    if len(pieces) >= 2 and any(find_dates(normalize(piece, cleaned=True)).is_date_line for piece in pieces):
        return _classify_pieces(pieces)
    return None


def read_header_lines(lines: list[str]) -> tuple[Header, int]:
    """The header read from the lines right after a title, and how many of them it takes.

    At most ``_HEADER_MAX_LINES``; the first line that is not a header line ends the header.
    """
    header = Header()
    position = 0
    while position < len(lines) and position < _HEADER_MAX_LINES:
        found = _classify_header_line(lines[position])
        if found is None:
            break
        header.merge(found)
        position += 1
    return header, position
