"""Writing one article: the limits every path checks, editing, deleting, «اقرأ أيضاً» links."""

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article, RelatedArticle
from articles.search import indexing
from articles.services.entities import extract_entities
from articles.services.syndication import detect_copies, release_copies, resign_article
from articles.services.transactions import archive_write
from articles.text.keys import content_hash

# Fields whose text the entity offsets point into: editing them means extracting again.
_EXTRACTED_FIELDS = ("title", "body")
_LINK_SCHEMES = ("http://", "https://")
_LINK = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Problem:
    """One broken limit of an article.

    ``code`` is stable for programs: ``"too_long"`` (``params``: ``length``, ``limit``),
    ``"link_scheme"`` and ``"bad_link"`` (``url``), ``"invalid"`` (``messages``, Django's own),
    ``"duplicate"`` (``pk``, ``title``). ``detail`` says it in English for logs and the command line.
    """

    field: str
    code: str
    detail: str
    params: dict = dataclass_field(default_factory=dict)

    @classmethod
    def too_long(cls, field: str, *, length: int, limit: int) -> "Problem":
        detail = f"{field}: {length:,} characters, over the limit of {limit:,}"
        return cls(field, "too_long", detail, {"length": length, "limit": limit})

    def message(self) -> str:
        """The problem in the active language, after the field's name as the admin labels it."""
        label = capfirst(Article._meta.get_field(self.field).verbose_name) if self.field else ""
        params = {**self.params}
        if self.code == "too_long":
            params |= {"length": f"{params['length']:,}", "limit": f"{params['limit']:,}"}
        elif self.code == "invalid":
            params["messages"] = " ".join(params["messages"])
        text = _PROBLEM_MESSAGES[self.code] % params
        return f"{label}: {text}" if label else text


_PROBLEM_MESSAGES = {
    "too_long": _("%(length)s characters, over the limit of %(limit)s"),
    "link_scheme": _("Only http and https links are stored, not “%(url)s”"),
    "bad_link": _("“%(url)s” is not a valid link"),
    "invalid": "%(messages)s",
    "duplicate": _("The same title and text are already stored in article %(pk)s “%(title)s”"),
}


class ArticleInvalid(ValueError):
    """An article that breaks limits of the archive: ``problems`` names each field and limit.

    ``part`` says which article of a paste it is (``"article"``, or ``"related"`` with its
    ``number``); the English message starts with it («related article 1: title: …»).
    """

    def __init__(self, problems: list[Problem], *, part: str = "", number: int = 0):
        self.problems, self.part, self.number = problems, part, number
        detail = "; ".join(problem.detail for problem in problems)
        where = {"": "", "article": "article: ", "related": f"related article {number}: "}[part]
        super().__init__(where + detail)

    def in_part(self, part: str, number: int = 0) -> "ArticleInvalid":
        """The same problems, said of one article of a paste."""
        return ArticleInvalid(self.problems, part=part, number=number)

    def message(self) -> str:
        """The problems in the active language, for the admin."""
        text = pgettext("between problems", "; ").join(problem.message() for problem in self.problems)
        if self.part == "related":
            return gettext("Related article %(number)s: %(problems)s") % {"number": self.number, "problems": text}
        return text


def validate_article(article: Article) -> None:
    """Check ``article`` against the model's limits, the same on every write path.

    Lengths are counted in characters; links must be http(s). Raises :class:`ArticleInvalid`
    with one problem for each bad field, e.g. «title: 10,000 characters, over the limit of 500».
    """
    problems = []
    for field in Article._meta.concrete_fields:
        value = getattr(article, field.attname)
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            problems.append(Problem.too_long(field.name, length=len(value), limit=limit))
    url = article.url[:100]
    if article.url and not article.url.lower().startswith(_LINK_SCHEMES):
        detail = f"url: only http and https links are kept, not «{url}»"
        problems.append(Problem("url", "link_scheme", detail, {"url": url}))
    elif article.url:
        try:
            _LINK(article.url)
        except ValidationError:
            problems.append(Problem("url", "bad_link", f"url: «{url}» is not a valid link", {"url": url}))
    if not problems:
        try:
            article.full_clean(
                exclude=["content_hash", "source", "url"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                unique = list(dict.fromkeys(messages))
                field = name if name != NON_FIELD_ERRORS else ""
                detail = f"{name}: " + " ".join(unique)
                problems.append(Problem(field, "invalid", detail, {"messages": unique}))
    if problems:
        raise ArticleInvalid(problems)


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
        detail = f"the same title and text are already article {other.pk} «{other.title}»"
        raise ArticleInvalid([Problem("", "duplicate", detail, {"pk": other.pk, "title": other.title})])
    with archive_write():
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
    with archive_write():
        deleted = Article.objects.filter(pk__in=ids).count()
        release_copies(article_ids=ids)
        Article.objects.filter(pk__in=ids).delete()
        indexing.queue_articles(ids)
    return deleted


def set_related(*, article: Article, related: Iterable[Article]) -> None:
    """Make ``related`` (in order) the «اقرأ أيضاً» articles of ``article``."""
    chosen = list(dict.fromkeys(item.pk for item in related if item.pk != article.pk))
    with archive_write():
        RelatedArticle.objects.filter(article=article).exclude(related_id__in=chosen).delete()
        for position, pk in enumerate(chosen):
            RelatedArticle.objects.update_or_create(article=article, related_id=pk, defaults={"position": position})
