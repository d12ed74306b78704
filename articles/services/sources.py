"""Outlets: finding or creating the Source a paste names, and editing one."""

from django.utils.translation import gettext as _

from articles.models import Source, SourceAlias
from articles.search import indexing
from articles.services.articles import ArticleInvalid, Problem
from articles.services.transactions import archive_write
from articles.text.keys import source_key
from articles.text.outlets import outlet_display_name


def validate_source_name(*, name: str) -> None:
    """Raise :class:`ArticleInvalid` («source: 250 characters, over the limit of 200») for an
    outlet name longer than the database keeps: rejected here, never cut or refused by the database."""
    limit = Source._meta.get_field("name").max_length
    if len(name.strip()) > limit:
        raise ArticleInvalid([Problem.too_long("source", length=len(name.strip()), limit=limit)])


def resolve_source(*, name: str | None, full_name: str | None = None) -> Source | None:
    """The outlet printed as ``name`` (short, «الوطن») and/or ``full_name`` («صحيفة الوطن الليبية»).

    Every name seen becomes an alias of one Source, so later pastes printing either resolve to it.
    When the two names point at different known outlets, the full name wins. An outlet printed
    by a known slug («alarabia») is created under its display name («العربية»,
    ``articles.text.outlets``), the slug kept as an alias.
    """
    names = [n.strip() for n in (full_name, name) if n and n.strip()]
    if not names:
        return None
    for candidate in names:
        validate_source_name(name=candidate)
    with archive_write():  # two ingests naming a new outlet at once create it once
        display = next(filter(None, map(outlet_display_name, names)), None)
        source = None
        for candidate in [*names, *([display] if display else [])]:
            source = Source.objects.by_name(candidate).first()
            if source:
                break
        if source is None:
            source = Source.objects.create(name=display or names[0])
        elif full_name and not display and source.name == (name or "").strip():
            # First seen as «الوطن», now printed in full: show the full name from now on.
            source.name = full_name.strip()
            source.save(update_fields=["name", "key"])
            indexing.queue_articles(source.articles.values_list("pk", flat=True))
        for alias in {source.name, *names}:
            if not SourceAlias.objects.filter(key=source_key(alias)).exists():
                SourceAlias.objects.create(source=source, name=alias)
        return source


def save_source(*, source: Source) -> Source:
    """Store an edited (or new) outlet; its articles' search documents show the new name.

    The old name stays an alias, so pastes that still print it resolve here.
    """
    with archive_write():
        source.full_clean(exclude=["key"], validate_unique=False)
        source.save()
        if not SourceAlias.objects.filter(key=source.key).exists():
            SourceAlias.objects.create(source=source, name=source.name)
        indexing.queue_articles(source.articles.values_list("pk", flat=True))
    return source


def set_source_aliases(*, source: Source, names: list[str]) -> None:
    """Make ``names`` (plus the outlet's own name) the names ``source`` is known by.

    Raises ``ValueError`` when a name already belongs to another outlet.
    """
    wanted = {source_key(name): name.strip() for name in [*names, source.name] if name.strip()}
    for name in wanted.values():
        validate_source_name(name=name)
    clash = SourceAlias.objects.filter(key__in=wanted).exclude(source=source).select_related("source").first()
    if clash:
        raise ValueError(_("“%(name)s” is already a name of the source “%(other)s”.") % {"name": clash.name, "other": clash.source.name})
    with archive_write():
        source.aliases.exclude(key__in=wanted).delete()
        known = set(source.aliases.values_list("key", flat=True))
        for key, name in wanted.items():
            if key not in known:
                SourceAlias.objects.create(source=source, name=name)


def delete_sources(*, sources) -> int:
    """Delete outlets that no article cites (``ProtectedError`` for one that is still cited)."""
    ids = [source.pk for source in sources]
    with archive_write():
        deleted = Source.objects.filter(pk__in=ids).count()
        Source.objects.filter(pk__in=ids).delete()
    return deleted
