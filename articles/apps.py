from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Archive")

    def ready(self):
        # SQLite and Whoosh both need their directory before the first connection.
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
