from django.urls import path

from articles import api, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("search/", views.search, name="search"),
    path("entities/", views.entity_index, name="entities"),
    path("entities/<int:pk>/", views.entity_detail, name="entity"),
    path("api/search", api.search, name="api_search"),
    path("api/articles/<int:pk>", api.article, name="api_article"),
    path("api/articles/<int:pk>/related", api.related, name="api_related"),
]
