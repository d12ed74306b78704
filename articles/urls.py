from django.conf import settings
from django.urls import path, register_converter
from django.views.generic import TemplateView

from articles import api, archive_views, feeds, views

app_name = "articles"


class TwoDigitsConverter:
    """Day and month of ``/archive/2018/03/15/``: always two digits, reversed with a leading zero."""

    regex = "[0-9]{2}"
    width = 2

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):0{self.width}d}"


class YearConverter(TwoDigitsConverter):
    regex = "[0-9]{4}"
    width = 4


register_converter(YearConverter, "yyyy")
register_converter(TwoDigitsConverter, "nn")

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("sources/<int:pk>/feed/", feeds.SourceFeed(), name="source_feed"),
    path("search/", views.search, name="search"),
    path("search/feed/", feeds.search_feed, name="search_feed"),
    path(
        "search/help/",
        TemplateView.as_view(
            template_name="articles/search_help.html", extra_context={"export_limit": settings.ARCHIVE_EXPORT_LIMIT}
        ),
        name="search_help",
    ),
    path("entities/", views.entity_index, name="entities"),
    path("entities/<int:pk>/", views.entity_detail, name="entity"),
    path("entities/<int:pk>/feed/", feeds.EntityFeed(), name="entity_feed"),
    path("archive/", archive_views.archive_index, name="archive"),
    path("archive/<yyyy:year>/", archive_views.YearArchive.as_view(), name="archive_year"),
    path("archive/<yyyy:year>/<nn:month>/", archive_views.MonthArchive.as_view(), name="archive_month"),
    path("archive/<yyyy:year>/<nn:month>/<nn:day>/", archive_views.DayArchive.as_view(), name="archive_day"),
    path("feeds/latest/", feeds.LatestFeed(), name="latest_feed"),
    path("api/search", api.search, name="api_search"),
    path("api/search/export", api.search_export, name="api_search_export"),
    path("api/suggest", api.suggest, name="api_suggest"),
    path("api/articles/<int:pk>", api.article, name="api_article"),
    path("api/articles/<int:pk>/related", api.related, name="api_related"),
]
