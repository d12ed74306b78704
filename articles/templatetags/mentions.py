"""Article text with its entity mentions marked as links to the entity pages.

The article's mentions should be prefetched with their entities (``Article.objects.with_mentions()``).
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Mention
from articles.text.markup import wrap_spans

register = template.Library()


def _link(mention: Mention) -> tuple[int, int, str, str]:
    entity = mention.entity
    opening = (
        f'<a class="mention mention-{escape(entity.kind)}" href="{escape(entity.get_absolute_url())}"'
        f' title="{escape(entity.name)}">'
    )
    return mention.start, mention.end, opening, "</a>"


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
