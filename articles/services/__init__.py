"""Every write to the archive. Commands, the admin and the tests call these; none writes itself."""

from articles.services.articles import ArticleInvalid, delete_articles, save_article, set_related, validate_article
from articles.services.entities import (
    delete_entities,
    extract_entities,
    merge_entities,
    name_search_keys,
    rename_entity,
    save_entity,
    set_entity_aliases,
    split_entity,
)
from articles.services.jsonl import import_jsonl, read_jsonl
from articles.services.pastes import ingest_bytes, ingest_file, ingest_paste, ingest_path, paste_files
from articles.services.reports import IngestError, IngestReport, PasteOutcome
from articles.services.sources import delete_sources, resolve_source, save_source, set_source_aliases, validate_source_name

__all__ = [
    "ArticleInvalid",
    "IngestError",
    "IngestReport",
    "PasteOutcome",
    "delete_articles",
    "delete_entities",
    "delete_sources",
    "extract_entities",
    "import_jsonl",
    "ingest_bytes",
    "ingest_file",
    "ingest_paste",
    "ingest_path",
    "merge_entities",
    "name_search_keys",
    "paste_files",
    "read_jsonl",
    "rename_entity",
    "resolve_source",
    "save_article",
    "save_entity",
    "save_source",
    "set_entity_aliases",
    "set_related",
    "set_source_aliases",
    "split_entity",
    "validate_article",
    "validate_source_name",
]
