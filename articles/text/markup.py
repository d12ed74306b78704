"""Text as HTML with some character spans wrapped in our own markup; everything else escaped.

The one renderer behind search highlights (``<mark>``) and entity mentions (links): pasted text
is untrusted, so only the markup given here goes around it.
"""

from collections.abc import Iterable
from html import escape


def wrap_spans(text: str, spans: Iterable[tuple[int, int, str, str]], *, start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` HTML-escaped, each ``(span_start, span_end, before, after)`` span's
    text placed between ``before`` and ``after`` (markup, not escaped).

    Spans are character offsets into ``text``. A span that overlaps an earlier one or falls
    outside ``start:end`` is left out, so the result is always well nested.
    """
    end = len(text) if end is None else end
    parts = []
    position = start
    for span_start, span_end, before, after in sorted(spans, key=lambda span: (span[0], span[1])):
        if span_start < position or span_end > end or span_start >= span_end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"{before}{escape(text[span_start:span_end])}{after}")
        position = span_end
    parts.append(escape(text[position:end]))
    return "".join(parts)
