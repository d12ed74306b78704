from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponseBadRequest
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import services
from articles.search import service as search_service
from articles.search.related import related_coverage
from articles.models import Article, Entity, Source

# The Arabic alphabet in dictionary order, in the normalised forms entity names are keyed by.
ALPHABET = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


# Names per page of the entity index's lists, and the longest name one may look for.
ENTITY_PAGE_SIZE = 50
MAX_NAME_QUERY = 100


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
    "q": gettext_lazy("Search text"),
    "from": gettext_lazy("From date"),
    "to": gettext_lazy("To date"),
    "year": gettext_lazy("Year"),
    "month": gettext_lazy("Month"),
    "source": gettext_lazy("Source"),
    "entity": gettext_lazy("Entity"),
    "sort": gettext_lazy("Order"),
    "mode": gettext_lazy("Matching"),
    "page": gettext_lazy("Page number"),
    "variants": gettext_lazy("Other forms"),
}
# The help page's example searches: Arabic in either language, since the archive is.
SEARCH_HELP_EXAMPLES = {
    "hamza_typed": "الاسكندرية",
    "hamza_found": "الإسكندرية",
    "words": "بلدية بنغازي",
    "phrase": '"معرض الكتاب"',
    "phrase_guillemets": "«حافلة كهربائية»",
    "exclude": "بلدية -بنغازي",
    "either": "بيروت OR طرابلس",
    "either_arabic": "بيروت أو طرابلس",
    "prefix": "مستشف*",
    "prefix_words": "مستشفى، مستشفيات",
    "broad": "المدارس",
    "broad_forms": "المدارس، مدرسة، والمدرسة",
    "variant": "ترامب",
    "variant_spellings": "ترامب وترمب",
    "filters": "أمطار",
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
    return _("page: there is no page %(page)s, the number of pages is %(pages)s") % {"page": result.page, "pages": result.num_pages}


def active_filters(request, params) -> list[tuple[str, str, str]]:
    """(label, value, URL without it) for each filter in force, for its «remove» link."""
    filters = []
    if params.source:
        source = Source.objects.filter(pk=params.source).first()
        filters.append((_("Source"), source.name if source else str(params.source), "source"))
    if params.entity:
        entity = Entity.objects.filter(pk=params.entity).first()
        filters.append((_("Entity"), entity.name if entity else str(params.entity), "entity"))
    if params.date_from:
        filters.append((_("From"), params.date_from.isoformat(), "from"))
    if params.date_to:
        filters.append((_("To"), params.date_to.isoformat(), "to"))
    if params.mode == "exact":
        filters.append((_("Matching"), _("exact"), "mode"))
    links = []
    for label, value, name in filters:
        query = request.GET.copy()
        for key in (name, "page", *(("year", "month") if name in ("from", "to") else ())):
            query.pop(key, None)
        links.append((label, value, f"?{query.urlencode()}"))
    return links


def entity_index(request):
    """Top names of each kind; or one kind's names (or all kinds'), paged, under a letter or
    matching a typed name. A page past the last is a 404, a bad parameter a 400."""
    kind = request.GET.get("kind", "")
    letter = request.GET.get("letter", "")
    name = " ".join(request.GET.get("q", "").split())
    if kind and kind not in Entity.Kind.values:
        return HttpResponseBadRequest(_("Unknown kind of name: “%(kind)s”.") % {"kind": kind})
    if letter and letter not in ALPHABET:
        return HttpResponseBadRequest(_("Not a letter of the index: “%(letter)s”.") % {"letter": letter})
    if len(name) > MAX_NAME_QUERY:
        return HttpResponseBadRequest(_("A name to look for is at most %(n)d characters.") % {"n": MAX_NAME_QUERY})
    listed = Entity.objects.listed()
    listing = None
    if kind or letter or name:
        chosen = listed.of_kind(kind) if kind else listed
        if letter:
            chosen = chosen.filter(letter=letter)
        if name:
            chosen = chosen.named_like(services.name_search_keys(name=name))
        try:
            listing = Paginator(chosen.order_by("-article_count", "name"), ENTITY_PAGE_SIZE).page(
                request.GET.get("page", 1))
        except InvalidPage:
            raise Http404(_("No such page of names.")) from None
    top = [
        (label, kind_value, listed.of_kind(kind_value).order_by("-article_count", "name")[:15],
         listed.of_kind(kind_value).count())
        for kind_value, label in Entity.Kind.choices
    ]
    return render(
        request,
        "articles/entity_index.html",
        {"top": top, "alphabet": ALPHABET, "letter": letter, "kind": kind, "name": name,
         "kind_label": Entity.Kind(kind).label if kind else "", "listing": listing},
    )


def _every_month(counts: dict) -> list[tuple]:
    """``(month, count)`` from the first month in ``counts`` to the last, empty months as 0, so a
    timeline's gaps show (2013 → 2023 is ten years, not one step)."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    months, month = [], first
    while month <= last:
        months.append((month, counts.get(month, 0)))
        month = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
    return months


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
    search_url = reverse("articles:search")
    context = {
        "entity": entity,
        "page": paginate(request, articles.for_listing().latest_first()),
        "article_count": articles.count(),
        "timeline": [
            (month, n, round(100 * n / peak), f"{search_url}?entity={entity.pk}&from={month:%Y-%m}&to={month:%Y-%m}")
            for month, n in _every_month({row["month"]: row["n"] for row in timeline})
        ],
        "roles": entity.roles()[:10],
        "variants": entity.variants(),
        "co_occurring": Entity.objects.co_occurring_with(entity)[:12],
    }
    return render(request, "articles/entity_detail.html", context)
