"""Syndicated copies: one agency text published by several outlets, stored as one group.

A group is its lead (the first-stored article, ``copy_of`` empty) and the articles whose
``copy_of`` is the lead. Every stored article with a long enough body keeps the LSH band hashes
of its MinHash signature (:class:`~articles.models.ShingleBand`, :mod:`articles.text.shingles`),
so a new article's candidates in the whole archive are one indexed query, whatever process
stored them. A candidate is a copy when the exact resemblance of the two bodies' shingles
reaches ``COPY_THRESHOLD``; a copy joins the group of its earliest (first-stored) match.

Every function runs inside the caller's transaction and queues for the search index the members
of each group whose membership changed (their documents carry the group and its size).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction

from articles.models import Article, ShingleBand
from articles.search import indexing
from articles.services.transactions import archive_write
from articles.text import shingles as shingling

# Articles whose bands one candidate query looks up: BANDS + BANDS × this parameters, under the
# 999 that the smallest SQLite builds allow.
_LOOKUP_ARTICLES = 40
_BAND_ROWS_PER_INSERT = 5000


@dataclass
class _Signed:
    pk: int
    shingles: np.ndarray
    bands: list[int]


@dataclass(frozen=True)
class DetectionSummary:
    """What :func:`detect_archive` found: articles read and signed, groups, copies, changes."""

    articles: int
    signed: int
    groups: int
    copies: int
    changed: int


def detect_copies(*, articles: Sequence[Article]) -> dict[int, int]:
    """Sign newly stored ``articles`` and join each copy to its group; returns ``{copy id: lead id}``.

    The articles are compared with the stored archive and with each other, in storage (id)
    order, so the first-stored of several copies in one batch leads them. Their band hashes are
    stored for later ingests. Call it inside the transaction that stored them.
    """
    assignments = _assign(articles)
    indexing.queue_articles(group_members(leads=set(assignments.values())))
    return assignments


def resign_article(*, article: Article) -> dict[int, int]:
    """Refresh an edited article's bands; an article outside any group may now join one.

    An article already in a group stays in it: an edit (a typo, a headline) does not make an
    agency text another one. Returns ``{copy id: lead id}`` as :func:`detect_copies`.
    """
    ShingleBand.objects.filter(article_id=article.pk).delete()
    if article.copy_of_id or Article.objects.filter(copy_of_id=article.pk).exists():
        _store_bands([_sign(article)])
        return {}
    return detect_copies(articles=[article])


def release_copies(*, article_ids: Iterable[int]) -> None:
    """Before these articles are deleted, keep their groups: a lead's copies follow the next one.

    The earliest-stored remaining copy becomes the lead and the others are re-pointed to it; the
    remaining members of every touched group are queued for the index (their group size changed).
    """
    ids = set(article_ids)
    touched = set(Article.objects.filter(pk__in=ids).exclude(copy_of=None).values_list("copy_of_id", flat=True))
    for lead in Article.objects.filter(pk__in=ids, copies__isnull=False).distinct().values_list("pk", flat=True):
        remaining = list(
            Article.objects.filter(copy_of_id=lead).exclude(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        )
        if not remaining:
            continue
        Article.objects.filter(pk=remaining[0]).update(copy_of=None)
        Article.objects.filter(pk__in=remaining[1:]).update(copy_of_id=remaining[0])
        touched.add(remaining[0])
    indexing.queue_articles(group_members(leads=touched - ids) - ids)


def group_members(*, leads: set[int]) -> set[int]:
    """Every member of the groups led by ``leads``, the leads included."""
    if not leads:
        return set()
    return leads | set(Article.objects.filter(copy_of_id__in=leads).values_list("pk", flat=True))


def detect_archive(*, dry_run: bool = False, chunk_size: int = 2000) -> DetectionSummary:
    """Detect the copies of the whole archive again, from its texts (what ``detect_copies`` runs).

    Every article is signed again and grouped as if the archive were ingested in storage order;
    articles whose group changed are re-pointed and queued for the index. With ``dry_run``
    nothing is kept. One transaction.
    """
    before = dict(Article.objects.values_list("pk", "copy_of_id"))
    ids = sorted(before)
    with archive_write():
        # From the texts alone: the groups stored before play no part.
        ShingleBand.objects.all().delete()
        Article.objects.exclude(copy_of=None).update(copy_of=None)
        assignments: dict[int, int] = {}
        for start in range(0, len(ids), chunk_size):
            chunk = Article.objects.filter(pk__in=ids[start : start + chunk_size]).only("pk", "body")
            assignments.update(_assign(list(chunk.order_by("pk"))))
        signed = ShingleBand.objects.filter(band=0).count()
        changed = {pk for pk, lead in before.items() if assignments.get(pk) != lead}
        if dry_run:
            transaction.set_rollback(True)
        else:
            touched = {before[pk] for pk in changed if before[pk]}
            touched |= {assignments[pk] for pk in changed if pk in assignments}
            indexing.queue_articles(changed | group_members(leads=touched))
    return DetectionSummary(
        articles=len(ids),
        signed=signed,
        groups=len(set(assignments.values())),
        copies=len(assignments),
        changed=len(changed),
    )


def _sign(article: Article) -> _Signed:
    found, bands = shingling.signature_bands(article.body)
    return _Signed(article.pk, found, bands)


def _assign(articles: Sequence[Article]) -> dict[int, int]:
    """Group ``articles`` (stored, with ids) against the stored bands and each other; store their
    bands and their ``copy_of``. Returns ``{copy id: lead id}``."""
    signed = [item for item in map(_sign, sorted(articles, key=lambda a: a.pk)) if item.bands]
    if not signed:
        return {}
    stored = _stored_candidates(signed)
    texts = _CandidateTexts(set().union(*stored.values()))
    batch: dict[tuple[int, int], list[int]] = defaultdict(list)
    assignments: dict[int, int] = {}
    for item in signed:
        keys = list(enumerate(item.bands))
        candidates = sorted({pk for key in keys for pk in (*stored.get(key, ()), *batch.get(key, ()))})
        for pk in candidates:
            if shingling.is_copy(item.shingles, texts.shingles(pk)):
                lead = texts.lead(pk)
                assignments[item.pk] = lead
                break
        texts.remember(item, lead=assignments.get(item.pk))
        for key in keys:
            batch[key].append(item.pk)
    _store_bands(signed)
    by_lead: dict[int, list[int]] = defaultdict(list)
    for pk, lead in assignments.items():
        by_lead[lead].append(pk)
    for lead, pks in by_lead.items():
        Article.objects.filter(pk__in=pks).update(copy_of_id=lead)
    for article in articles:
        if article.pk in assignments:
            article.copy_of_id = assignments[article.pk]
    return assignments


def _stored_candidates(signed: list[_Signed]) -> dict[tuple[int, int], set[int]]:
    """``(band, hash)`` → ids of stored articles (other than ``signed``'s) with that band hash.

    One query per ``_LOOKUP_ARTICLES`` articles, each band an indexed ``band = … AND hash IN (…)``.
    Written as SQL: the ORM's preparation of thousands of parameters cost more than the query.
    """
    found: dict[tuple[int, int], set[int]] = defaultdict(set)
    own = {item.pk for item in signed}
    table = connection.ops.quote_name(ShingleBand._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(signed), _LOOKUP_ARTICLES):
            part = signed[start : start + _LOOKUP_ARTICLES]
            per_band = [sorted({item.bands[band] for item in part}) for band in range(len(part[0].bands))]
            conditions = " OR ".join(
                f"(band = %s AND hash IN ({', '.join(['%s'] * len(values))}))" for values in per_band
            )
            params = [value for band, values in enumerate(per_band) for value in (band, *values)]
            cursor.execute(f"SELECT article_id, band, hash FROM {table} WHERE {conditions}", params)
            for article_id, band, value in cursor.fetchall():
                if article_id not in own:
                    found[(band, value)].add(article_id)
    return found


class _CandidateTexts:
    """Shingles and leads of candidate articles: this batch's from memory, stored ones read in one query."""

    def __init__(self, stored_ids: set[int]):
        rows = Article.objects.filter(pk__in=stored_ids).values_list("pk", "body", "copy_of_id") if stored_ids else ()
        self._bodies = {pk: body for pk, body, _lead in rows}
        self._leads = {pk: lead for pk, _body, lead in rows}
        self._shingles: dict[int, np.ndarray] = {}

    def remember(self, item: _Signed, *, lead: int | None) -> None:
        self._shingles[item.pk] = item.shingles
        self._leads[item.pk] = lead

    def shingles(self, pk: int) -> np.ndarray:
        if pk not in self._shingles:
            self._shingles[pk] = shingling.shingles(self._bodies[pk])
        return self._shingles[pk]

    def lead(self, pk: int) -> int:
        return self._leads[pk] or pk


def _store_bands(signed: list[_Signed]) -> None:
    # Twenty rows per article: building a model instance for each is most of the cost of a bulk
    # import's detection, so the rows go straight to the cursor.
    table = connection.ops.quote_name(ShingleBand._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(ShingleBand._meta.get_field(name).column) for name in ("article", "band", "hash")
    )
    rows = [(item.pk, band, value) for item in signed for band, value in enumerate(item.bands)]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BAND_ROWS_PER_INSERT):
            part = rows[start : start + _BAND_ROWS_PER_INSERT]
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)", part)
