"""Outlets stored under a slug («alarabia») take their display name («العربية»), the slug kept as an
alias; «وكالات», «متابعات» and the other desk words stop being outlets and become their articles'
desk. The articles touched are queued for reindexing (the index stores the outlet's name)."""

from django.db import migrations
from django.db.models import Q

from articles.text.headers import is_desk
from articles.text.keys import source_key
from articles.text.outlets import outlet_display_name


def _ensure_alias(SourceAlias, source, name):
    key = source_key(name)
    if not SourceAlias.objects.filter(key=key).exists():
        SourceAlias.objects.create(source=source, name=name, key=key)


def name_outlets_and_move_desks(apps, schema_editor):
    Source = apps.get_model("articles", "Source")
    SourceAlias = apps.get_model("articles", "SourceAlias")
    Article = apps.get_model("articles", "Article")
    PendingIndexUpdate = apps.get_model("articles", "PendingIndexUpdate")
    touched = set()
    for source in list(Source.objects.order_by("pk")):
        articles = Article.objects.filter(source=source)
        if is_desk(source.name):
            touched.update(articles.values_list("pk", flat=True))
            articles.filter(desk="").update(desk=source.name)
            articles.update(source=None)
            source.delete()
            continue
        display = outlet_display_name(source.name)
        if not display or display == source.name:
            continue
        touched.update(articles.values_list("pk", flat=True))
        key = source_key(display)
        other = Source.objects.filter(Q(key=key) | Q(aliases__key=key)).exclude(pk=source.pk).distinct().first()
        if other is not None:
            # «alarabia» and «العربية» both stored: one outlet, under the display name.
            articles.update(source=other)
            SourceAlias.objects.filter(source=source).update(source=other)
            _ensure_alias(SourceAlias, other, source.name)
            source.delete()
            continue
        old_name = source.name
        source.name, source.key = display, key
        source.save(update_fields=["name", "key"])
        _ensure_alias(SourceAlias, source, old_name)
        _ensure_alias(SourceAlias, source, display)
    PendingIndexUpdate.objects.bulk_create([PendingIndexUpdate(article_id=pk) for pk in sorted(touched)])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_copy_of"),
    ]

    operations = [
        migrations.RunPython(name_outlets_and_move_desks, migrations.RunPython.noop),
    ]
