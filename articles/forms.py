"""Forms that validate what editors send: the import page and the admin's edit pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Entity, EntityAlias
from articles.services.articles import duplicate_of
from articles.text.keys import entity_key


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files under one field name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,text/plain"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ImportForm(forms.Form):
    """The admin's «استيراد نص» page: pasted text and/or uploaded files, and an optional outlet."""

    text = forms.CharField(
        label=_("Pasted text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "dir": "rtl", "lang": "ar", "class": "paste-text"}),
        help_text=_("One or more articles; separate them with a line holding only ===."),
    )
    files = MultipleFileField(label=_("Text files"), required=False)
    source = forms.CharField(label=_("Source (optional)"), required=False, help_text=_("Replaces the source named in the text."))

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("files"):
            raise ValidationError(_("Paste some text or choose at least one file."))
        return data


class ArticleForm(forms.ModelForm):
    """An article edited in the admin: the model's limits and validators (http(s) links only), and
    no text that another article already has."""

    url = forms.URLField(label=_("Original link"), max_length=1000, required=False, assume_scheme="https")

    class Meta:
        model = Article
        fields = ["title", "body", "published_on", "source", "byline", "desk", "source_line", "url"]

    def clean(self):
        data = super().clean()
        title, body = data.get("title"), data.get("body")
        if title and body:
            other = duplicate_of(title=title, body=body, pk=self.instance.pk)
            if other:
                raise ValidationError(
                    _("This title and text are already stored in the article “%(title)s”."), params={"title": other.title}
                )
        return data


class EntityForm(forms.ModelForm):
    """An entity edited in the admin; a new name that is another entity's spelling is refused."""

    class Meta:
        model = Entity
        fields = ["kind", "name", "named_by_editor"]

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
                    _("“%(name)s” is a name of the entity “%(other)s”; merge them instead of renaming."),
                    params={"name": name, "other": clash.entity.name},
                )
        return data


def names_in(formset) -> list[str]:
    """The names an alias formset keeps: filled in and not marked for deletion, in order."""
    return [
        form.cleaned_data["name"]
        for form in formset.forms
        if form.cleaned_data and form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
    ]



class EntityMergeForm(forms.Form):
    """The merge confirmation: which of the chosen entities survives, and under which name."""

    target = forms.ModelChoiceField(queryset=Entity.objects.none(), widget=forms.RadioSelect,
                                    label=_("Entity that remains"), empty_label=None)
    name = forms.CharField(label=_("Its name"), max_length=300)

    def __init__(self, *args, entities: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Entity.objects.filter(pk__in=[e.pk for e in entities])
        self.fields["target"].label_from_instance = lambda e: f"{e.name} ({e.get_kind_display()})"
        self.fields["name"].widget.attrs["dir"] = "auto"
        self.initial.setdefault("target", entities[0].pk)
        self.initial.setdefault("name", entities[0].name)
