"""The editors' admin. Every write goes through :mod:`articles.services`, so entities and the search
index follow edits made here exactly as they follow ingests."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.forms import ArticleForm, EntityForm, EntityMergeForm, ImportForm, names_in
from articles.models import Article, Entity, EntityAlias, Mention, RelatedArticle, Source, SourceAlias
from articles.search.service import matching_article_ids

# The admin lists at most this many of the best search matches (a SQL "IN" list stays small).
ADMIN_SEARCH_LIMIT = 1000


def _saved_by_service(formset) -> None:
    """Mark an inline formset as saved: a service wrote it, so the admin's history lists no rows."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def import_summary(report: services.IngestReport) -> str:
    """The import page's summary: pastes counted as its table lists them (one row each), then the
    «اقرأ أيضاً» articles that came new with them."""
    counts = report.outcome_counts()
    summary = _("Created %(created)s, skipped %(skipped)s (already stored), rejected %(rejected)s.") % counts
    if counts["related_created"]:
        summary += " " + ngettext(
            "With them %(counter)s new related article.",
            "With them %(counter)s new related articles.",
            counts["related_created"],
        ) % {"counter": counts["related_created"]}
    return summary


class EditorStyles:
    """The admin's own stylesheet: wide title inputs, one-line list titles, inlines that fit."""

    css = {"all": ["css/admin.css"]}


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    extra = 0
    fields = ["name", "key"]
    readonly_fields = ["key"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "article_count", "created_at"]
    search_fields = ["name", "aliases__name"]
    readonly_fields = ["key", "created_at"]
    inlines = [SourceAliasInline]
    Media = EditorStyles

    def get_queryset(self, request):
        return super().get_queryset(request).with_article_counts()

    @admin.display(description=_("Articles"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    def save_model(self, request, obj, form, change):
        services.save_source(source=obj)

    def save_formset(self, request, form, formset, change):
        try:
            services.set_source_aliases(source=form.instance, names=names_in(formset))
        except ValueError as error:
            self.message_user(request, str(error), messages.ERROR)
        _saved_by_service(formset)

    def delete_model(self, request, obj):
        services.delete_sources(sources=[obj])

    def delete_queryset(self, request, queryset):
        services.delete_sources(sources=list(queryset))


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    fk_name = "article"
    extra = 0
    raw_id_fields = ["related"]
    verbose_name = _("Read also")
    verbose_name_plural = _("Read also")


class MentionInline(admin.TabularInline):
    """Mentions come from extraction over the article's text, which an edit of the text reruns."""

    model = Mention
    extra = 0
    # Offsets are for the program that highlights mentions, not for editors; the tagger's
    # confidence tells them which finds to check first.
    fields = ["entity", "surface", "field", "role", "how_sure"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Confidence"))
    def how_sure(self, mention):
        if mention.confidence is None:
            return _("found by a rule")
        return _("%(percent)d%%") % {"percent": round(mention.confidence * 100)}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["one_line_title", "source", "published_on", "byline", "created_at"]
    list_filter = ["source", ("published_on", admin.DateFieldListFilter), "created_at"]
    date_hierarchy = "published_on"
    # Titles and bodies are searched through the search index (get_search_results).
    search_fields = ["byline", "source__name"]
    list_select_related = ["source"]
    raw_id_fields = ["source"]
    readonly_fields = ["content_hash", "raw_paste", "created_at", "updated_at"]
    inlines = [RelatedArticleInline, MentionInline]
    Media = EditorStyles
    fieldsets = [
        (None, {"fields": ["title", "body", "published_on", "source", "byline", "desk", "source_line", "url"]}),
        (_("Origin"), {"classes": ["collapse"], "fields": ["raw_paste", "content_hash", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("Title"), ordering="title")
    def one_line_title(self, obj):
        """The title on one line (the stylesheet cuts it), whole in the tooltip."""
        return format_html('<span class="one-line" title="{}">{}</span>', obj.title, obj.title)

    def get_search_results(self, request, queryset, search_term):
        """Articles the search page finds for ``search_term`` (spelling variants, stems: «احمد»
        finds «أحمد»), up to ``ADMIN_SEARCH_LIMIT`` best, or whose byline or outlet contains it."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            # ``queryset`` carries the changelist's filters: the matches keep them.
            found |= queryset.filter(pk__in=matching_article_ids(q=search_term, limit=ADMIN_SEARCH_LIMIT))
        return found, may_have_duplicates

    def save_model(self, request, obj, form, change):
        services.save_article(article=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is RelatedArticle:
            kept = [
                (f.cleaned_data.get("position") or 0, i, f.cleaned_data["related"])
                for i, f in enumerate(formset.forms)
                if f.cleaned_data and f.cleaned_data.get("related") and not f.cleaned_data.get("DELETE")
            ]
            services.set_related(article=form.instance, related=[related for _, _, related in sorted(kept)])
        _saved_by_service(formset)

    def delete_model(self, request, obj):
        services.delete_articles(articles=[obj])

    def delete_queryset(self, request, queryset):
        services.delete_articles(articles=list(queryset))

    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_view)
        return [path("import/", import_view, name="articles_article_import"), *super().get_urls()]

    def import_view(self, request):
        """«استيراد نص»: paste text or upload files; the same service as the ingest command."""
        if not request.user.is_staff or not self.has_add_permission(request):
            raise PermissionDenied
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            source = form.cleaned_data["source"].strip() or None
            report = services.IngestReport()
            pasted = form.cleaned_data["text"]
            if pasted.strip():
                report.merge(services.ingest_bytes(data=pasted.encode(), name=str(_("Pasted text")), source=source))
            for upload in form.cleaned_data["files"]:
                report.merge(services.ingest_bytes(data=upload.read(), name=upload.name, source=source))
            level = messages.SUCCESS if report.ok else messages.WARNING
            self.message_user(request, import_summary(report), level)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import text"),
            "form": form,
            "report": report,
            "media": self.media,
        }
        return render(request, "admin/articles/article/import.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_url": reverse("admin:articles_article_import")}
        return super().changelist_view(request, extra_context)


class EntityAliasInline(admin.TabularInline):
    model = EntityAlias
    extra = 0
    fields = ["name"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    form = EntityForm
    list_display = ["name", "kind", "article_count", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name"]
    # The key is how spellings meet, not something editors read («PERS:…»): never shown.
    readonly_fields = ["created_at"]
    inlines = [EntityAliasInline]
    actions = ["merge_selected"]
    Media = EditorStyles

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("mentions__article", distinct=True))

    @admin.display(description=_("Articles"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    def get_readonly_fields(self, request, obj=None):
        # Aliases carry the kind in their unique key; changing it would orphan them.
        return [*self.readonly_fields, "kind"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        name = obj.name
        if change:
            # The form set the new name on the instance; the service needs the stored one to
            # keep it as an alias.
            obj.name = Entity.objects.values_list("name", flat=True).get(pk=obj.pk)
        services.save_entity(entity=obj, name=name)

    def save_formset(self, request, form, formset, change):
        try:
            services.set_entity_aliases(entity=form.instance, names=names_in(formset))
        except ValueError as error:
            self.message_user(request, str(error), messages.ERROR)
        _saved_by_service(formset)

    def delete_model(self, request, obj):
        services.delete_entities(entities=[obj])

    def delete_queryset(self, request, queryset):
        services.delete_entities(entities=list(queryset))

    @admin.action(description=_("Merge the chosen entities…"), permissions=["change"])
    def merge_selected(self, request, queryset):
        """Ask which entity survives and under which name, then merge (a second POST)."""
        entities = list(queryset.order_by("-article_count", "pk"))
        if len({e.kind for e in entities}) > 1:
            self.message_user(request, _("Entities of different kinds cannot be merged."), messages.ERROR)
            return None
        if len(entities) < 2:
            self.message_user(request, _("Choose at least two entities to merge."), messages.WARNING)
            return None
        form = EntityMergeForm(request.POST if "confirm" in request.POST else None, entities=entities)
        if form.is_valid():
            target = form.cleaned_data["target"]
            try:
                target = services.merge_entities(target=target, others=entities, name=form.cleaned_data["name"])
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.message_user(request, _("Merged the entities into “%(name)s”.") % {"name": target.name},
                              messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge entities"),
            "opts": self.model._meta,
            "form": form,
            "entities": entities,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/entity/merge_confirmation.html", context)


@admin.register(EntityAlias)
class EntityAliasAdmin(admin.ModelAdmin):
    """Spellings are edited on their entity's page; here they are listed and split off."""

    list_display = ["name", "entity", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "entity__name"]
    readonly_fields = ["name", "entity", "kind"]
    actions = ["split_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Split the chosen names off into a new entity"), permissions=["change"])
    def split_selected(self, request, queryset):
        aliases = list(queryset.select_related("entity"))
        entities = {alias.entity for alias in aliases}
        if len(entities) != 1:
            self.message_user(request, _("Choose names of one entity only."), messages.ERROR)
            return
        (entity,) = entities
        if len(aliases) == entity.aliases.count():
            self.message_user(request, _("Not all of an entity's names can be split off; rename it instead."), messages.ERROR)
            return
        new = services.split_entity(entity=entity, aliases=aliases)
        self.message_user(request, _("Created the entity “%(name)s”.") % {"name": new.name}, messages.SUCCESS)
