"""Named entities: people (PERS), organisations (ORG) and places (LOC) in article text.

``get_extractor()`` gives the configured extractor (builtin CRF + rules, or camel-tools' BERT);
its ``extract(text)`` returns :class:`Span` objects, and :func:`resolve` links short mentions
to the full name an article introduced. :func:`read_conll` and :func:`evaluate` score an
extractor on labelled text. Layout and figures: docs/entities.md.
"""

from articles.entities.base import KINDS, Extractor, Span
from articles.entities.conll import evaluate, read_conll
from articles.entities.registry import get_extractor
from articles.entities.resolution import resolve

__all__ = ["KINDS", "Extractor", "Span", "evaluate", "get_extractor", "read_conll", "resolve"]
