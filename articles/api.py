"""The JSON API: ``/api/search``, ``/api/articles/<id>`` and ``/api/articles/<id>/related``.
Bad parameters are 400s, never 500s."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from articles.search import service as search_service
from articles.search.related import MAX_RELATED_LIMIT, RELATED_LIMIT, hit_json, related_coverage
from articles.models import Article
from articles.views import past_last_page

JSON_OPTIONS = {"ensure_ascii": False}


@require_GET
def search(request):
    try:
        params = search_service.parse_search_params(request.GET)
    except search_service.SearchParamError as error:
        return JsonResponse({"error": str(error), "param": error.param}, status=400, json_dumps_params=JSON_OPTIONS)
    page = search_service.search_articles(params)
    if page.page > page.num_pages:
        return JsonResponse({"error": past_last_page(page), "param": "page"}, status=400, json_dumps_params=JSON_OPTIONS)
    return JsonResponse(page.as_json(), json_dumps_params=JSON_OPTIONS)


@require_GET
def related(request, pk):
    """Related coverage of an article: ``limit`` (1–50, default 5) articles about the same story."""
    raw = (request.GET.get("limit") or "").strip()
    if raw and not (raw.isdigit() and 1 <= int(raw) <= MAX_RELATED_LIMIT):
        error = _("limit: invalid number “%(value)s” (1 to %(max)s)") % {"value": raw, "max": MAX_RELATED_LIMIT}
        return JsonResponse({"error": error, "param": "limit"}, status=400, json_dumps_params=JSON_OPTIONS)
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        return JsonResponse({"error": _("There is no article number %(pk)s") % {"pk": pk}}, status=404, json_dumps_params=JSON_OPTIONS)
    hits = related_coverage(article=article, limit=int(raw) if raw else RELATED_LIMIT)
    return JsonResponse({"results": [hit_json(hit) for hit in hits]}, json_dumps_params=JSON_OPTIONS)


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
        "entities": entities,
    }
    return JsonResponse(data, json_dumps_params=JSON_OPTIONS)
