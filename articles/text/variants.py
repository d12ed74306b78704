"""Spelling variants of loanwords and foreign names: their skeleton, and mining them from text.

Arabic writes a foreign name several ways: long vowels written or dropped (الأمريكي/الأميركي,
ترامب/ترمب, بوتين/بوتن), one of غ ج ك ق for /g/ (غوغل/جوجل, الكونغرس/الكونجرس), a final ا or
ة (سوريا/سورية), a hamza on one seat or another (مسؤول/مسئول). :func:`skeleton` erases exactly
these differences, so the candidate variants of a word are the words with its skeleton.

A skeleton also collides for native words (كتاب/كتب/كاتب, العالم/العلم), so candidates are only
accepted by :func:`mine_variants` when the archive shows they are one word: both forms are
common, they appear next to the same words (distributional similarity), and one article rarely
uses both - an outlet spells a name one way, whereas a native word and its look-alike (a singular
and its plural, a noun and its verb) turn up together.

Works on words normalised by :func:`articles.text.normalize.normalize`. No Django here.
"""

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from articles.text.normalize import DIACRITICS_RE, TATWEEL, normalize_word
from articles.text.stemmer import STOP_WORDS, light_stem, strip_proclitics
from articles.text.tokens import WORD_RE

# The letters written for a foreign /g/, and the seats of hamza, each folded to one symbol.
_G_LETTERS = "غجكق"
_HAMZA_SEATS = "ءؤئ"
_FOLD = str.maketrans({**dict.fromkeys(_G_LETTERS, "G"), **dict.fromkeys(_HAMZA_SEATS, "ء")})
# Long vowels (after normalisation ا also stands for أ إ آ) are dropped inside a word; the first
# letter stays, because a word-initial ا/و/ي is a consonant or the article.
_LONG_VOWELS = frozenset("اوي")
# A final ا or ة (normalised ه): سوريا/سورية, ليبيا/ليبية.
_FINAL_A = frozenset("اه")

MIN_LETTERS = 4


def skeleton(word: str) -> str:
    """The variant skeleton of a normalised word: equal for the spellings of one loanword.

    /g/ letters and hamza seats fold to one symbol each, a final ا or ه becomes ``A``, and the
    long vowels ا و ي inside the word are dropped (the first and a final و/ي are kept).
    """
    if not word:
        return ""
    folded = word.translate(_FOLD)
    final = ""
    if len(folded) > 2 and folded[-1] in _FINAL_A:
        folded, final = folded[:-1], "A"
    elif len(folded) > 2 and folded[-1] in _LONG_VOWELS:
        # A final و or ي is an ending (nisba, plural, pronoun), not a vowel spelled out.
        folded, final = folded[:-1], folded[-1]
    inner = "".join(letter for letter in folded[1:] if letter not in _LONG_VOWELS)
    return folded[0] + inner + final


@dataclass(frozen=True)
class PairScore:
    """Evidence about two words with one skeleton: document frequencies, the share of the rarer
    one's documents that also hold the other, the cosine of their neighbour counts, and how
    differently the outlets use them (total variation distance of their per-outlet document
    shares, 0 when the documents carry no outlet)."""

    a: str
    b: str
    df_a: int
    df_b: int
    together: float
    similarity: float
    outlets: float = 0.0


@dataclass(frozen=True)
class MinerSettings:
    """Thresholds of :func:`mine_variants` (chosen on the labelled pairs of bench/variant_pairs.tsv)."""

    min_df: int = 5
    max_together: float = 0.1
    min_similarity: float = 0.13
    min_outlets: float = 0.2
    max_group: int = 12
    window: int = 2


# Inflectional endings: two words that differ only in these are one word's forms (لاعبي/لاعبو,
# مرتفعا/مرتفعة, الأرجنتين/الأرجنتيني), never spelling variants - except a name's final يا/ية.
_ENDINGS = frozenset(("", "ا", "ه", "ي", "و", "ون", "ين", "ان", "ات", "وا", "يه", "يا", "يان", "يون", "يين", "تين", "تان"))


def differ_in_ending_only(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` (normalised) differ only in an inflectional ending."""
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    tails = {a[common:], b[common:]}
    if tails in ({"ا", "ه"},) and a[common - 1 : common] == "ي":
        return False
    return all(tail in _ENDINGS for tail in tails)


_PROCLITIC_LETTERS = "وفبكل"


def native_look_alikes(a: str, b: str) -> bool:
    """Pairs the skeleton joins that native morphology explains, whatever the texts say.

    A word and the same word with a particle attached (واصل/وواصل); a verb and its verbal noun
    of the derived forms, which insert ا before the last letter (أسقط/إسقاط, اعتنق/اعتناق); two
    words whose stems begin differently once their particles are off, which is how a verb's
    tenses (وقال/ويقول) and the elative (السابق/الأسبق) differ while a loanword's spellings
    never do; and words the stemmer already conflates (a singular and its broken plural,
    مصدر/مصادر; a dual, سفيرها/سفيريها), which gain nothing from being variants too.
    """
    short, long_ = sorted((a, b), key=len)
    if len(long_) == len(short) + 1 and long_[0] in _PROCLITIC_LETTERS and long_[1:] == short:
        return True
    if short.startswith("ا") and long_ == f"{short[:-1]}ا{short[-1]}":
        return True
    bare_a, bare_b = strip_proclitics(a), strip_proclitics(b)
    if bare_a[:1].translate(_FOLD) != bare_b[:1].translate(_FOLD):
        return True
    return light_stem(a) == light_stem(b)


def is_variant(score: PairScore, settings: MinerSettings) -> bool:
    """Whether the evidence says the two words are spellings of one word.

    They must appear in the same contexts, and either rarely in the same article or in
    clearly different outlets (each outlet keeps to its own spelling of a name).
    """
    if differ_in_ending_only(score.a, score.b) or native_look_alikes(score.a, score.b):
        return False
    if score.similarity < settings.min_similarity:
        return False
    return score.together <= settings.max_together or score.outlets >= settings.min_outlets


def _candidate(word: str) -> bool:
    return len(word) >= MIN_LETTERS and word.isalpha() and word not in STOP_WORDS and not word.isascii()


def _display(word: str) -> str:
    return DIACRITICS_RE.sub("", word).replace(TATWEEL, "")


class Corpus:
    """Documents read once into arrays of word ids: what the miner scores pairs on.

    Keeps, per normalised word, its document frequency and its most frequent written form
    (without diacritics), which is how the lexicon shows it to readers.
    """

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self.docs: list[array] = []
        self.df: Counter = Counter()
        self.outlets: list[str | None] = []
        self._surfaces: dict[int, Counter] = defaultdict(Counter)

    def add(self, text: str, outlet: str | None = None) -> None:
        """Read one document; ``outlet`` (its source, if known) lets the miner see house spellings."""
        ids = self.ids
        words = self.words
        doc = array("I")
        for match in WORD_RE.finditer(text):
            raw = match.group()
            normal = normalize_word(raw)
            if not normal:
                continue
            word_id = ids.get(normal)
            if word_id is None:
                word_id = ids[normal] = len(words)
                words.append(normal)
            doc.append(word_id)
            if len(normal) >= MIN_LETTERS:
                self._surfaces[word_id][raw] += 1
        self.docs.append(doc)
        self.outlets.append(outlet)
        self.df.update(set(doc))

    def surface(self, word: str) -> str:
        """The most frequent written form of a normalised word."""
        forms = Counter()
        for raw, count in self._surfaces.get(self.ids.get(word, -1), {}).items():
            forms[_display(raw)] += count
        return max(forms, key=lambda form: (forms[form], form)) if forms else word

    def __len__(self):
        return len(self.docs)


def candidate_pairs(corpus: Corpus, settings: MinerSettings) -> list[tuple[str, str]]:
    """Pairs of common words that share a skeleton (the most frequent ``max_group`` per skeleton)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for word_id, df in corpus.df.items():
        word = corpus.words[word_id]
        if df >= settings.min_df and _candidate(word):
            groups[skeleton(word)].append(word)
    pairs = []
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda w: (-corpus.df[corpus.ids[w]], w))
        pairs.extend(combinations(members[: settings.max_group], 2))
    return pairs


def score_pairs(corpus: Corpus, pairs, settings: MinerSettings) -> list[PairScore]:
    """Co-occurrence and context similarity of each pair, in one pass over the documents."""
    wanted = {corpus.ids[w] for pair in pairs for w in pair}
    contexts: dict[int, Counter] = {word_id: Counter() for word_id in wanted}
    doc_sets: dict[int, set[int]] = {word_id: set() for word_id in wanted}
    window = settings.window
    # A context is a neighbour at a signed offset, packed into one int: id * stride + slot.
    stride = 2 * window + 1
    for number, doc in enumerate(corpus.docs):
        length = len(doc)
        for position, word_id in enumerate(doc):
            if word_id not in wanted:
                continue
            doc_sets[word_id].add(number)
            counts = contexts[word_id]
            for offset in range(1, window + 1):
                if position >= offset:
                    counts[doc[position - offset] * stride + window - offset] += 1
                if position + offset < length:
                    counts[doc[position + offset] * stride + window + offset] += 1
    weights = _context_weights(corpus, contexts, stride)
    outlet_sizes = Counter(outlet for outlet in corpus.outlets if outlet)
    scores = []
    for a, b in pairs:
        id_a, id_b = corpus.ids[a], corpus.ids[b]
        df_a, df_b = corpus.df[id_a], corpus.df[id_b]
        together = len(doc_sets[id_a] & doc_sets[id_b]) / min(df_a, df_b)
        similarity = _cosine(weights[id_a], weights[id_b])
        outlets = _outlet_distance(corpus, doc_sets[id_a], doc_sets[id_b], outlet_sizes)
        scores.append(PairScore(a, b, df_a, df_b, together, similarity, outlets))
    return scores


def _outlet_distance(corpus: Corpus, docs_a: set[int], docs_b: set[int], sizes: Counter) -> float:
    """Total variation distance of the two words' outlet distributions, each outlet's share
    scaled by its size (a big outlet must not look like a preference). Documents without an
    outlet are left out rather than allowed to cancel the evidence of all the others."""
    if len(sizes) < 2:
        return 0.0

    def shares(docs):
        counts = Counter(corpus.outlets[d] for d in docs if corpus.outlets[d])
        rates = {outlet: counts[outlet] / sizes[outlet] for outlet in sizes}
        total = sum(rates.values()) or 1.0
        return {outlet: rate / total for outlet, rate in rates.items()}

    share_a, share_b = shares(docs_a), shares(docs_b)
    return sum(abs(share_a[o] - share_b[o]) for o in sizes) / 2


def _context_weights(corpus: Corpus, contexts: dict[int, Counter], stride: int) -> dict[int, dict[int, float]]:
    """Neighbour counts weighted by how rare the neighbour is (IDF), so that «في» and «من» next
    to every word do not make every pair look alike."""
    total = len(corpus) or 1
    weighted = {}
    for word_id, counts in contexts.items():
        vector = {}
        for key, count in counts.items():
            idf = math.log(total / (1 + corpus.df.get(key // stride, 0)))
            if idf > 0:
                vector[key] = math.sqrt(count) * idf
        weighted[word_id] = vector
    return weighted


def _cosine(a: dict, b: dict) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(value * b.get(key, 0.0) for key, value in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def variant_classes(accepted: Iterable[PairScore], corpus: Corpus) -> list[list[str]]:
    """Accepted pairs joined into classes of written forms, the most frequent form first."""
    parent: dict[str, str] = {}

    def find(word):
        while parent.setdefault(word, word) != word:
            parent[word] = parent[parent[word]]
            word = parent[word]
        return word

    for score in accepted:
        parent[find(score.a)] = find(score.b)
    classes = defaultdict(list)
    for word in parent:
        classes[find(word)].append(word)
    ordered = []
    for members in classes.values():
        members.sort(key=lambda w: (-corpus.df[corpus.ids[w]], w))
        ordered.append([corpus.surface(w) for w in members])
    return sorted(ordered, key=lambda members: normalize_word(members[0]))


def mine_variants(documents: Iterable[tuple[str, str | None]], settings: MinerSettings = MinerSettings()):
    """``(classes, scores)`` mined from ``(text, outlet)`` documents: classes of written forms
    of one word, and the evidence on every candidate pair (for reports and tuning)."""
    corpus = Corpus()
    for text, outlet in documents:
        corpus.add(text, outlet)
    return mine_corpus(corpus, settings)


def mine_corpus(corpus: Corpus, settings: MinerSettings = MinerSettings()):
    """:func:`mine_variants` on documents already read into a :class:`Corpus`."""
    scores = score_pairs(corpus, candidate_pairs(corpus, settings), settings)
    classes = variant_classes((s for s in scores if is_variant(s, settings)), corpus)
    return classes, scores
