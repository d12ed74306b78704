"""The JSON API: ``/api/search``, ``/api/search/export``, ``/api/suggest``, ``/api/articles/<id>``
and ``/api/articles/<id>/related``.

One shape everywhere: an article is listed as :func:`~articles.search.service.article_summary`
(absolute ``url``, ``source`` as ``{id, name}``), and an error is ``{"error", "status"}`` plus
``param`` when a parameter is to blame. Bad parameters are 400s, never 500s; unknown URLs and
wrong methods under ``/api/`` answer JSON too (``articles.middleware``).
"""

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from articles import exports
from articles.models import Article
from articles.search import service as search_service
from articles.search import suggest as suggest_service
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


def _export_options(data) -> tuple[str, int]:
    """``(format, limit)`` of an export; :class:`SearchParamError` naming a bad one."""
    most = settings.ARCHIVE_EXPORT_LIMIT
    fmt = (data.get("format") or "csv").strip()
    if fmt not in exports.FORMATS:
        raise search_service.SearchParamError(
            "format", _("format: unknown format “%(value)s” (csv or jsonl)") % {"value": fmt}
        )
    raw = (data.get("limit") or "").strip()
    if raw and not (raw.isdigit() and 1 <= int(raw) <= most):
        raise search_service.SearchParamError(
            "limit", _("limit: invalid number “%(value)s” (1 to %(max)s)") % {"value": raw, "max": most}
        )
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
        return error_response(str(error), status=400, param=error.param)
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
        error = _("q: the text is longer than %(max)s characters") % {"max": suggest_service.MAX_CHARS}
        return error_response(error, status=400, param="q")
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
    return json_response({"q": text, "results": results})


@require_GET
def related(request, pk):
    """Related coverage of an article: ``limit`` (1–50, default 5) articles about the same story."""
    raw = (request.GET.get("limit") or "").strip()
    if raw and not (raw.isdigit() and 1 <= int(raw) <= MAX_RELATED_LIMIT):
        error = _("limit: invalid number “%(value)s” (1 to %(max)s)") % {"value": raw, "max": MAX_RELATED_LIMIT}
        return error_response(error, status=400, param="limit")
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        return error_response(_("There is no article number %(pk)s") % {"pk": pk}, status=404)
    hits = related_coverage(article=article, limit=int(raw) if raw else RELATED_LIMIT)
    return json_response({"results": [hit.as_json(absolute=request.build_absolute_uri) for hit in hits]})


@require_GET
def article(request, pk):
    article = Article.objects.with_mentions().filter(pk=pk).first()
    if article is None:
        return error_response(_("There is no article number %(pk)s") % {"pk": pk}, status=404)
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
        "copies": [_summary(request, copy) for copy in article.syndicated_copies()],
        "entities": entities,
    }
    return json_response(data)
