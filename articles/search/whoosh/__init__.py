"""The embedded search engine: Whoosh behind haystack, with the archive's Arabic analysis."""
