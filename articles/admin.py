from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.text.keys import entity_key
from articles.models import Article, Entity, EntityAlias, Mention, RelatedArticle, Source, SourceAlias


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,text/plain"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("النص الملصوق"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "dir": "rtl", "lang": "ar", "style": "width: 100%"}),
        help_text=_("مقال واحد أو أكثر؛ افصل بين المقالات بسطر فيه === وحده."),
    )
    files = MultipleFileField(label=_("ملفات نصية"), required=False)
    source = forms.CharField(label=_("المصدر (اختياري)"), required=False, help_text=_("يحل محل المصدر المذكور في النص."))

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("files"):
            raise ValidationError(_("الصق نصاً أو اختر ملفاً واحداً على الأقل."))
        return data


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

    def get_queryset(self, request):
        return super().get_queryset(request).with_article_counts()

    @admin.display(description=_("المقالات"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    fk_name = "article"
    extra = 0
    raw_id_fields = ["related"]
    verbose_name = _("اقرأ أيضاً")
    verbose_name_plural = _("اقرأ أيضاً")


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    fields = ["entity", "surface", "field", "start", "end", "role"]
    raw_id_fields = ["entity"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published_on", "byline", "created_at"]
    list_filter = ["source", ("published_on", admin.DateFieldListFilter), "created_at"]
    date_hierarchy = "published_on"
    search_fields = ["title", "body", "byline", "source__name"]
    list_select_related = ["source"]
    raw_id_fields = ["source"]
    readonly_fields = ["content_hash", "raw_paste", "created_at", "updated_at"]
    inlines = [RelatedArticleInline, MentionInline]
    fieldsets = [
        (None, {"fields": ["title", "body", "published_on", "source", "byline", "desk", "source_line", "url"]}),
        (_("الأصل"), {"classes": ["collapse"], "fields": ["raw_paste", "content_hash", "created_at", "updated_at"]}),
    ]

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
                report.merge(services.ingest_bytes(data=pasted.encode(), name=str(_("النص الملصوق")), source=source))
            for upload in form.cleaned_data["files"]:
                report.merge(services.ingest_bytes(data=upload.read(), name=upload.name, source=source))
            level = messages.SUCCESS if report.ok else messages.WARNING
            self.message_user(
                request,
                _("أُنشئ %(created)s، تُخطّي %(skipped)s (موجود مسبقاً)، رُفض %(rejected)s.")
                % {"created": report.created, "skipped": report.skipped, "rejected": report.rejected},
                level,
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("استيراد نص"),
            "form": form,
            "report": report,
        }
        return render(request, "admin/articles/article/import.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_url": reverse("admin:articles_article_import")}
        return super().changelist_view(request, extra_context)


class EntityForm(forms.ModelForm):
    class Meta:
        model = Entity
        fields = ["kind", "name"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or self.instance.kind
        name = data.get("name")
        if kind and name:
            clash = (
                EntityAlias.objects.filter(kind=kind, key=entity_key(name, kind))
                .exclude(entity_id=self.instance.pk)
                .select_related("entity")
                .first()
            )
            if clash:
                raise ValidationError(
                    _("«%(name)s» اسم للكيان «%(other)s»؛ استخدم الدمج بدلاً من إعادة التسمية."),
                    params={"name": name, "other": clash.entity.name},
                )
        return data


class EntityAliasInline(admin.TabularInline):
    model = EntityAlias
    extra = 0
    fields = ["name", "key"]
    readonly_fields = ["key"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    form = EntityForm
    list_display = ["name", "kind", "article_count", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name"]
    readonly_fields = ["key", "created_at"]
    inlines = [EntityAliasInline]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("mentions__article", distinct=True))

    @admin.display(description=_("المقالات"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    def get_readonly_fields(self, request, obj=None):
        # Aliases carry the kind in their unique key; changing it would orphan them.
        return [*self.readonly_fields, "kind"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        # A rename keeps the old spellings as aliases, so future mentions still resolve here.
        super().save_model(request, obj, form, change)
        if not obj.aliases.filter(key=obj.key).exists():
            EntityAlias.objects.create(entity=obj, name=obj.name)

    @admin.action(description=_("دمج الكيانات المختارة في الأكثر ذكراً"), permissions=["change"])
    def merge_selected(self, request, queryset):
        entities = list(queryset.order_by("-article_count", "pk"))
        if len({e.kind for e in entities}) > 1:
            self.message_user(request, _("لا يمكن دمج كيانات من أنواع مختلفة."), messages.ERROR)
            return
        if len(entities) < 2:
            self.message_user(request, _("اختر كيانين على الأقل للدمج."), messages.WARNING)
            return
        target = services.merge_entities(target=entities[0], others=entities[1:])
        self.message_user(request, _("دُمجت الكيانات في «%(name)s».") % {"name": target.name}, messages.SUCCESS)


@admin.register(EntityAlias)
class EntityAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "entity", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "entity__name"]
    raw_id_fields = ["entity"]
    readonly_fields = ["kind", "key"]
    actions = ["split_selected"]

    @admin.action(description=_("فصل الأسماء المختارة في كيان جديد"), permissions=["change"])
    def split_selected(self, request, queryset):
        aliases = list(queryset.select_related("entity"))
        entities = {alias.entity for alias in aliases}
        if len(entities) != 1:
            self.message_user(request, _("اختر أسماء كيان واحد فقط."), messages.ERROR)
            return
        (entity,) = entities
        if len(aliases) == entity.aliases.count():
            self.message_user(request, _("لا يمكن فصل كل أسماء الكيان؛ أعد تسميته بدلاً من ذلك."), messages.ERROR)
            return
        new = services.split_entity(entity=entity, aliases=aliases)
        self.message_user(request, _("أُنشئ الكيان «%(name)s».") % {"name": new.name}, messages.SUCCESS)
