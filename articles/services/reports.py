"""What an ingest tells its caller: an outcome per paste or record, and the counts."""

from dataclasses import dataclass, field


class IngestError(ValueError):
    """An input that cannot be read at all (a missing file, a malformed JSONL file)."""


@dataclass
class PasteOutcome:
    """What happened to one paste (or one JSONL record)."""

    label: str
    status: str  # "created", "skipped" or "rejected"
    title: str = ""
    reason: str = ""
    article_id: int | None = None
    related_created: int = 0


@dataclass
class IngestReport:
    """Counts of articles created and skipped (already stored), and of inputs rejected."""

    created: int = 0
    skipped: int = 0
    rejected: int = 0
    outcomes: list[PasteOutcome] = field(default_factory=list)
    parsed: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.rejected == 0

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
