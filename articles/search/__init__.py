"""Full-text search: parameters, the search service, indexing, analysis, the query language."""
