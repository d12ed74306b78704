"""The reader's search language → a Whoosh query, and the fields and scoring it runs against.

What the index must hold for these queries (``articles/search/whoosh/schema.py`` and
``articles/search_indexes.py`` do this, and so does the evaluation):

* the four text fields of :func:`text_fields` — ``TITLE_FIELD``/``TEXT_FIELD`` (broad: stemmed)
  and ``TITLE_EXACT_FIELD``/``TEXT_EXACT_FIELD`` (exact: normalised words);
* their values from :func:`index_values`: the title fields get the title, the two text fields
  title AND body (``"title\nbody"``). With the title in the text fields arcd MRR@10 is 0.808
  instead of 0.802 with the body alone; titles are also searched on their own;
* searchers opened with ``weighting=WEIGHTING``; queries from
  ``build_query(q, mode="broad"|"exact", schema=...)``.

Query language (all of it forgiving: malformed syntax degrades to plain words, never an error):

* ``word word`` — plain words; ``"an exact phrase"`` (also «…» and “…”) — words in order;
* ``-word`` / ``-"a phrase"`` — exclude; ``a OR b`` / ``a أو b`` — either (OR binds tighter than
  the implicit AND: ``x a OR b`` = x and (a or b)); ``pref*`` — words starting with ``pref``.

How many words are required: a reader who types a few keywords wants them all, but a typed
question («في أي مدينة ولد جمال خاشقجي؟») has more words than the passage answering it repeats.
So the plain words of a *keyword query* — at most ``MAX_REQUIRED_WORDS`` content words, no stop
word, no question mark — are all required. In any other query (a sentence or a question, or more
than ``MAX_REQUIRED_WORDS`` words) they are optional: a document needs one of them, and ranking
rewards documents that match more of them (BM25 sums the scores of the words found; Whoosh's
coordination bonus, ``Or(scale=0.9)``, changed arcd MRR@10 by +0.001 and cost long questions
20–40 % more time, so it is not used). Requiring all words of a question finds nothing for most of them (arcd MRR@10
0.66 with three required words vs 0.80). Phrases, prefixes, OR groups and exclusions the reader
typed always stay strict. Only excluded words find nothing (``NullQuery``): there is nothing
to rank.
"""

import math
import re
from dataclasses import dataclass

from whoosh import fields, query, scoring
from whoosh.query import compound

from articles.text.normalize import clean
from articles.text.tokens import WORD_RE, tokenize
from articles.search.analysis import (
    broad_analyzer,
    broad_term,
    exact_analyzer,
    exact_term,
    month_pair_term,
    normalize_prefix,
    starts_month_pair,
)
from articles.search.variants import Lexicon, current_lexicon, expand_word
from articles.text.stemmer import ARTICLE, strip_particles

TITLE_FIELD = "title"
TEXT_FIELD = "text"
TITLE_EXACT_FIELD = "title_exact"
TEXT_EXACT_FIELD = "text_exact"

# Per mode: the fields a word is looked up in, with their boosts. The text fields hold title and
# body together (see index_values) and the title is also searched on its own: on arcd that ranks
# better than separate title and body fields (MRR@10 0.808 vs 0.802; boosting titles ×1.5–3 is
# worse; without the title field short queries run ~20 % faster at MRR@10 0.807). Broad mode also looks in the exact field with a small weight, so that among stemmed
# matches the ones spelled as the reader spelled them come first (+0.01 to +0.02 MRR@10).
MODE_FIELDS = {
    "broad": {TITLE_FIELD: 1.0, TEXT_FIELD: 1.0, TEXT_EXACT_FIELD: 0.3},
    "exact": {TITLE_EXACT_FIELD: 1.0, TEXT_EXACT_FIELD: 1.0},
}
MODES = tuple(MODE_FIELDS)
BROAD_FIELDS = frozenset((TITLE_FIELD, TEXT_FIELD))


class ProbabilisticBM25F(scoring.BM25F):
    """Whoosh's BM25F with the Robertson–Spärck Jones IDF of Lucene and the BM25 literature.

    Whoosh's default ``log(N/(df+1)) + 1`` adds 1 to every IDF, which flattens the gap between
    rare and common words; that matters for typed questions, where a few rare names carry the
    meaning among many common words (arcd MRR@10 +0.005).
    """

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        return math.log(1 + (parent.doc_count_all() - df + 0.5) / (df + 0.5))


# Textbook BM25 parameters (k1=1.2, b=0.75; arcd prefers them to b=0.4–0.9 and k1=0.9–2).
# Titles are short and all alike in length, so their length is not normalised.
WEIGHTING = ProbabilisticBM25F(B=0.75, K1=1.2, **{f"{TITLE_FIELD}_B": 0.0, f"{TITLE_EXACT_FIELD}_B": 0.0})

MAX_REQUIRED_WORDS = 3
MIN_PREFIX_LETTERS = 2

_QUOTES = "\"«»“”„"
_LEXEME_RE = re.compile(
    rf"(?P<neg>-?)[\"«“„](?P<phrase>[^{_QUOTES}]*)[\"»”]|(?P<word>[^\s{_QUOTES}]+)"
)
_QUESTION_RE = re.compile("[?؟]")
_OR_WORDS = frozenset(("OR", "او", "||", "|"))


def text_fields() -> dict[str, fields.FieldType]:
    """The searchable text fields of the site's schema, name → Whoosh field type."""
    # A new field object per name: callers set per-field attributes such as ``stored``.
    # Phrases are matched in the exact fields only (see _clause), so the stemmed fields keep no
    # word positions: that is most of the cost of writing their postings.
    def broad():
        return fields.TEXT(analyzer=broad_analyzer(), phrase=False, stored=False)

    def exact():
        return fields.TEXT(analyzer=exact_analyzer(), phrase=True, stored=False)

    return {TITLE_FIELD: broad(), TEXT_FIELD: broad(), TITLE_EXACT_FIELD: exact(), TEXT_EXACT_FIELD: exact()}


def index_values(title: str, body: str) -> dict[str, str]:
    """The values of the :func:`text_fields` for one article: the text fields get title and body."""
    text = f"{title}\n{body}" if title else body
    return {TITLE_FIELD: title, TEXT_FIELD: text, TITLE_EXACT_FIELD: title, TEXT_EXACT_FIELD: text}


def _lex(q: str):
    """Yield ``(kind, text, negated)`` with kind in word/phrase/prefix/or."""
    for match in _LEXEME_RE.finditer(clean(q)):
        if match.group("phrase") is not None:
            yield "phrase", match.group("phrase"), bool(match.group("neg"))
            continue
        raw = match.group("word")
        if raw in _OR_WORDS or exact_term(raw) in _OR_WORDS:
            yield "or", raw, False
            continue
        negated = raw.startswith("-")
        raw = raw.lstrip("-")
        if raw.endswith("*") and len(WORD_RE.findall(raw)) == 1:
            yield "prefix", raw.rstrip("*"), negated
            continue
        words = [w for w, _, _ in tokenize(raw)]
        if len(words) > 1:
            # «covid-19», «ابن-سينا»: the pieces belong together.
            yield "phrase", raw, negated
        elif words:
            yield "word", words[0], negated


def _terms(text: str, broad: bool) -> list[str]:
    term_of = broad_term if broad else exact_term
    return [t for t in (term_of(w) for w, _, _ in tokenize(text)) if t]


def _over_fields(make, field_boosts: dict[str, float]):
    """One clause searched in every field of the mode, boosted per field."""
    subs = []
    for name, boost in field_boosts.items():
        sub = make(name)
        if sub is not None:
            sub.boost = boost
            subs.append(sub)
    if not subs:
        return None
    return subs[0] if len(subs) == 1 else query.Or(subs)


class _Variants:
    """The forms a plain word of a broad query is searched under, and the variants searched.

    In the broad fields: the word's stem and those of its variant forms (the lexicon's other
    spellings). In the exact field, which only ranks: the word as typed, the same word with or
    without its attached particles and article (so «والداخل» favours «الداخل» and «داخل» over
    «الداخلية»), and the variant forms. With a ``reader``, a variant is only searched when one
    of its terms is in the index, so the query stays small and the reader is told only of forms
    that can match.
    """

    def __init__(self, lexicon: Lexicon | None, reader, field_boosts: dict[str, float], *, broad: bool):
        self.lexicon = lexicon
        self.reader = reader
        self.field_boosts = field_boosts
        self.broad = broad
        self.searched: list[str] = []
        self.typed_terms: dict[str, int] = {}

    def terms(self, word: str) -> dict[str, list[str]]:
        """Field → the terms of ``word`` and of its variant forms found in that field."""
        found = {}
        for name in self.field_boosts:
            if name in BROAD_FIELDS:
                terms = [broad_term(word)]
            else:
                typed = exact_term(word)
                core = strip_particles(typed)
                terms = [typed] if core == typed else [typed, core, ARTICLE + core]
            found[name] = [t for i, t in enumerate(terms) if t and t not in terms[:i]]
        # The first terms of each field are the word as typed; those after them are variants.
        self.typed_terms = {name: len(terms) for name, terms in found.items()}
        if not self.lexicon:
            return found
        for form in expand_word(word, self.lexicon):
            added = False
            for name in self.field_boosts:
                term = (broad_term if name in BROAD_FIELDS else exact_term)(form)
                if not term or (self.reader is not None and not self.reader.doc_frequency(name, term)):
                    continue
                terms = found.setdefault(name, [])
                if term not in terms:
                    terms.append(term)
                    added = True
            if added and form not in self.searched:
                self.searched.append(form)
        return found


# Variant forms count half as much as the spelling typed: a rarer spelling has a higher IDF and
# would otherwise outrank the documents written as the reader wrote (arcd MRR@10 0.8044 at 1.0).
VARIANT_BOOST = 0.5


def _word_clause(text: str, field_boosts: dict[str, float], variants: _Variants):
    """One plain word (with its variant forms) in every field of the mode: one flat OR."""
    leaves = []
    for name, terms in variants.terms(text).items():
        for number, term in enumerate(terms):
            boost = field_boosts[name] * (VARIANT_BOOST if number >= variants.typed_terms.get(name, 1) else 1.0)
            leaves.append(query.Term(name, term, boost=boost))
    if not leaves:
        return None
    return leaves[0] if len(leaves) == 1 else query.Or(leaves)


def _clause(kind: str, text: str, field_boosts: dict[str, float], variants: _Variants | None = None):
    """The Whoosh query of one lexeme, or ``None`` when nothing searchable is left of it."""
    if kind == "word" and variants is not None and variants.broad:
        return _word_clause(text, field_boosts, variants)
    if kind == "phrase":
        # "An exact phrase" is the words as written (normalised), in order, in either mode.
        field_boosts = MODE_FIELDS["exact"]
    if kind == "prefix":
        def make(name):
            prefix = normalize_prefix(text, broad=name in BROAD_FIELDS)
            return query.Prefix(name, prefix) if len(prefix) >= MIN_PREFIX_LETTERS else None

        # None when shorter than MIN_PREFIX_LETTERS: «و*» would match every document.
        return _over_fields(make, field_boosts)

    def make(name):
        terms = _terms(text, broad=name in BROAD_FIELDS)
        if not terms:
            return None
        if len(terms) == 1:
            return query.Term(name, terms[0])
        return query.Phrase(name, terms) if kind == "phrase" else query.And([query.Term(name, t) for t in terms])

    return _over_fields(make, field_boosts)


def _month_clause(first: str, second: str, field_boosts: dict[str, float]):
    """«كانون الثاني» typed: the month term the broad fields hold for any of its names (so it
    finds «يناير» and «جانفي»), and the two words themselves in the exact fields, which rank."""
    month = month_pair_term(first, second)

    def make(name):
        if name in BROAD_FIELDS:
            return query.Term(name, month)
        terms = _terms(f"{first} {second}", broad=False)
        return query.And([query.Term(name, t) for t in terms]) if terms else None

    return _over_fields(make, field_boosts)


def _lexemes(q: str, broad: bool):
    """:func:`_lex` with the two words of a month name («تشرين الأول») as one ``month`` lexeme in
    broad mode, where every system's name of a month is one term."""
    pending = None
    for lexeme in _lex(q):
        if pending is not None:
            kind, text, negated = lexeme
            if kind == "word" and negated == pending[2] and month_pair_term(pending[1], text):
                yield "month", f"{pending[1]} {text}", negated
                pending = None
                continue
            yield pending
            pending = None
        if broad and lexeme[0] == "word" and starts_month_pair(lexeme[1]):
            pending = lexeme
        else:
            yield lexeme
    if pending is not None:
        yield pending


def _parse(q: str, field_boosts: dict[str, float], variants: _Variants | None = None):
    """Lexemes → (AND groups of OR-alternatives, excluded clauses, whether ``q`` reads as a sentence)."""
    groups: list[list[tuple[str, object]]] = []
    excluded = []
    join_next = False
    sentence = bool(_QUESTION_RE.search(q))
    broad = any(name in BROAD_FIELDS for name in field_boosts)
    for kind, text, negated in _lexemes(q, broad):
        if kind == "or":
            join_next = bool(groups)
            continue
        if kind == "month":
            # Counted as a plain word: required in a keyword query, optional in a question.
            kind, clause = "word", _month_clause(*text.split(), field_boosts)
        else:
            if kind == "word" and not _terms(text, broad=True):
                sentence = True
                if broad:
                    continue  # a stop word: the exact fields would find it everywhere
            clause = _clause(kind, text, field_boosts, None if negated else variants)
        if clause is None:
            continue
        if negated:
            excluded.append(clause)
            join_next = False
        elif join_next:
            groups[-1].append((kind, clause))
            join_next = False
        else:
            groups.append([(kind, clause)])
    return groups, excluded, sentence


@dataclass(frozen=True)
class BuiltQuery:
    """A Whoosh query and the variant forms it searches besides the words typed."""

    query: query.Query
    variant_forms: tuple[str, ...] = ()


def build_query(q: str, *, mode: str = "broad", fieldnames=None, schema=None, variants=True, reader=None) -> query.Query:
    """The site's query for the reader's text ``q``; ``query.NullQuery`` when nothing is searchable.

    ``mode`` is ``"broad"`` (stemmed fields, the default) or ``"exact"``. ``fieldnames`` replaces
    the mode's fields and boosts (``MODE_FIELDS``), e.g. ``(TITLE_FIELD,)`` to search titles only;
    in exact mode broad field names are mapped to their exact twins. With ``schema`` given, fields
    missing from it are skipped. A query that is only stop words in broad mode is searched
    in exact mode, which keeps them. See the module docstring for the language and for how many
    words are required, and :func:`build_search` for ``variants`` and ``reader``.
    """
    return build_search(q, mode=mode, fieldnames=fieldnames, schema=schema, variants=variants, reader=reader).query


def build_search(q: str, *, mode: str = "broad", fieldnames=None, schema=None, variants=True, reader=None) -> BuiltQuery:
    """:func:`build_query` with the variant forms it added.

    In broad mode each plain word, also inside an OR group, is searched as itself or any of its
    variant forms (:mod:`articles.search.variants`); phrases, prefixes, excluded words and exact
    mode are left alone. ``variants`` is ``True`` (the lexicon in force), ``False`` (none) or a
    :class:`~articles.search.variants.Lexicon`. With an index ``reader``, only forms the index
    holds are searched and reported.
    """
    if mode not in MODE_FIELDS:
        raise ValueError(f"unknown search mode {mode!r}; expected one of {MODES}")
    if fieldnames is None:
        wanted = MODE_FIELDS[mode]
    else:
        wanted = dict.fromkeys(_exact_names(fieldnames) if mode == "exact" else fieldnames, 1.0)
    field_boosts = {name: boost for name, boost in wanted.items() if schema is None or name in schema}
    if not field_boosts:
        return BuiltQuery(query.NullQuery)
    lexicon = None
    if mode == "broad" and variants:
        lexicon = current_lexicon() if variants is True else variants
    expansion = _Variants(lexicon, reader, field_boosts, broad=mode == "broad")
    groups, excluded, sentence = _parse(q, field_boosts, expansion)
    if not groups:
        if mode == "broad" and not excluded:
            return build_search(q, mode="exact", fieldnames=_exact_names(fieldnames), schema=schema)
        return BuiltQuery(query.NullQuery)
    return BuiltQuery(_combine(groups, excluded, sentence), tuple(expansion.searched))


def _combine(groups, excluded, sentence) -> query.Query:
    """The AND groups and exclusions of :func:`_parse` as one query (see the module docstring)."""
    plain = [g[0][1] for g in groups if len(g) == 1 and g[0][0] == "word"]
    strict = [g[0][1] if len(g) == 1 else query.Or([c for _, c in g]) for g in groups
              if not (len(g) == 1 and g[0][0] == "word")]
    if not sentence and len(plain) <= MAX_REQUIRED_WORDS:
        strict, optional = strict + plain, []
    else:
        optional = plain

    if strict and optional:
        positive = query.AndMaybe(_all(strict), _any(optional))
    elif strict:
        positive = _all(strict)
    else:
        positive = _any(optional)
    if excluded:
        positive = query.AndNot(positive, excluded[0] if len(excluded) == 1 else query.Or(excluded))
    return positive


def _all(clauses):
    return clauses[0] if len(clauses) == 1 else query.And(clauses)


def _any(clauses):
    """One flat OR over every field term of ``clauses``, matched from preloaded arrays.

    Scores are the same sums as with nested ORs; Whoosh's default binary tree of union matchers
    costs 1.5–2× more on the many-word questions that end up here (tens of thousands of matches).
    """
    leaves = []
    for clause in clauses:
        leaves.extend(clause.subqueries if type(clause) is query.Or else [clause])
    return compound.PreloadedOr(leaves)


def _exact_names(fieldnames):
    if fieldnames is None:
        return None
    pairs = {TITLE_FIELD: TITLE_EXACT_FIELD, TEXT_FIELD: TEXT_EXACT_FIELD}
    return tuple(pairs.get(name, name) for name in fieldnames)

