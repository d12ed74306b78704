"""Every write to the archive. Commands, the admin and the tests call these; none writes itself."""

from articles.services.ingest import (
    IngestError,
    IngestReport,
    PasteOutcome,
    extract_entities,
    import_jsonl,
    ingest_bytes,
    ingest_file,
    ingest_paste,
    ingest_path,
    merge_entities,
    paste_files,
    read_jsonl,
    resolve_source,
    split_entity,
)

__all__ = [
    "IngestError",
    "IngestReport",
    "PasteOutcome",
    "extract_entities",
    "import_jsonl",
    "ingest_bytes",
    "ingest_file",
    "ingest_paste",
    "ingest_path",
    "merge_entities",
    "paste_files",
    "read_jsonl",
    "resolve_source",
    "split_entity",
]
