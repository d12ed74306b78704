"""Uploaded bytes and raw pastes to plain text lines: encodings, HTML, noise, ``===`` separators.

Pure Python (no Django). See docs/parsing.md (*Encodings*, *HTML*, *Noise*).
"""

import html
import re

from articles.text.normalize import clean


class PasteError(ValueError):
    """A paste (or uploaded file) that cannot become an article.

    The message names the reason in English, for logs and the command line. ``code`` is its
    stable name for programs and for the translated message the admin shows: ``"binary"``,
    ``"too_large"`` (``params``: ``size`` and ``limit`` in bytes), ``"empty"``, ``"no_arabic"``,
    ``"title_only"``, and from the ingest service ``"too_many_related"`` (``count``, ``limit``).
    ``params`` holds what that message quotes.
    """

    def __init__(self, message: str, *, code: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# C0/C1 controls other than tab and line breaks never occur in pasted prose: a file full of them
# is binary even when every byte happens to decode, and stray ones are dropped from pastes.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_RATIO = 0.01
ARABIC_LETTER_RE = re.compile("[\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06fa-\u06ff]")
LETTER_RE = re.compile(r"[^\W\d_]")


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
            raise PasteError(f"binary or undecodable file{where}", code="binary")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Every byte is defined in cp1256, so it never fails: judge the result instead. Real
            # Windows-1256 Arabic is mostly Arabic letters; other 8-bit text or binary is not.
            text = data.decode("cp1256")
            letters = LETTER_RE.findall(text)
            arabic = sum(1 for ch in letters if ARABIC_LETTER_RE.match(ch))
            if not letters or arabic < len(letters) / 2:
                raise PasteError(f"binary or undecodable file{where}", code="binary") from None
    if text and len(_CONTROL_RE.findall(text)) > len(text) * _MAX_CONTROL_RATIO:
        raise PasteError(f"binary or undecodable file{where}", code="binary")
    return text


def _decode_or_fail(data: bytes, encoding: str, where: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise PasteError(f"binary or undecodable file{where}", code="binary") from None



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



# Spaces, or invisible marks an editor cannot see, around the ===.
_BLANKISH = "(?:[^\\S\n]|[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff])*"
_SEPARATOR_RE = re.compile(f"^{_BLANKISH}==={_BLANKISH}(?:\n|\\Z)", re.MULTILINE)


def split_pastes(text: str) -> list[str]:
    """Split a file into pastes at lines holding only ``===`` (surrounding spaces allowed).

    Chunks are returned as they are (line endings untouched), empty ones included, so that
    callers can number pastes 1..n and name the empty one.
    """
    return _SEPARATOR_RE.split(text)

