from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

urlpatterns = [
    path("admin/", admin.site.urls),
    # set_language: the switcher in the header posts here; the choice is kept in a cookie.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("articles.urls")),
]

admin.site.site_header = _("Arabic News Archive")
admin.site.site_title = _("News Archive")
admin.site.index_title = _("Administration")

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
