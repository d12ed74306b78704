"""«هل تقصد» for the engines besides Whoosh, through callbacks each engine answers."""

from articles.text.spelling import best_correction, corrected_text


def suggestion(query_string: str, *, frequency, surface, count, hits: int) -> str | None:
    """The query with unknown or rare words replaced by far more frequent close words of the
    archive, if ``count(suggestion)`` finds more than ``hits``: the rule of the Whoosh backend.

    ``frequency(term)`` is the number of documents with ``term`` in the exact text field and
    ``surface(term)`` how the archive writes it.
    """
    def correction(word):
        better = word and best_correction(word, frequency)
        return surface(better) if better else None

    suggested = corrected_text(query_string, correction)
    return suggested if suggested is not None and count(suggested) > hits else None
