"""The JSON API: ``/api/search``, ``/api/search/export``, ``/api/suggest``, ``/api/articles/<id>``
and ``/api/articles/<id>/related``. Bad parameters are 400s, never 500s."""

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from articles import exports
from articles.search import service as search_service
from articles.search import suggest as suggest_service
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


def _export_options(data) -> tuple[str, int]:
    """``(format, limit)`` of an export; :class:`SearchParamError` naming a bad one."""
    most = settings.ARCHIVE_EXPORT_LIMIT
    fmt = (data.get("format") or "csv").strip()
    if fmt not in exports.FORMATS:
        raise search_service.SearchParamError("format", f"format: صيغة غير معروفة «{fmt}» (csv أو jsonl)")
    raw = (data.get("limit") or "").strip()
    if raw and not (raw.isdigit() and 1 <= int(raw) <= most):
        raise search_service.SearchParamError("limit", f"limit: عدد غير صالح «{raw}» (من 1 إلى {most})")
    return fmt, int(raw) if raw else most


@require_GET
def search_export(request):
    """All matches of a search (the search page's parameters, ``page`` aside) as ``format=csv``
    (the default) or ``jsonl``, streamed: the first ``limit`` in the search's order, at most and
    by default ``ARCHIVE_EXPORT_LIMIT``. ``X-Total-Count`` says how many matched in all."""
    try:
        fmt, limit = _export_options(request.GET)
        params = search_service.parse_search_params(request.GET)
    except search_service.SearchParamError as error:
        return JsonResponse({"error": str(error), "param": error.param}, status=400, json_dumps_params=JSON_OPTIONS)
    matches = search_service.matching_ids(params, limit=limit)
    records = exports.export_records(ids=matches.ids, absolute_url=request.build_absolute_uri)
    response = StreamingHttpResponse(exports.LINES[fmt](records), content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="archive-search.{fmt}"'
    response["X-Total-Count"] = str(matches.count)
    return response


@require_GET
def suggest(request):
    """Completions of ``q`` for the search box: at most 10 outlets, entities and titles, each
    with its kind (also in words), label and absolute ``url`` (entities also their kind, names their article count)."""
    text = request.GET.get("q") or ""
    if len(text) > suggest_service.MAX_CHARS:
        error = f"q: النص أطول من {suggest_service.MAX_CHARS} حرف"
        return JsonResponse({"error": error, "param": "q"}, status=400, json_dumps_params=JSON_OPTIONS)
    results = [
        {
            "kind": item.kind,
            "kind_label": item.kind_label,
            "label": item.label,
            "url": request.build_absolute_uri(item.path),
            "entity_kind": item.entity_kind,
            "count": item.count,
        }
        for item in suggest_service.suggestions(text=text)
    ]
    return JsonResponse({"q": text, "results": results}, json_dumps_params=JSON_OPTIONS)


@require_GET
def related(request, pk):
    """Related coverage of an article: ``limit`` (1–50, default 5) articles about the same story."""
    raw = (request.GET.get("limit") or "").strip()
    if raw and not (raw.isdigit() and 1 <= int(raw) <= MAX_RELATED_LIMIT):
        error = f"limit: عدد غير صالح «{raw}» (من 1 إلى {MAX_RELATED_LIMIT})"
        return JsonResponse({"error": error, "param": "limit"}, status=400, json_dumps_params=JSON_OPTIONS)
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        return JsonResponse({"error": f"لا يوجد مقال رقم {pk}"}, status=404, json_dumps_params=JSON_OPTIONS)
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
