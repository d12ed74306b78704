"""Which name a mention stands for inside one article: :func:`resolve`."""

from __future__ import annotations

from typing import Sequence

from articles.entities.base import Span
from articles.text.keys import entity_key


def resolve(spans: Sequence[Span]) -> list[tuple[Span, str]]:
    """Each span with its canonical name inside one article.

    A person mention whose words all occur, in order, in a longer person name of the same
    article links to that name, before or after it: «النجار» → «مصطفى النجار», «سمير» →
    «سمير حداد». Prefers the longest such name and, among equals, the earliest. Organisations
    and places are not shortened («وزارة الصحة» may be another country's) and are their own
    canonical name, in dictionary form (:attr:`Span.name`).
    """
    def words(span: Span) -> list[str]:
        return entity_key(span.text, span.kind).split(":", 1)[1].split()

    full_names: list[tuple[Span, list[str]]] = []
    for span in spans:
        w = words(span)
        if span.kind == "PERS" and len(w) > 1 and not any(w == other for _, other in full_names):
            full_names.append((span, w))
    result = []
    for span in spans:
        w = words(span)
        best = None
        for candidate, cw in full_names:
            if candidate.kind == span.kind and len(cw) > len(w) and _contains_in_order(cw, w):
                if best is None or len(cw) > len(best[1]):
                    best = (candidate, cw)
        result.append((span, best[0].text if best else span.name or span.text))
    return result


def _contains_in_order(longer: list[str], shorter: list[str]) -> bool:
    it = iter(longer)
    return bool(shorter) and all(any(word == x for x in it) for word in shorter)
