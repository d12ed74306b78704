"""Article text with its entity mentions marked as links to the entity pages, and entity kinds
named in words.

The article's mentions should be prefetched with their entities (``Article.objects.with_mentions()``).
Colour alone tells the kinds apart for few readers: each mark carries its kind as text too.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Entity, Mention
from articles.text.markup import wrap_spans

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    """«شخص», «مؤسسة» or «مكان» for an entity kind code (``PERS``, ``ORG``, ``LOC``)."""
    try:
        return str(Entity.Kind(kind).label)
    except ValueError:
        return ""


def _link(mention: Mention) -> tuple[int, int, str, str]:
    entity = mention.entity
    label = escape(kind_label(entity.kind))
    opening = (
        f'<a class="mention mention-{escape(entity.kind)}" href="{escape(entity.get_absolute_url())}"'
        f' title="{escape(entity.name)} · {label}">'
    )
    # Heard by screen readers, hidden on screen and left out of copied quotes (see archive.css).
    closing = f'<span class="visually-hidden kind-label"> ({label})</span></a>'
    return mention.start, mention.end, opening, closing


@register.filter
def marked_title(article: Article) -> SafeString:
    """The title, escaped, with its mentions linked."""
    spans = [_link(m) for m in article.mentions.all() if m.field == Mention.Field.TITLE]
    return mark_safe(wrap_spans(article.title, spans))


@register.filter
def marked_paragraphs(article: Article) -> list[SafeString]:
    """The body's paragraphs, escaped, with their mentions linked (offsets are into the body)."""
    spans = [_link(m) for m in article.mentions.all() if m.field == Mention.Field.BODY]
    paragraphs, offset = [], 0
    for paragraph in article.body.split("\n\n"):
        end = offset + len(paragraph)
        if paragraph.strip():
            inside = [(s - offset, e - offset, before, after) for s, e, before, after in spans if offset <= s and e <= end]
            paragraphs.append(mark_safe(wrap_spans(paragraph, inside)))
        offset = end + 2
    return paragraphs
