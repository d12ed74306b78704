"""What an ingest tells its caller: an outcome per paste or record, and the counts."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from articles.services.articles import ArticleInvalid
from articles.text.parser import PasteError


class IngestError(ValueError):
    """An input that cannot be read at all (a missing file, a malformed JSONL file)."""


_PASTE_MESSAGES = {
    "binary": _("A binary file or an unreadable encoding"),
    "too_large": _("The paste is %(size)s, over the limit of %(limit)s"),
    "empty": _("An empty paste"),
    "no_arabic": _("No Arabic letters in the text"),
    "title_only": _("A title without a body"),
    "too_many_related": _("The paste brings %(count)s related articles, over the limit of %(limit)s; split it into several pastes"),
}


def _megabytes(size: int) -> str:
    return _("%(n)s MB") % {"n": f"{size / 1_000_000:.1f}".removesuffix(".0")}


def paste_error_message(error: PasteError) -> str:
    """Why a paste was refused, in the active language."""
    params = error.params
    if error.code == "too_large":
        size, limit = _megabytes(params["size"]), _megabytes(params["limit"])
        if size == limit:
            size, limit = (_("%(n)s bytes") % {"n": f"{n:,}"} for n in (params["size"], params["limit"]))
        params = {"size": size, "limit": limit}
    return _PASTE_MESSAGES[error.code] % params


@dataclass
class PasteOutcome:
    """What happened to one paste (or one JSONL record).

    A rejection has its ``reason`` in English (the command line prints it), a stable ``code``
    ("no_arabic", "too_long"... of :class:`PasteError` and
    :class:`~articles.services.articles.Problem`) and ``message``, the reason in the language
    active when it was made (the admin's).
    """

    label: str
    status: str  # "created", "skipped" or "rejected"
    title: str = ""
    reason: str = ""
    code: str = ""
    message: str = ""
    article_id: int | None = None
    related_created: int = 0

    @classmethod
    def rejection(cls, *, label: str, error: ValueError, title: str = "") -> "PasteOutcome":
        """The outcome of an input refused with ``error``."""
        if isinstance(error, PasteError):
            code, message = error.code, paste_error_message(error)
        elif isinstance(error, ArticleInvalid):
            code, message = error.problems[0].code, error.message()
        else:
            code, message = "bad_record", str(error)
        return cls(label=label, status="rejected", title=title, reason=str(error), code=code, message=message)


@dataclass
class IngestReport:
    """Counts of articles created and skipped (already stored), and of inputs rejected.

    ``created`` and ``skipped`` count articles, a paste's «اقرأ أيضاً» articles included;
    :meth:`outcome_counts` counts the outcomes (one per paste), as a table of them lists them.
    """

    created: int = 0
    skipped: int = 0
    rejected: int = 0
    outcomes: list[PasteOutcome] = field(default_factory=list)
    parsed: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.rejected == 0

    def outcome_counts(self) -> dict[str, int]:
        """How many outcomes have each status, and how many related articles came new with them."""
        counts = Counter(outcome.status for outcome in self.outcomes)
        return {
            "created": counts["created"],
            "skipped": counts["skipped"],
            "rejected": counts["rejected"],
            "related_created": sum(outcome.related_created for outcome in self.outcomes),
        }

    def add(self, outcome: PasteOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.status == "rejected":
            self.rejected += 1

    def merge(self, other: "IngestReport") -> None:
        self.created += other.created
        self.skipped += other.skipped
        self.rejected += other.rejected
        self.outcomes.extend(other.outcomes)
        self.parsed.extend(other.parsed)
