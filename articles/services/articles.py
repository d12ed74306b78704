"""Writing one article: the limits every path checks, editing, deleting, «اقرأ أيضاً» links."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from articles.models import Article, RelatedArticle
from articles.search import indexing
from articles.services.entities import extract_entities
from articles.services.syndication import detect_copies, release_copies, resign_article
from articles.text.keys import content_hash

# Fields whose text the entity offsets point into: editing them means extracting again.
_EXTRACTED_FIELDS = ("title", "body")
_LINK_SCHEMES = ("http://", "https://")
_LINK = URLValidator(schemes=["http", "https"])


class ArticleInvalid(ValueError):
    """An article that breaks a limit of the archive; the message names the field and the limit."""


def validate_article(article: Article) -> None:
    """Check ``article`` against the model's limits, the same on every write path.

    Lengths are counted in characters; links must be http(s). Raises :class:`ArticleInvalid`
    with one message naming each bad field, e.g. «title: 10,000 characters, over the limit of 500».
    """
    problems = []
    for field in Article._meta.concrete_fields:
        value = getattr(article, field.attname)
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            problems.append(f"{field.name}: {len(value):,} characters, over the limit of {limit:,}")
    if article.url and not article.url.lower().startswith(_LINK_SCHEMES):
        problems.append(f"url: only http and https links are kept, not «{article.url[:100]}»")
    elif article.url:
        try:
            _LINK(article.url)
        except ValidationError:
            problems.append(f"url: «{article.url[:100]}» is not a valid link")
    if not problems:
        try:
            article.full_clean(
                exclude=["content_hash", "source", "url"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems.append(f"{name}: " + " ".join(dict.fromkeys(messages)))
    if problems:
        raise ArticleInvalid("; ".join(problems))


def duplicate_of(*, title: str, body: str, pk: int | None = None) -> Article | None:
    """Another stored article (not ``pk``) with the same title and text, however spaced or vocalised."""
    return Article.objects.filter(content_hash=content_hash(title, body)).exclude(pk=pk).first()


def save_article(*, article: Article) -> Article:
    """Store a new or edited article (the admin's form), keeping entities and the index in step.

    Validates first. When the title or body changed, the article's entities are extracted again,
    so mention offsets point at the text as it now is; the search document is updated once the
    transaction commits. Raises :class:`ArticleInvalid`, also when the new text is already
    another article's.
    """
    validate_article(article)
    other = duplicate_of(title=article.title, body=article.body, pk=article.pk)
    if other is not None:
        raise ArticleInvalid(f"the same title and text are already article {other.pk} «{other.title}»")
    with transaction.atomic():
        before = Article.objects.filter(pk=article.pk).values(*_EXTRACTED_FIELDS).first() if article.pk else None
        article.save()
        if before is None:
            detect_copies(articles=[article])
        elif before["body"] != article.body:
            resign_article(article=article)
        if before is None or any(before[name] != getattr(article, name) for name in _EXTRACTED_FIELDS):
            extract_entities(articles=[article])
        indexing.queue_articles([article.pk])
    return article


def delete_articles(*, articles: Iterable[Article]) -> int:
    """Delete articles with their mentions and links; their documents leave the index. Returns the count."""
    ids = [article.pk for article in articles]
    with transaction.atomic():
        deleted = Article.objects.filter(pk__in=ids).count()
        release_copies(article_ids=ids)
        Article.objects.filter(pk__in=ids).delete()
        indexing.queue_articles(ids)
    return deleted


def set_related(*, article: Article, related: Iterable[Article]) -> None:
    """Make ``related`` (in order) the «اقرأ أيضاً» articles of ``article``."""
    chosen = list(dict.fromkeys(item.pk for item in related if item.pk != article.pk))
    with transaction.atomic():
        RelatedArticle.objects.filter(article=article).exclude(related_id__in=chosen).delete()
        for position, pk in enumerate(chosen):
            RelatedArticle.objects.update_or_create(article=article, related_id=pk, defaults={"position": position})
