"""Parse articles pasted from Arabic news sites into records.

Pure Python (no Django): decoding uploaded bytes, cleaning the paste, splitting a file into
pastes and reading one paste into a :class:`ParsedArticle`.

The layout this reads is the one editors produce by copying a web page: a title line, a few
short header lines (date, outlet, author), the body paragraphs one per line, maybe an
«المصدر: …» line, then zero or more «اقرأ أيضاً» markers each followed by a related article.
Page clutter copied along (share/print/comment buttons, counters, breadcrumbs) is dropped.
See docs/parsing.md.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field

from articles.text.normalize import clean, normalize

__all__ = [
    "PasteError",
    "ParsedArticle",
    "decode_bytes",
    "clean_paste",
    "split_pastes",
    "parse_paste",
    "parse_date",
]


class PasteError(ValueError):
    """A paste (or uploaded file) that cannot become an article; the message names the reason."""


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


# --------------------------------------------------------------------------------------------
# Decoding

_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# C0/C1 controls other than tab and line breaks never occur in pasted prose: a file full of them
# is binary even when every byte happens to decode, and stray ones are dropped from pastes.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_RATIO = 0.01
_ARABIC_LETTER_RE = re.compile("[\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_LETTER_RE = re.compile(r"[^\W\d_]")


def decode_bytes(data: bytes, *, name: str = "") -> str:
    """Decode an uploaded paste file: UTF-8 (with or without BOM), UTF-16/32 with BOM, or Windows-1256.

    Raises :class:`PasteError` ("binary or undecodable file") for NUL-bearing or control-heavy
    data and for bytes that are neither valid UTF-8 nor plausible Windows-1256 Arabic. ``name``
    only decorates the error message.
    """
    where = f" ({name})" if name else ""
    if data.startswith(_UTF32_BOMS):
        text = _decode_or_fail(data, "utf-32", where)
    elif data.startswith(_UTF16_BOMS):
        text = _decode_or_fail(data, "utf-16", where)
    else:
        if b"\x00" in data:
            raise PasteError(f"binary or undecodable file{where}")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Every byte is defined in cp1256, so it never fails: judge the result instead. Real
            # Windows-1256 Arabic is mostly Arabic letters; other 8-bit text or binary is not.
            text = data.decode("cp1256")
            letters = _LETTER_RE.findall(text)
            arabic = sum(1 for ch in letters if _ARABIC_LETTER_RE.match(ch))
            if not letters or arabic < len(letters) / 2:
                raise PasteError(f"binary or undecodable file{where}") from None
    if text and len(_CONTROL_RE.findall(text)) > len(text) * _MAX_CONTROL_RATIO:
        raise PasteError(f"binary or undecodable file{where}")
    return text


def _decode_or_fail(data: bytes, encoding: str, where: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise PasteError(f"binary or undecodable file{where}") from None


# --------------------------------------------------------------------------------------------
# Cleaning

# «[^<>]*» rather than «[^>]*»: an unclosed «<p» stops at the next «<», so search is linear.
_HTML_TAG_RE = re.compile(
    r"<(?=[\s/a-zA-Z!])\s*/?\s*(?:p|br|div|li|ul|ol|h[1-6]|span|a|b|i|u|em|strong|font|table|tr|td|th|tbody"
    r"|html|head|body|script|style|article|section|header|footer|figure|figcaption|img|meta"
    r"|blockquote|iframe|pre|noscript|template|title|svg|!doctype)\b[^<>]*>",
    re.IGNORECASE,
)
_HTML_ENTITY_RE = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_HTML_DROPPED = ["script", "style", "noscript", "template", "head", "title", "iframe", "svg"]
_HTML_BLOCKS = [
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "blockquote", "section", "article", "header", "footer", "figure", "figcaption", "pre",
]
_HTML_DROPPED_SET = frozenset(_HTML_DROPPED)
_HTML_BLOCKS_SET = frozenset(_HTML_BLOCKS)
_HTML_DROPPED_RE = re.compile(rf"<\s*(?P<close>/)?\s*(?P<name>{'|'.join(_HTML_DROPPED)})\b[^<>]*>", re.IGNORECASE)
_HTML_BREAKING_TAG_RE = re.compile(rf"<\s*/?\s*(?:br|{'|'.join(_HTML_BLOCKS)})\b[^<>]*>", re.IGNORECASE)
# Any start or end tag or declaration, known or not, for the parser-free pass.
_ANY_TAG_RE = re.compile(r"<(?:/?\s*[a-zA-Z][\w:-]*|!)[^<>]*>")
# A comment ends at its first «>» (or before the next «<»), so the pass stays linear.
_HTML_COMMENT_RE = re.compile(r"<!--[^<>]*>?")
# More «<» than this and the markup is not a pasted article: see clean_paste.
_HTML_MAX_ANGLES = 2_000
_END = object()  # end-of-children sentinel for the walk in _html_to_text
_LINE_BREAK_RE = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# NFKC already folds most Unicode spaces; tabs and any survivors become one plain space.
_SPACES_RE = re.compile(r"[^\S\n]+")
_WHITESPACE_RE = re.compile(r"\s+")
_BLANK_RUN_RE = re.compile(r"\n{3,}")


def clean_paste(text: str) -> str:
    """Normalise a raw paste to plain text lines.

    Pasted HTML is reduced to text (block elements and ``<br>`` become line breaks, scripts and
    styles dropped; markup with more than ``_HTML_MAX_ANGLES`` «<» skips the HTML parser for a
    linear regex pass, so pathological input stays fast); then NFKC, no BOM / zero-width / direction marks, every line break as
    ``\\n``, odd spaces (NBSP, tabs, …) as one space, lines stripped, runs of blank lines
    collapsed to one, no leading or trailing blank lines.
    """
    if _HTML_TAG_RE.search(text):
        # Cheap guard first: an HTML parser is slow on tens of thousands of «<», which no
        # pasted article has; such input is stripped by a linear regex pass instead.
        if text.count("<") > _HTML_MAX_ANGLES:
            text = _strip_tags(text)
        else:
            text = _html_to_text(text)
    elif _HTML_ENTITY_RE.search(text):
        text = html.unescape(text)
    # Line breaks before stray controls: \x1c-\x1e and \x85 are line separators, not junk.
    text = _CONTROL_RE.sub("", _LINE_BREAK_RE.sub("\n", clean(text)))
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUN_RE.sub("\n\n", "\n".join(lines)).strip("\n")


def _html_to_text(markup: str) -> str:
    # Imported lazily: plain-text pastes, the common case, never pay for bs4.
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(markup, "html.parser")
    # One iterative walk (no tree edits: bs4's insert/replace/extract look the element up in
    # its parent, which is quadratic on pages with thousands of siblings, and recursion would
    # overflow on deep nesting). Pieces are text, or None for a line break.
    pieces: list[tuple[str, bool] | None] = []
    stack: list[tuple[Tag, bool]] = [(soup, False)]
    nodes: list = [iter(soup.contents)]
    has_breaks = False
    while nodes:
        node = next(nodes[-1], _END)
        if node is _END:
            nodes.pop()
            tag, _ = stack.pop()
            if tag.name in _HTML_BLOCKS_SET:
                pieces.append(None)
            continue
        in_pre = stack[-1][1]
        if isinstance(node, Tag):
            name = node.name.lower()
            if name in _HTML_DROPPED_SET:
                continue
            if name == "br":
                pieces.append(None)
                has_breaks = True
                continue
            if name in _HTML_BLOCKS_SET:
                pieces.append(None)
                has_breaks = True
            stack.append((node, in_pre or name == "pre"))
            nodes.append(iter(node.contents))
        elif type(node) is NavigableString:
            # Comments, doctypes, CDATA and script text are NavigableString subclasses: skipped.
            pieces.append((str(node), in_pre))
    out = []
    for piece in pieces:
        if piece is None:
            out.append("\n")
        else:
            string, in_pre = piece
            # With block markup, source newlines are just HTML whitespace, not paragraph breaks.
            out.append(_WHITESPACE_RE.sub(" ", string) if has_breaks and not in_pre else string)
    return "".join(out)


def _strip_tags(markup: str) -> str:
    """A linear, parser-free reduction of markup to text, for input too odd for the parser."""
    # Dropped elements go with their content: one pass over their opening and closing tags.
    out = []
    position = 0
    inside = None
    for match in _HTML_DROPPED_RE.finditer(markup):
        if inside is None and not match.group("close"):
            out.append(markup[position : match.start()])
            inside = match.group("name").lower()
        elif inside == match.group("name").lower() and match.group("close"):
            position = match.end()
            inside = None
    if inside is None:
        out.append(markup[position:])
    text = _HTML_COMMENT_RE.sub("", "".join(out))
    if _HTML_BREAKING_TAG_RE.search(text):
        # As in _html_to_text: with block markup, source newlines are only whitespace.
        text = _HTML_BREAKING_TAG_RE.sub("\n", _WHITESPACE_RE.sub(" ", text))
    return html.unescape(_ANY_TAG_RE.sub("", text))


# --------------------------------------------------------------------------------------------
# Splitting a file into pastes

# Spaces, or invisible marks an editor cannot see, around the ===.
_BLANKISH = "(?:[^\\S\n]|[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff])*"
_SEPARATOR_RE = re.compile(f"^{_BLANKISH}==={_BLANKISH}(?:\n|\\Z)", re.MULTILINE)


def split_pastes(text: str) -> list[str]:
    """Split a file into pastes at lines holding only ``===`` (surrounding spaces allowed).

    Chunks are returned as they are (line endings untouched), empty ones included, so that
    callers can number pastes 1..n and name the empty one.
    """
    return _SEPARATOR_RE.split(text)


# --------------------------------------------------------------------------------------------
# Dates
#
# Header lines are analysed in their search-normalised form (one alef, ى→ي, ة→ه, ASCII digits,
# lower-case Latin), so the word lists below are normalised once at import.

_MONTH_NAMES = {
    1: ["يناير", "كانون الثاني", "جانفي", "january", "jan"],
    2: ["فبراير", "فبرير", "شباط", "فيفري", "february", "feb"],
    3: ["مارس", "آذار", "march", "mar"],
    4: ["أبريل", "إبريل", "نيسان", "أفريل", "april", "apr"],
    5: ["مايو", "أيار", "ماي", "may"],
    6: ["يونيو", "يونيه", "يونية", "حزيران", "جوان", "june", "jun"],
    7: ["يوليو", "يوليه", "يولية", "تموز", "جويلية", "يوليوز", "july", "jul"],
    8: ["أغسطس", "آب", "أوت", "غشت", "august", "aug"],
    9: ["سبتمبر", "أيلول", "شتنبر", "september", "sept", "sep"],
    10: ["أكتوبر", "تشرين الأول", "october", "oct"],
    11: ["نوفمبر", "تشرين الثاني", "نونبر", "november", "nov"],
    12: ["ديسمبر", "كانون الأول", "دجنبر", "december", "dec"],
}


def _month_variants(name: str) -> list[str]:
    # Levantine names are also written without the article: «تشرين أول», «كانون ثاني».
    words = normalize(name).split()
    variants = [" ".join(words)]
    if len(words) == 2 and words[1].startswith("ال"):
        variants.append(f"{words[0]} {words[1][2:]}")
    return variants


_MONTHS = {
    variant: number
    for number, names in _MONTH_NAMES.items()
    for name in names
    for variant in _month_variants(name)
}
_MONTH_ALT = "|".join(
    re.escape(name).replace(r"\ ", r"\s+") for name in sorted(_MONTHS, key=len, reverse=True)
)
_MONTH = rf"(?<!\w)(?P<month>{_MONTH_ALT})\.?(?!\w)"
# «17 تموز (يوليو) 2018», «17 يوليو/تموز 2018»: a second name for the same month.
_SECOND_MONTH = rf"(?:\s*[/(\-]\s*(?:{_MONTH_ALT})\.?\s*\)?)?"
_DAY = r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?<!\d)(?P<year>\d{4})(?!\d)"
_SEP = r"\s*[,،\-/]?\s*"

_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<year>\d{4})\s*(?P<sep>[-/.])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<day>\d{1,2})\s*(?P<sep>[-/.])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<year>\d{4})(?!\d)"),
    re.compile(_DAY + _SEP + r"(?:of\s+)?" + _MONTH + _SECOND_MONTH + _SEP + _YEAR),
    re.compile(_MONTH + _SECOND_MONTH + r"\s*" + _DAY + _SEP + _YEAR),
]
_TIME_RE = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")

_UPDATE_LABELS = ["آخر تحديث", "تم التحديث", "تحديث", "محدث", "last updated", "updated", "update"]
_PUBLISH_LABELS = [
    "تاريخ النشر", "نشر في", "نشر بتاريخ", "نشر", "تاريخ", "التاريخ", "بتاريخ",
    "published on", "published", "posted on", "posted", "date",
]
_LABELS = {normalize(label): label in _UPDATE_LABELS for label in _UPDATE_LABELS + _PUBLISH_LABELS}
_LABEL_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in sorted(_LABELS, key=len, reverse=True))
    + r")(?!\w)"
)
_RELATIVE_RE = re.compile(r"(?<!\w)(?:منذ|ago)(?!\w)")

_WEEKDAYS = (
    "الأحد الإثنين الاثنين الاتنين الثلاثاء الأربعاء الخميس الجمعة السبت "
    "أحد إثنين اثنين ثلاثاء أربعاء خميس جمعة سبت "
    "sunday monday tuesday wednesday thursday friday saturday "
    "sun mon tue tues wed thu thur thurs fri sat"
)
_HIJRI_MONTH_WORDS = "محرم صفر ربيع الأول الآخر الثاني جمادى الأولى الآخرة رجب شعبان رمضان شوال ذو ذي القعدة الحجة"
# Words that may surround a date on a date line without making it prose: times of day, time
# zones, calendar markers, ordinal suffixes, relative-time units and small connectives.
_DATE_LINE_WORDS = (
    "يوم الموافق هـ ه م ص هجري هجرية ميلادي ميلادية صباحا صباحاً صباح مساء مساءً مساءا ظهرا عصرا "
    "الساعة ساعة على في عند تمام بتوقيت توقيت غرينتش جرينتش غرينيتش مكة المكرمة القاهرة "
    "منذ ساعات دقيقة دقائق أيام يومين ساعتين أسبوع شهر "
    "gmt utc am pm a p t z st nd rd th of on at the in ago hour hours minute minutes day days"
)
_DATE_VOCABULARY = frozenset(
    word
    for text in [_WEEKDAYS, _HIJRI_MONTH_WORDS, _DATE_LINE_WORDS, *_MONTHS, *_LABELS]
    for word in normalize(text).split()
)
_WORD_RE = re.compile(r"[^\W\d_]+")
# A publication-plus-update date line is about the longest date line there is.
_DATE_LINE_MAX_CHARS = 160


@dataclass
class _DateFinding:
    dates: list[tuple[datetime.date, bool]]  # (date, is_update) in line order
    is_date_line: bool


def _find_dates(norm: str) -> _DateFinding:
    """Dates in a normalised line, and whether the line is nothing but a date line."""
    spans: list[tuple[int, int, datetime.date | None]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(norm):
            if any(start < match.end() and match.start() < end for start, end, _ in spans):
                continue
            spans.append((match.start(), match.end(), _valid_date(match)))
    spans.sort(key=lambda span: span[0])
    labels = [(match.start(), _LABELS[re.sub(r"\s+", " ", match.group())]) for match in _LABEL_RE.finditer(norm)]
    dates = []
    for start, _, date in spans:
        if date is not None:
            preceding = [is_update for position, is_update in labels if position < start]
            dates.append((date, preceding[-1] if preceding else False))
    has_evidence = bool(spans or labels or _TIME_RE.search(norm) or _RELATIVE_RE.search(norm))
    only_date_words = all(word in _DATE_VOCABULARY for word in _WORD_RE.findall(norm))
    return _DateFinding(dates, has_evidence and only_date_words)


def _is_date_line(line: str) -> bool:
    """Whether a line is nothing but a date line; long lines (prose) are not even scanned."""
    return len(line) <= _DATE_LINE_MAX_CHARS and _find_dates(normalize(line)).is_date_line


def _valid_date(match: re.Match) -> datetime.date | None:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else _MONTHS[re.sub(r"\s+", " ", month_text)]
    day, year = int(match.group("day")), int(match.group("year"))
    if month > 12 >= day and month_text.isdigit():
        # 08/19/2024: only a US-style date can have a "month" over 12.
        day, month = month, day
    if not 1900 <= year <= 2100:
        # Hijri years (1439 هـ) and other numbers that only look like a year.
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _preferred(dates: list[tuple[datetime.date, bool]]) -> datetime.date | None:
    """The first publication date, else the first update date."""
    for date, is_update in dates:
        if not is_update:
            return date
    return dates[0][0] if dates else None


def parse_date(text: str) -> datetime.date | None:
    """The date on one header line, or None.

    Reads Gregorian month names in their Egyptian/Gulf, Levantine, Maghrebi and Moroccan
    forms and in English, numeric dates (d/m/y, y-m-d with / - .), Arabic-Indic and Persian
    digits; weekdays, times, time zones and labels are ignored. Invalid dates (31/02) give
    None. When the line has both a publication and an update date, the publication one wins.
    """
    return _preferred(_find_dates(normalize(text)).dates)


# --------------------------------------------------------------------------------------------
# Header lines

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
        "staff", "editor", "agencies",
    ]
)
_BYLINE_RE = re.compile(
    r"^(?:كتب|كتبت|كتبه|كتبها|بقلم|تحرير|[إا]عداد|[إا]عداد وتحرير|كتابة|by|written by)"
    r"(?!\w)\s*[:：\-–—/]?\s*(?P<name>[^\s|｜¦][^|｜¦]*)$",
    re.IGNORECASE,
)
_SOURCE_LINE_RE = re.compile(
    r"^[(\[]?\s*(?:ال)?مصدر(?:\s+الخبر)?\s*[:：\-–—]\s*(?P<name>[^()\[\]]*[^()\[\]\s.])\s*[)\]]?\s*\.?$"
    r"|^[(\[]?\s*source\s*:\s*(?P<latin>[^()\[\]]*[^()\[\]\s.])\s*[)\]]?$",
    re.IGNORECASE,
)
_PIPE_RE = re.compile(r"\s*[|｜¦]\s*")
_DASH_RE = re.compile(r"\s+[-–—]\s+")
# Separator lines (—, ***, •) carry no letters or digits; they are dropped everywhere.
_CONTENT_RE = re.compile(r"[^\W_]")


@dataclass
class _Header:
    dates: list[tuple[datetime.date, bool]] = field(default_factory=list)
    source: str | None = None
    source_name: str | None = None
    source_line: str | None = None
    byline: str | None = None
    desk: str | None = None

    def merge(self, other: _Header) -> None:
        """Take other's findings; what this header already holds stays (first line wins)."""
        self.dates.extend(other.dates)
        for name in ("source", "source_name", "source_line", "byline", "desk"):
            if getattr(self, name) is None:
                setattr(self, name, getattr(other, name))


def _is_short(text: str, max_words: int, max_chars: int) -> bool:
    return len(text) <= max_chars and len(text.split()) <= max_words and bool(_LETTER_RE.search(text))


def _source_line(line: str) -> _Header | None:
    match = _SOURCE_LINE_RE.match(line)
    if match is None:
        return None
    name = (match.group("name") or match.group("latin")).strip()
    return _Header(source_name=name, source_line=line)


def _person_or_desk(name: str) -> _Header:
    if normalize(name) in _DESK_WORDS:
        return _Header(desk=name)
    return _Header(byline=name)


def _classify_part(part: str) -> _Header | None:
    """One header line or a piece of one: a date, a byline, an «المصدر» line or a desk word."""
    norm = normalize(part)
    finding = _find_dates(norm)
    if finding.is_date_line:
        return _Header(dates=finding.dates)
    byline = _BYLINE_RE.match(part)
    if byline:
        name = byline.group("name").strip()
        # «كتب محمد السيد - 31 مارس 2018»: a date trailing the name.
        pieces = _DASH_RE.split(name)
        trailing = _find_dates(normalize(pieces[-1])) if len(pieces) > 1 else None
        if trailing is not None and trailing.is_date_line:
            name = " - ".join(pieces[:-1])
        if not _is_short(name, _NAME_MAX_WORDS, _NAME_MAX_CHARS) or name.endswith((".", ":", "؟", "!")):
            return None
        header = _person_or_desk(name)
        if trailing is not None and trailing.is_date_line:
            header.dates = trailing.dates
        return header
    source = _source_line(part)
    if source is not None:
        return source
    if norm in _DESK_WORDS:
        return _Header(desk=part)
    return None


def _classify_pieces(pieces: list[str]) -> _Header | None:
    """«الوطن| متابعات», «skynews - 17 تشرين الأول 2018»: known pieces plus an outlet name.

    The first unrecognised piece is the outlet, a second one a person (byline); more than two
    unrecognised pieces make a table row or prose, not a header.
    """
    header = _Header()
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


def _classify_header_line(line: str) -> _Header | None:
    """What a line after a title says if it is a header line, else None (it is body)."""
    if len(line) > _HEADER_MAX_CHARS:
        return None
    whole = _classify_part(line)
    if whole is not None:
        return whole
    pieces = [piece for piece in _PIPE_RE.split(line) if piece]
    if len(pieces) >= 2:
        # «الوطن | متابعات | شارك | طباعة»: buttons on the outlet line are not a byline.
        kept = [piece for piece in pieces if not _is_clutter(piece)]
        return _classify_pieces(kept) if kept else None
    pieces = _DASH_RE.split(line)
    # A dash only separates an outlet from a date; «القاهرة - رويترز» alone is prose-like.
    if len(pieces) >= 2 and any(_find_dates(normalize(piece)).is_date_line for piece in pieces):
        return _classify_pieces(pieces)
    return None


# --------------------------------------------------------------------------------------------
# Page clutter
#
# Copying a whole web page brings along its buttons, counters and breadcrumb trail as lines of
# their own. A line made only of such words (plus counters and punctuation) is dropped wherever
# it stands; the same words inside a sentence leave the sentence alone.

# Lines are checked by the thousand, so a cheap fold (one alef, ى→ي, ة→ه, no harakat or
# tatweel, lower case) stands in for normalize(); the text is already NFKC-clean here.
_FOLD = str.maketrans(
    {**dict.fromkeys("أإآٱ", "ا"), "ى": "ي", "ة": "ه", **dict.fromkeys(map(chr, [*range(0x64B, 0x660), 0x670, 0x640]))}
)


def _fold(text: str) -> str:
    return text.translate(_FOLD).lower()


_CLUTTER_PHRASES = [
    # sharing
    "شارك", "شاركها", "شارك الخبر", "شارك المقال", "شارك هذا الخبر", "شارك هذا المقال", "مشاركة",
    "المشاركة", "مشاركات", "شير", "share", "tweet",
    # printing, saving, sending
    "طباعة", "اطبع", "طباعة الخبر", "طباعة المقال", "print", "حفظ", "أرسل", "إرسال", "ارسل لصديق",
    "إرسال لصديق", "أرسل لصديق", "نسخ الرابط", "انسخ الرابط", "رابط مختصر", "الرابط المختصر",
    "copy link", "email", "e-mail", "بريد", "البريد", "البريد الإلكتروني", "إيميل",
    # comments and counters
    "تعليق", "تعليقات", "التعليقات", "أضف تعليق", "أضف تعليقك", "اترك تعليقا", "comments", "comment",
    "مشاهدة", "مشاهدات", "المشاهدات", "قراءة", "قراءات", "القراءات", "عدد القراءات", "عدد المشاهدات",
    "views", "likes",
    # font size
    "حجم الخط", "تكبير الخط", "تصغير الخط", "الخط", "تكبير", "تصغير", "a",
    # networks
    "تويتر", "فيسبوك", "فيس بوك", "واتساب", "واتس اب", "واتس آب", "تيليجرام", "تليجرام", "تلغرام",
    "تيلغرام", "لينكدإن", "لينكد إن", "انستغرام", "إنستغرام", "انستجرام", "يوتيوب", "ماسنجر",
    "twitter", "facebook", "whatsapp", "telegram", "linkedin", "messenger", "instagram", "x",
    # newsletters and follow buttons
    "اشترك", "اشترك الآن", "اشترك في النشرة", "النشرة", "النشرة البريدية", "النشرة الإخبارية",
    "البريدية", "الإخبارية",
    "subscribe", "newsletter", "تابعنا", "تابعونا", "follow us",
]
# Connectives that may join clutter words («شارك عبر تويتر») but are not clutter alone.
_CLUTTER_JOINERS = frozenset(
    _fold(word) for word in ["على", "عبر", "في", "من", "إلى", "و", "on", "via", "to", "us", "k", "m"]
)
_CLUTTER = frozenset(tuple(_fold(phrase).split()) for phrase in _CLUTTER_PHRASES)
_CLUTTER_LONGEST = max(len(phrase) for phrase in _CLUTTER)
_CLUTTER_MAX_CHARS = 120
_CLUTTER_MAX_WORDS = 12
_CLUTTER_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

_BREADCRUMB_HOME = frozenset(_fold(word) for word in ["الرئيسية", "الصفحة الرئيسية", "الرئيسه", "home"])
_BREADCRUMB_SIGN_RE = re.compile(r"[>›»←/\\<]")
_BREADCRUMB_SEP_RE = re.compile(r"\s*[>›»←/\\]\s*|\s+<\s+")
# Without «الرئيسية» in front, only these separators (never «/», which dates use) make a trail.
_BREADCRUMB_ARROWS_RE = re.compile(r"\s*[>›»←]\s*|\s+<\s+")
_BREADCRUMB_PIECE_MAX_WORDS = 4
_BREADCRUMB_MAX_CHARS = 160


def _is_clutter(line: str) -> bool:
    """Whether a line is page furniture: share/print/comment buttons, counters, a breadcrumb."""
    if len(line) > _BREADCRUMB_MAX_CHARS:
        return False
    if _BREADCRUMB_SIGN_RE.search(line) and _is_breadcrumb(line):
        return True
    return (
        len(line) <= _CLUTTER_MAX_CHARS
        and len(line.split()) <= _CLUTTER_MAX_WORDS
        and _is_button_line(_fold(line))
    )


def _is_button_line(folded: str) -> bool:
    """Whether the words of a folded line are all clutter phrases or joiners, with one phrase at least."""
    words = _CLUTTER_WORD_RE.findall(folded)
    found = False
    position = 0
    while position < len(words):
        for size in range(min(_CLUTTER_LONGEST, len(words) - position), 0, -1):
            phrase = tuple(words[position : position + size])
            # «وتويتر»: the conjunction written onto the next word.
            bare = (phrase[0][1:], *phrase[1:]) if phrase[0].startswith("و") else None
            if phrase in _CLUTTER or bare in _CLUTTER:
                found = True
                position += size
                break
        else:
            if words[position] not in _CLUTTER_JOINERS:
                return False
            position += 1
    return found


def _is_breadcrumb(line: str) -> bool:
    """«الرئيسية > أخبار > محليات», «Home / News», or three or more short crumbs joined by arrows."""
    pieces = [piece.strip() for piece in _BREADCRUMB_SEP_RE.split(line)]
    if len(pieces) >= 2 and _fold(pieces[0]) in _BREADCRUMB_HOME:
        crumbs = pieces
    else:
        crumbs = [piece.strip() for piece in _BREADCRUMB_ARROWS_RE.split(line)]
        if len(crumbs) < 3 or "«" in line:
            return False
    return all(
        _LETTER_RE.search(crumb) and len(crumb.split()) <= _BREADCRUMB_PIECE_MAX_WORDS for crumb in crumbs if crumb
    ) and sum(1 for crumb in crumbs if crumb) >= 2


# --------------------------------------------------------------------------------------------
# Articles

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
    header = _Header()
    position = 0
    while position < len(lines) and position < _HEADER_MAX_LINES:
        found = _classify_header_line(lines[position])
        if found is None:
            break
        header.merge(found)
        position += 1
    paragraphs = lines[position:]
    if paragraphs:
        trailing = _source_line(paragraphs[-1])
        if trailing is not None:
            header.merge(trailing)
            paragraphs = paragraphs[:-1]
    return ParsedArticle(
        title=title,
        paragraphs=tuple(paragraphs),
        published_on=_preferred(header.dates),
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
        raise PasteError(f"paste is {shown}, over the {limit} limit")
    cleaned = clean_paste(text)
    if not cleaned:
        raise PasteError("empty paste")
    if not _ARABIC_LETTER_RE.search(cleaned):
        raise PasteError("no Arabic letters")
    lines = [line for line in cleaned.split("\n") if _CONTENT_RE.search(line) and not _is_clutter(line)]
    if not lines:
        raise PasteError("empty paste")
    # A date line above the headline (some sites print it first) is header, not title.
    lead = 0
    while lead < len(lines) - 1 and _is_date_line(lines[lead]):
        lead += 1
    title = lines[lead]
    rest = lines[:lead] + lines[lead + 1 :]
    main, related = _split_related(rest)
    # A related title with no paragraph under it (a bare list of links after the marker) is a
    # link we cannot store as an article: it is dropped, not kept with other titles as body.
    articles = (_read_article(related_title, body) for related_title, body in related)
    article = _read_article(title, main, tuple(item for item in articles if _has_paragraph(item)))
    if not article.paragraphs:
        raise PasteError("title without a body")
    return article
