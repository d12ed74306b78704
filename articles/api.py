"""The JSON API: ``/api/search`` and ``/api/articles/<id>``. Bad parameters are 400s, never 500s."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from articles.search import service as search_service
from articles.models import Article

JSON_OPTIONS = {"ensure_ascii": False}


@require_GET
def search(request):
    try:
        params = search_service.parse_search_params(request.GET)
    except search_service.SearchParamError as error:
        return JsonResponse({"error": str(error), "param": error.param}, status=400, json_dumps_params=JSON_OPTIONS)
    page = search_service.search_articles(params)
    return JsonResponse(page.as_json(), json_dumps_params=JSON_OPTIONS)


@require_GET
def article(request, pk):
    article = get_object_or_404(Article.objects.with_mentions(), pk=pk)
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
        "id": article.pk,
        "title": article.title,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "published_on": article.published_on.isoformat() if article.published_on else None,
        "source": article.source.name if article.source else None,
        "byline": article.byline or None,
        "desk": article.desk or None,
        "source_line": article.source_line or None,
        "original_url": article.url or None,
        "body": article.body,
        "related": [{"id": r.pk, "title": r.title} for r in article.related_articles()],
        "cited_by": [{"id": r.pk, "title": r.title} for r in article.citing_articles()],
        "copies": [
            {
                "id": copy.pk,
                "title": copy.title,
                "url": request.build_absolute_uri(copy.get_absolute_url()),
                "source": copy.source.name if copy.source else None,
                "published_on": copy.published_on.isoformat() if copy.published_on else None,
            }
            for copy in article.syndicated_copies()
        ],
        "entities": entities,
    }
    return JsonResponse(data, json_dumps_params=JSON_OPTIONS)
