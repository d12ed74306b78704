from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404, render

from articles.search import service as search_service
from articles.search.related import related_coverage
from articles.models import Article, Entity, Source

# The Arabic alphabet in dictionary order, in the normalised forms entity names are keyed by.
ALPHABET = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def paginate(request, queryset, per_page: int = settings.ARCHIVE_PAGE_SIZE):
    # get_page() turns a malformed or out-of-range page into the first or last page, never a 500.
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def home(request):
    page = paginate(request, Article.objects.for_listing().latest_first())
    sources = Source.objects.with_article_counts().filter(article_count__gt=0).order_by("-article_count")[:12]
    return render(request, "articles/home.html", {"page": page, "sources": sources})


def article_detail(request, pk):
    article = get_object_or_404(Article.objects.with_mentions(), pk=pk)
    chips: dict[str, list[Entity]] = {}
    for entity, _mentions in article.mentions_by_entity():
        chips.setdefault(entity.kind, []).append(entity)
    context = {
        "article": article,
        "entity_groups": [(label, chips[kind]) for kind, label in Entity.Kind.choices if kind in chips],
        "related": article.related_articles(),
        "cited_by": article.citing_articles(),
        "coverage": related_coverage(article=article),
    }
    return render(request, "articles/article_detail.html", context)


def source_list(request):
    sources = Source.objects.with_article_counts().order_by("-article_count", "name")
    return render(request, "articles/source_list.html", {"sources": sources})


def source_detail(request, pk):
    source = get_object_or_404(Source, pk=pk)
    page = paginate(request, source.articles.for_listing().latest_first())
    return render(request, "articles/source_detail.html", {"source": source, "page": page})


# The search page's fields as the reader sees them, to say which one is wrong.
SEARCH_FIELD_LABELS = {
    "q": "نص البحث",
    "from": "من تاريخ",
    "to": "إلى تاريخ",
    "year": "السنة",
    "month": "الشهر",
    "source": "المصدر",
    "entity": "الكيان",
    "sort": "الترتيب",
    "mode": "المطابقة",
    "page": "رقم الصفحة",
    "variants": "الصيغ الأخرى",
}
# Parameters the search form has a control for; the others ride along as hidden fields.
SEARCH_FORM_FIELDS = frozenset({"q", "page", "sort", "mode", "from", "to", "year", "month"})


def search(request):
    """The reader's search page; a bad parameter is a 400 naming its field, never a 500, and a
    page past the last a 404."""
    context = {
        "query": request.GET.get("q", ""),
        "export_limit": settings.ARCHIVE_EXPORT_LIMIT,
        "carried": [(name, value) for name, value in request.GET.items() if name not in SEARCH_FORM_FIELDS],
    }
    status = 200
    try:
        params = search_service.parse_search_params(request.GET)
    except search_service.SearchParamError as error:
        context["error"] = f"{SEARCH_FIELD_LABELS.get(error.param, error.param)}: {error.reason}"
        # A bad year or month is corrected in the date inputs, which replace it.
        context["error_param"] = "from" if error.param in ("year", "month") else error.param
        status = 400
    else:
        context["params"] = params
        if params.q or params.source or params.entity or params.date_from or params.date_to:
            result = search_service.search_articles(params)
            if result.page > result.num_pages:
                context["error"] = past_last_page(result)
                status = 404
            else:
                context["result"] = result
                context["active_filters"] = active_filters(request, params)
    return render(request, "articles/search.html", context, status=status)


def past_last_page(result) -> str:
    """The message for a page number past the last page of ``result`` (a search page)."""
    return f"page: لا توجد صفحة {result.page}، عدد الصفحات {result.num_pages}"


def active_filters(request, params) -> list[tuple[str, str, str]]:
    """(label, value, URL without it) for each filter in force, for its «remove» link."""
    filters = []
    if params.source:
        source = Source.objects.filter(pk=params.source).first()
        filters.append(("المصدر", source.name if source else str(params.source), "source"))
    if params.entity:
        entity = Entity.objects.filter(pk=params.entity).first()
        filters.append(("الكيان", entity.name if entity else str(params.entity), "entity"))
    if params.date_from:
        filters.append(("من", params.date_from.isoformat(), "from"))
    if params.date_to:
        filters.append(("إلى", params.date_to.isoformat(), "to"))
    if params.mode == "exact":
        filters.append(("المطابقة", "حرفية", "mode"))
    links = []
    for label, value, name in filters:
        query = request.GET.copy()
        for key in (name, "page", *(("year", "month") if name in ("from", "to") else ())):
            query.pop(key, None)
        links.append((label, value, f"?{query.urlencode()}"))
    return links


def entity_index(request):
    """Top entities of each kind, and an A–Z list of all entities by first letter."""
    letter = request.GET.get("letter", "")
    counted = Entity.objects.with_article_counts().filter(article_count__gt=0)
    top = [
        (label, kind, counted.of_kind(kind).order_by("-article_count", "name")[:15])
        for kind, label in Entity.Kind.choices
    ]
    listing = None
    if letter and letter in ALPHABET:
        # Keys are normalised and places and organisations lose their ال: «القاهرة» is under ق.
        under = Q()
        for kind in Entity.Kind.values:
            under |= Q(key__startswith=f"{kind}:{letter}")
        listing = paginate(request, counted.filter(under).order_by("name"), per_page=60)
    return render(
        request,
        "articles/entity_index.html",
        {"top": top, "alphabet": ALPHABET, "letter": letter, "listing": listing},
    )


def entity_detail(request, pk):
    entity = get_object_or_404(Entity, pk=pk)
    articles = Article.objects.mentioning(entity)
    timeline = list(
        articles.exclude(published_on=None)
        .annotate(month=TruncMonth("published_on"))
        .values("month")
        .annotate(n=Count("pk", distinct=True))
        .order_by("month")
    )
    peak = max((row["n"] for row in timeline), default=1)
    context = {
        "entity": entity,
        "page": paginate(request, articles.for_listing().latest_first()),
        "article_count": articles.count(),
        "timeline": [(row["month"], row["n"], round(100 * row["n"] / peak)) for row in timeline],
        "roles": entity.roles()[:10],
        "variants": entity.variants(),
        "co_occurring": Entity.objects.co_occurring_with(entity)[:12],
    }
    return render(request, "articles/entity_detail.html", context)
