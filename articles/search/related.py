"""«تغطيات ذات صلة»: other articles about the same story as an article, through the search engine.

The engine's «more like this» finds them by the article's weighted key terms, the entities it
names and its date (``articles/search/whoosh/similar.py``); the article's syndicated copies are
the same text, not other coverage, so they are left out.
"""

from haystack import connections

from articles.models import Article
from articles.search.service import SearchHit, search_hit

RELATED_LIMIT = 5
MAX_RELATED_LIMIT = 50


def related_coverage(*, article: Article, limit: int = RELATED_LIMIT) -> list[SearchHit]:
    """Up to ``limit`` articles about the same story as ``article``, most related first.

    Empty when the article is not indexed or nothing is like it.
    """
    excluded = article.copy_group_ids()
    # Engines other than ours ignore exclude_pks: ask for enough to drop the copies here.
    raw = connections["default"].get_backend().more_like_this(
        article, end_offset=limit + len(excluded), exclude_pks=sorted(excluded - {article.pk})
    )
    hits = [search_hit(result) for result in raw.get("results", [])]
    return [hit for hit in hits if hit.id not in excluded][:limit]

