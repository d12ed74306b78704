from collections import Counter

from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.text.keys import content_hash, entity_key, index_letter, source_key

# A name seen once is listed only when the tagger gave it at least this probability: of such
# names in 4,000 real news articles, checked by hand, about 9 in 10 above it were real names of
# the right kind and fewer than half below it (docs/entities.md).
LISTING_CONFIDENCE = 0.9
# A one-word name is listed only if one of its mentions scored at least this, or is a rule's find
# of a word not counted. Such a name's confidence is at most how often its word alone is a name of
# its kind in the news (:meth:`articles.entities.base.TaggingExtractor.alone_share`): «الله» as a
# person, «ترامب» as a place score under it, but so does «نيمار», whom the tagger mostly misses
# alone; below 0.1 about 8 in 10 were junk on a real archive (docs/entities.md).
WORD_LISTING_CONFIDENCE = 0.1


class SourceQuerySet(models.QuerySet):
    def with_article_counts(self):
        """Annotate each source with ``article_count``."""
        return self.annotate(article_count=models.Count("articles"))

    def by_name(self, name: str):
        """Sources known under ``name`` or any spelling with the same key."""
        key = source_key(name)
        return self.filter(models.Q(key=key) | models.Q(aliases__key=key)).distinct()


class Source(models.Model):
    name = models.CharField(_("Name"), max_length=200, help_text=_("The outlet's name as printed, such as “صحيفة الوطن الليبية”."))
    key = models.CharField(_("Key"), max_length=200, editable=False)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = pgettext_lazy("model name", "Source")
        verbose_name_plural = _("Sources")
        constraints = [models.UniqueConstraint(fields=["key"], name="unique_source_key")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = source_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:source", kwargs={"pk": self.pk})

    def short_names(self) -> list[str]:
        return [alias.name for alias in self.aliases.all() if alias.name != self.name]


class SourceAlias(models.Model):
    """Another name the outlet is printed under: «الوطن» in a byline for «صحيفة الوطن الليبية»."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("Source"))
    name = models.CharField(_("Name"), max_length=200)
    key = models.CharField(_("Key"), max_length=200, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Alias")
        verbose_name_plural = _("Aliases")
        constraints = [models.UniqueConstraint(fields=["key"], name="unique_source_alias_key")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = source_key(self.name)
        super().save(*args, **kwargs)


class ArticleQuerySet(models.QuerySet):
    def latest_first(self):
        """Newest publication date first; undated articles after dated ones, newest stored first."""
        return self.order_by(models.F("published_on").desc(nulls_last=True), "-created_at", "-pk")

    def mentioning(self, entity):
        """Articles in which ``entity`` is mentioned at least once."""
        return self.filter(mentions__entity=entity).distinct()

    def for_listing(self):
        """What a list of articles shows: the outlet without a query per row."""
        return self.select_related("source")

    def with_mentions(self):
        """Articles with their outlet and their mentions' entities, in text order, fetched in bulk."""
        mentions = Mention.objects.select_related("entity").order_by("field", "start")
        return self.select_related("source").prefetch_related(models.Prefetch("mentions", queryset=mentions))


class Article(models.Model):
    title = models.CharField(_("Title"), max_length=500)
    body = models.TextField(_("Body"), help_text=_("Paragraphs separated by an empty line."))
    published_on = models.DateField(_("Publication date"), null=True, blank=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("Source"),
    )
    byline = models.CharField(_("Byline"), max_length=300, blank=True)
    desk = models.CharField(_("Desk"), max_length=200, blank=True, help_text=_("Such as “متابعات” when no writer is named."))
    source_line = models.CharField(_("Source line"), max_length=500, blank=True)
    url = models.URLField(
        _("Original link"), max_length=1000, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    raw_paste = models.TextField(_("Pasted text as is"), blank=True)
    copy_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("Copy of"),
        help_text=_("The first article stored with the same text when several outlets publish it (an agency text)."),
    )
    content_hash = models.CharField(_("Content fingerprint"), max_length=64, editable=False)
    related = models.ManyToManyField(
        "self",
        through="RelatedArticle",
        symmetrical=False,
        related_name="cited_by",
        blank=True,
        verbose_name=_("Read also"),
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at"]
        verbose_name = pgettext_lazy("model name", "Article")
        verbose_name_plural = _("Articles")
        constraints = [models.UniqueConstraint(fields=["content_hash"], name="unique_article_content")]
        indexes = [
            models.Index(fields=["-published_on", "-created_at"], name="article_latest_idx"),
            models.Index(fields=["source", "-published_on"], name="article_source_date_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.content_hash = content_hash(self.title, self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"pk": self.pk})

    def paragraphs(self) -> list[str]:
        return [part for part in self.body.split("\n\n") if part.strip()]

    def related_articles(self):
        """The «اقرأ أيضاً» articles pasted with this one, in their printed order."""
        return self.related.for_listing().order_by("cited_in__position")

    def copy_group_ids(self) -> set[int]:
        """Ids of every article of this one's syndicated-copy group, its own included."""
        lead = self.copy_of_id or self.pk
        return {lead, *Article.objects.filter(copy_of_id=lead).values_list("pk", flat=True)}

    def syndicated_copies(self):
        """The other articles of the same agency text, published by other outlets."""
        return Article.objects.filter(pk__in=self.copy_group_ids() - {self.pk}).for_listing().latest_first()

    def citing_articles(self):
        """Articles that listed this one under «اقرأ أيضاً»."""
        return self.cited_by.for_listing().latest_first()

    def mentions_by_entity(self) -> list[tuple["Entity", list["Mention"]]]:
        """Each entity the article mentions with its mentions, title first, in text order."""
        groups: dict[int, tuple[Entity, list[Mention]]] = {}
        ordered = sorted(self.mentions.all(), key=lambda m: (m.field != Mention.Field.TITLE, m.start))
        for mention in ordered:
            groups.setdefault(mention.entity_id, (mention.entity, []))[1].append(mention)
        return list(groups.values())


class RelatedArticle(models.Model):
    """An «اقرأ أيضاً» link: ``article`` was pasted with ``related`` at ``position``."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links", verbose_name=_("Article"))
    related = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="cited_in", verbose_name=_("Linked article")
    )
    position = models.PositiveSmallIntegerField(_("Order"), default=0)

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("Related article")
        verbose_name_plural = _("Related articles")
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="unique_related_article"),
        ]

    def __str__(self):
        return f"{self.article_id} → {self.related_id}"


class EntityQuerySet(models.QuerySet):
    def of_kind(self, kind: str):
        """Entities of one kind (``Entity.Kind``)."""
        return self.filter(kind=kind)

    def with_article_counts(self):
        """Annotate each entity with ``article_count``, the number of articles that mention it."""
        return self.annotate(article_count=models.Count("mentions__article", distinct=True))

    def by_name(self, name: str, kind: str):
        """The entity of ``kind`` known under ``name`` or any spelling variant of it."""
        return self.filter(kind=kind, aliases__key=entity_key(name, kind)).distinct()

    def listed(self):
        """Entities readers are shown in lists and facets. Left out, though kept: one seen in a
        single article, once, under a one-word name, or under a longer one the tagger was unsure
        of (:data:`LISTING_CONFIDENCE`); one under a one-word name none of whose mentions is
        likely to be one (:data:`WORD_LISTING_CONFIDENCE`); and one no article mentions any
        more. Annotates ``article_count``, ``mention_count`` and ``confidence`` (the best)."""
        longer = models.Q(name__contains=" ")
        sure = models.Q(confidence__isnull=True) | models.Q(confidence__gte=LISTING_CONFIDENCE)
        likely = longer | models.Q(unscored__gt=0) | models.Q(confidence__gte=WORD_LISTING_CONFIDENCE)
        return self.annotate(
            article_count=models.Count("mentions__article", distinct=True),
            mention_count=models.Count("mentions"),
            confidence=models.Max("mentions__confidence"),
            unscored=models.Count("mentions", filter=models.Q(mentions__confidence__isnull=True)),
        ).filter(
            ((models.Q(article_count__gt=1) | models.Q(mention_count__gt=1)) & likely)
            | (longer & models.Q(article_count__gt=0) & sure)
        )

    def named_like(self, keys: list[str]):
        """Entities with a spelling one of whose words starts with one of ``keys``: «ترمب» finds
        «دونالد ترامب» as well as «ترامب»."""
        match = models.Q()
        for key in keys:
            match |= models.Q(key__contains=f" {key}") | models.Q(aliases__key__contains=f" {key}")
            for kind in Entity.Kind.values:
                match |= models.Q(key__startswith=f"{kind}:{key}") | models.Q(aliases__key__startswith=f"{kind}:{key}")
        return self.filter(match).distinct() if keys else self.none()

    def co_occurring_with(self, entity):
        """Other entities mentioned in the articles that mention ``entity``, most shared articles first."""
        articles = Mention.objects.filter(entity=entity).values("article")
        return (
            self.exclude(pk=entity.pk)
            .filter(mentions__article__in=articles)
            .annotate(shared=models.Count("mentions__article", distinct=True))
            .order_by("-shared", "name")
        )


class Entity(models.Model):
    class Kind(models.TextChoices):
        PERSON = "PERS", _("Person")
        ORGANIZATION = "ORG", _("Organization")
        PLACE = "LOC", _("Place")

    kind = models.CharField(_("Kind"), max_length=4, choices=Kind.choices)
    name = models.CharField(_("Name"), max_length=300)
    key = models.CharField(_("Key"), max_length=300, editable=False)
    letter = models.CharField(_("Index letter"), max_length=1, editable=False, default="")
    named_by_editor = models.BooleanField(
        _("Name chosen by an editor"),
        default=False,
        help_text=_("Imports no longer rename it to the spelling its articles use most."),
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = pgettext_lazy("model name", "Entity")
        verbose_name_plural = _("Entities")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="unique_entity_kind_key")]
        indexes = [models.Index(fields=["kind", "letter"], name="entity_kind_letter_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = entity_key(self.name, self.kind)
        self.letter = index_letter(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:entity", kwargs={"pk": self.pk})

    def variants(self) -> list[str]:
        """The spellings the archive has seen for this entity, other than its name."""
        return sorted({alias.name for alias in self.aliases.all()} - {self.name})

    def roles(self) -> list[str]:
        """Titles and roles that introduced this entity, most frequent first; roles that
        normalise alike (hamza, ى/ي …) are one, shown in their most frequent spelling."""
        from articles.entities.resolution import role_key

        rows = self.mentions.exclude(role="").values("role").annotate(n=models.Count("pk"))
        groups: dict[str, Counter] = {}
        for row in rows:
            groups.setdefault(role_key(row["role"]), Counter())[row["role"]] += row["n"]
        ranked = sorted(groups.values(), key=lambda c: (-sum(c.values()), min(c)))
        return [max(c, key=lambda role: (c[role], role)) for c in ranked]


class EntityAlias(models.Model):
    """A spelling of an entity; new mentions with the same key resolve to the same entity."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("Entity"))
    kind = models.CharField(_("Kind"), max_length=4, choices=Entity.Kind.choices, editable=False)
    name = models.CharField(_("Name"), max_length=300)
    key = models.CharField(_("Key"), max_length=300, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Entity alias")
        verbose_name_plural = _("Entity aliases")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="unique_entity_alias_kind_key")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.kind = self.entity.kind
        self.key = entity_key(self.name, self.kind)
        super().save(*args, **kwargs)


class Mention(models.Model):
    class Field(models.TextChoices):
        TITLE = "title", _("Title")
        BODY = "body", _("Body")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("Article"))
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("Entity"))
    surface = models.CharField(_("As written"), max_length=300)
    field = models.CharField(_("Field"), max_length=5, choices=Field.choices)
    start = models.PositiveIntegerField(_("Start"))
    end = models.PositiveIntegerField(_("End"))
    role = models.CharField(_("Role"), max_length=300, blank=True)
    # The tagger's probability of the label it gave the mention's least certain word; empty for
    # a mention a rule alone found, or one stored before it was kept.
    confidence = models.FloatField(_("Confidence"), null=True, blank=True)

    class Meta:
        ordering = ["article", "field", "start"]
        verbose_name = _("Mention")
        verbose_name_plural = _("Mentions")
        constraints = [
            models.UniqueConstraint(fields=["article", "field", "start"], name="unique_mention_position"),
        ]
        indexes = [
            models.Index(fields=["entity", "article"], name="mention_entity_article_idx"),
            # Whom a short name as written («عبدالله») refers to across the archive is read
            # from its mentions by surface, for every batch of an import and every paste.
            models.Index(fields=["surface"], name="mention_surface_idx"),
        ]

    def __str__(self):
        return f"{self.surface} ({self.article_id})"


class ShingleBand(models.Model):
    """One LSH band hash of an article's MinHash signature (:mod:`articles.text.shingles`).

    Two articles sharing a row's ``(band, hash)`` are candidate copies of one agency text: kept in
    the database so an ingest in any process finds the copies stored by earlier ones with one
    indexed query. Articles too short to sign have none.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="shingle_bands")
    band = models.PositiveSmallIntegerField(_("Band"))
    hash = models.BigIntegerField(_("Band hash"))

    class Meta:
        ordering = ["article", "band"]
        verbose_name = pgettext_lazy("model name", "Copy signature band")
        verbose_name_plural = pgettext_lazy("model name", "Copy signature bands")
        indexes = [models.Index(fields=["band", "hash"], name="shingle_band_hash_idx")]

    def __str__(self):
        return f"{self.article_id}:{self.band}"


class PendingIndexUpdate(models.Model):
    """An article whose search document must be brought up to date: the index's outbox.

    Written in the same transaction as the change to the article, and deleted only once the
    index has committed it, so a process that dies in between leaves the work recorded for the
    next ingest or ``check_index --repair``. Not a foreign key: a deleted article's row must stay
    until its document is removed.
    """

    article_id = models.BigIntegerField(_("Article"))
    queued_at = models.DateTimeField(_("Added at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Pending index update")
        verbose_name_plural = _("Pending index updates")
        indexes = [models.Index(fields=["article_id"], name="pending_index_article_idx")]

    def __str__(self):
        return str(self.article_id)


class PendingExtraction(models.Model):
    """A stored article whose entities are still to be extracted: the background worker's outbox.

    ``ingest --background`` writes it in the transaction that stores the article, and the worker
    (``run_worker``) deletes it once the article's mentions are stored, so an import or worker
    that dies in between leaves the work recorded for the next worker run or
    ``check_index --repair``. Not a foreign key, like :class:`PendingIndexUpdate`: the worker
    skips the rows of articles deleted meanwhile.
    """

    article_id = models.BigIntegerField(_("Article"))
    queued_at = models.DateTimeField(_("Added at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Pending entity extraction")
        verbose_name_plural = _("Pending entity extractions")
        indexes = [models.Index(fields=["article_id"], name="pending_extraction_article_idx")]

    def __str__(self):
        return str(self.article_id)
