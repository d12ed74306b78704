"""The JSON API: ``/api/search``, ``/api/articles/<id>`` and ``/api/articles/<id>/related``.

One shape everywhere: an article is listed as :func:`~articles.search.service.article_summary`
(absolute ``url``, ``source`` as ``{id, name}``), and an error is ``{"error", "status"}`` plus
``param`` when a parameter is to blame. Bad parameters are 400s, never 500s; unknown URLs and
wrong methods under ``/api/`` answer JSON too (``articles.middleware``).
"""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from articles.models import Article
from articles.search import service as search_service
from articles.search.related import MAX_RELATED_LIMIT, RELATED_LIMIT, related_coverage
from articles.views import past_last_page

JSON_OPTIONS = {"ensure_ascii": False}


def json_response(data: dict, *, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params=JSON_OPTIONS)


def error_response(message: str, *, status: int, param: str | None = None) -> JsonResponse:
    data = {"error": message, "status": status}
    if param:
        data["param"] = param
    return json_response(data, status=status)


def _summary(request, article: Article) -> dict:
    return search_service.article_summary(
        id=article.pk,
        title=article.title,
        path=article.get_absolute_url(),
        published_on=article.published_on,
        source_id=article.source_id,
        source_name=article.source.name if article.source else "",
        absolute=request.build_absolute_uri,
    )


@require_GET
def search(request):
    try:
        params = search_service.parse_search_params(request.GET)
    except search_service.SearchParamError as error:
        return error_response(str(error), status=400, param=error.param)
    page = search_service.search_articles(params)
    if page.page > page.num_pages:
        return error_response(past_last_page(page), status=400, param="page")
    return json_response(page.as_json(absolute=request.build_absolute_uri))


@require_GET
def related(request, pk):
    """Related coverage of an article: ``limit`` (1–50, default 5) articles about the same story."""
    raw = (request.GET.get("limit") or "").strip()
    if raw and not (raw.isdigit() and 1 <= int(raw) <= MAX_RELATED_LIMIT):
        error = f"limit: عدد غير صالح «{raw}» (من 1 إلى {MAX_RELATED_LIMIT})"
        return error_response(error, status=400, param="limit")
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        return error_response(f"لا يوجد مقال رقم {pk}", status=404)
    hits = related_coverage(article=article, limit=int(raw) if raw else RELATED_LIMIT)
    return json_response({"results": [hit.as_json(absolute=request.build_absolute_uri) for hit in hits]})


@require_GET
def article(request, pk):
    article = Article.objects.with_mentions().filter(pk=pk).first()
    if article is None:
        return error_response(f"لا يوجد مقال رقم {pk}", status=404)
    entities = [
        {
            "id": entity.pk,
            "name": entity.name,
            "kind": entity.kind,
            "url": request.build_absolute_uri(entity.get_absolute_url()),
            "mentions": [
                {"surface": m.surface, "field": m.field, "start": m.start, "end": m.end, "role": m.role or None}
                for m in mentions
            ],
        }
        for entity, mentions in article.mentions_by_entity()
    ]
    data = {
        **_summary(request, article),
        "byline": article.byline or None,
        "desk": article.desk or None,
        "source_line": article.source_line or None,
        "original_url": article.url or None,
        "body": article.body,
        "related": [_summary(request, r) for r in article.related_articles()],
        "cited_by": [_summary(request, r) for r in article.citing_articles()],
        "entities": entities,
    }
    return json_response(data)
