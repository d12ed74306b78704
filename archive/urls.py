from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

admin.site.site_header = "أرشيف الأخبار العربية"
admin.site.site_title = "أرشيف الأخبار"
admin.site.index_title = "الإدارة"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
