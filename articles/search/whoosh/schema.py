"""The Whoosh schema of the archive's index, built from haystack's search fields.

The text fields of :func:`articles.search.query.text_fields` get the broad and exact Arabic
analysers; dates and numbers get sortable columns and multi-valued ids a list column, so sorting
and facets read columns instead of scanning postings.
"""

from django.utils.encoding import force_str
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from whoosh import columns, fields

from articles.search.query import text_fields


class IdListField(fields.KEYWORD):
    """Comma-separated ids (entity ids of an article) with a list column, so facets read a
    document's ids without going through the postings of every id."""

    def __init__(self, stored=False):
        super().__init__(stored=stored, commas=True)
        self.column_type = columns.VarBytesListColumn()

    def to_column_value(self, value):
        return [part.strip().encode() for part in force_str(value).split(",") if part.strip()]

    def from_column_value(self, value):
        return [part.decode() for part in value]


def build_schema(search_fields) -> tuple[str, fields.Schema]:
    """``(content field name, Whoosh schema)`` for haystack's ``search_fields`` (name → field).

    Text fields named in :func:`articles.search.query.text_fields` take their analyser from there;
    other indexed text is kept verbatim (ID) and unindexed text only stored.
    """
    analysed = text_fields()
    schema_fields = {
        ID: fields.ID(stored=True, unique=True),
        DJANGO_CT: fields.ID(stored=True),
        DJANGO_ID: fields.ID(stored=True),
    }
    content_field_name = ""
    for field_class in search_fields.values():
        name = field_class.index_fieldname
        if name in analysed:
            field = analysed[name]
            field.stored = field_class.stored
        elif field_class.is_multivalued:
            field = IdListField(stored=field_class.stored)
        elif field_class.field_type in ("date", "datetime"):
            field = fields.DATETIME(stored=field_class.stored)
            # Undated documents read as 0 in the column; sorting puts them last.
            field.set_sortable(columns.NumericColumn(field.sortable_typecode, default=0))
        elif field_class.field_type in ("integer", "float"):
            numtype = int if field_class.field_type == "integer" else float
            # Unsigned so that a missing value reads back as 0, which facets skip.
            field = fields.NUMERIC(
                numtype, bits=64, signed=False, stored=field_class.stored, sortable=True, default=0
            )
        elif field_class.field_type == "boolean":
            field = fields.BOOLEAN(stored=field_class.stored)
        elif field_class.indexed:
            field = fields.ID(stored=field_class.stored, sortable=True)
        else:
            field = fields.STORED()
        schema_fields[name] = field
        if field_class.document:
            content_field_name = name
    if len(schema_fields) <= 3:
        raise SearchBackendError("No fields were found in any search_indexes.")
    return content_field_name, fields.Schema(**schema_fields)
