"""Which name a mention stands for: cleaning spans, in-article resolution, variant keys.

Pure text logic (no Django). The archive-wide step — a short mention linked to a full name only
when one full name owns it overwhelmingly — needs the stored mentions and lives in
:mod:`articles.services.entities`; :func:`owner_of_short_form` is its decision.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from dataclasses import replace
from itertools import product
from typing import Sequence

from articles.entities.base import Span
from articles.entities.lexicons import (
    GENERATION_SUFFIXES,
    GIVEN_NAMES,
    KIN_WORDS,
    NAME_LINKS,
    PLACES,
    ROLE_WORDS,
    RULE_GIVEN_NAMES,
    SAME_PLACES,
)
from articles.entities.rules import is_function_word
from articles.text.keys import entity_key
from articles.text.normalize import DIACRITICS_RE, TATWEEL, normalize, normalize_word

# Letters that attach to a name and are never part of it when what remains is a known name.
_PARTICLES = "وفلبك"
_CONJUNCTION_OR_TO = "ول"
# Words that end a tagged span without being part of the name («دونالد ترامب كالتالي»).
_TRAILING = frozenset(normalize_word(w) for w in "كالتالي أيضا أيضاً حاليا سابقا مؤخرا مجددا".split())
# A name joined to another by a bare «و» («بوتين و ترمب»).
_AND = "و"
# Letters a foreign name is written with one way or another: Sergio «سيرجيو»/«سيرخيو», Guterres
# «غوتيريس»/«غوتيريش», Antonio «أنطونيو»/«أنتونيو», Kalın «كالن»/«قالن». Arab given names do not
# differ by them alone (of the lexicons' only «توني»/«طوني», one name), but places do («الخليل»,
# Hebron, and «الجليل», Galilee), so only people's names fold.
_TRANSLITERATION = {"خ": "ج", "ش": "س", "ط": "ت", "ق": "ك"}
_FOLD_TRANSLITERATION = str.maketrans(_TRANSLITERATION)
_TRANSLITERATION_PAIRS = {letter: (a, b) for a, b in _TRANSLITERATION.items() for letter in (a, b)}
# Archive-wide: the share of the short form's resolved mentions one full name must hold, and how
# many such mentions it needs, before an unresolved short mention is linked to it.
OWNER_SHARE = 0.9
OWNER_MIN_MENTIONS = 3
# A one-word person name that begins this many longer people's names of the archive is a given
# name («روبرت», «ماريو», «كارلوس»): stored alone, it would join them all.
GIVEN_NAME_MIN_NAMES = 3


def _key_words(text: str, kind: str) -> list[str]:
    return entity_key(text, kind).split(":", 1)[1].split()


def variant_key(name: str, kind: str, variants: Callable[[str], str] | None = None) -> str:
    """:func:`entity_key` with each word replaced by its loanword class's first spelling.

    ``variants`` maps a normalised word to its class's representative (itself when it has
    none): «دونالد ترامب» and «دونالد ترمب» meet, «أمريكا» and «أميركا» too. A person's words
    also lose the letters a foreign name is written with either way (:data:`_TRANSLITERATION`):
    «سيرخيو راموس» and «سيرجيو راموس» meet. Without ``variants`` this is the plain key.
    """
    key = entity_key(name, kind)
    if variants is None:
        return key
    prefix, text = key.split(":", 1)
    words = [variants(word) for word in text.split()]
    if kind == "PERS":
        words = [word.translate(_FOLD_TRANSLITERATION) for word in words]
    return f"{prefix}:{' '.join(words)}"


def transliterations(word: str) -> list[str]:
    """``word`` first, then its other spellings by :data:`_TRANSLITERATION`, each such letter
    written either way: «سيرخيو» → «سيرخيو», «سيرجيو», «شيرخيو», «شيرجيو»."""
    options = [_TRANSLITERATION_PAIRS.get(letter, (letter,)) for letter in word]
    forms = ["".join(letters) for letters in product(*options)]
    return [word, *(form for form in forms if form != word)]


def is_given_name_or_title(name: str) -> bool:
    """Whether a person mention is only a given name or a title («عبدالله», «الملك عبد الله»,
    «الرئيس»): what two different people share, so it never decides a link across articles."""
    words = [w for w in (normalize_word(w) for w in name.split()) if w]
    rest = [w for w in words if w not in ROLE_WORDS]
    joined = "".join(rest)
    return not rest or joined in GIVEN_NAMES or (len(rest) == 1 and rest[0] in GIVEN_NAMES) \
        or (len(rest) == 2 and rest[0] in NAME_LINKS and joined in GIVEN_NAMES)


def _strip_particle(word: str, here: Container[str], known: Container[str]) -> str | None:
    """``word`` without one attached particle when the rest is a name and the whole is not
    («لجعفر» → «جعفر», «وترمب» → «ترمب»; «وليد», «بسام», «لسعد» stay). ب ف ك begin many foreign names
    (بنيامين، فرنسوا، كاليفورنيا), so they come off only before a name of the same article
    (``here``) or a given name; و ل also before a name the archive knows (``known``)."""
    norm = normalize_word(word)
    if len(norm) < 4 or norm[0] not in _PARTICLES or norm in GIVEN_NAMES or norm in RULE_GIVEN_NAMES:
        return None
    rest = norm[1:]
    # و/ف come before ب/ل/ك, never after: «لوبيتيجي» is no «ل» + «وبيتيجي», «لوليد» is «ل» + «وليد».
    if norm[0] in "لبك" and rest[0] in "وف" and rest not in GIVEN_NAMES and rest not in here:
        return None
    if rest in GIVEN_NAMES or rest in here or (norm[0] in _CONJUNCTION_OR_TO and rest in known):
        return word[1:]
    return None


def _span_part(span: Span, text: str, offset: int, first: bool) -> Span:
    role = span.role if first else None
    return replace(span, start=span.start + offset, end=span.start + offset + len(text), text=text,
                   role=role, name=None)


def clean_spans(spans: Sequence[Span], known: Container[str] = frozenset()) -> list[Span]:
    """Spans with attached particles cut off names and «X و Y» split into two names.

    ``known`` holds normalised words known to be names (the article's other mentions, the
    archive's entity words); :func:`article_name_words` builds the in-article part. A particle
    is cut only when the rest is known and the whole is not, so «وليد» stays «وليد».
    """
    here = article_name_words(spans)
    cleaned: list[Span] = []
    for span in spans:
        if span.name and span.name != span.text:
            cleaned.append(span)
            continue
        words = span.text.split(" ")
        parts: list[tuple[int, list[str]]] = [(0, [])]
        position = 0
        for i, word in enumerate(words):
            if i and word == _AND:
                parts.append((position + len(word) + 1, []))
            elif i and len(parts[-1][1]) and span.kind == "PERS" and _strip_particle(word, here, known) \
                    and normalize_word(word)[0] in _CONJUNCTION_OR_TO \
                    and normalize_word(words[i - 1]) not in NAME_LINKS:
                # «بوتين وترمب», «محمد بن سلمان لترامب»: a second name behind «و» or «ل».
                parts.append((position + 1, [word[1:]]))
            else:
                parts[-1][1].append(word)
            position += len(word) + 1
        if span.kind == "PERS" and len(parts) == 1 and len(words) == 2:
            parts = _juxtaposed(words, spans) or parts
        for number, (offset, part) in enumerate(parts):
            while len(part) > 1 and normalize_word(part[-1]) in _TRAILING:
                part = part[:-1]
            if len(part) > 2 and normalize_word(part[-1]) == normalize_word(part[-2]):
                part = part[:-1]  # «دونالد ترامب ترامب»
            while len(part) > 1 and (is_function_word(part[0]) or (
                    span.kind == "PERS" and normalize_word(part[0]) in KIN_WORDS)):
                # «على ترمب», «بأن ترامب»; «خطيبة جمال خاشقجي» is not he
                offset += len(part[0]) + 1
                part = part[1:]
            if not part:
                continue
            # An organisation or place loses a particle only before its own name in the article
            # («لرويترز» … «رويترز»): their names begin with و ل ب more often than people's.
            stripped = _strip_particle(part[0], here, known if span.kind == "PERS" else frozenset())
            if stripped is not None and span.kind != "PERS" and normalize_word(stripped) not in here:
                stripped = None
            if stripped is not None:
                part = [stripped, *part[1:]]
                offset += 1
            cleaned.append(_span_part(span, " ".join(part), offset, number == 0)
                           if (offset, part) != (0, words) else span)
    return cleaned


def _juxtaposed(words: list[str], spans: Sequence[Span]) -> list[tuple[int, list[str]]] | None:
    """Two people written side by side as one span, as two parts: «قمة كيم ترامب» (the first
    word begins a longer person name of the article, the second is a word of another),
    «ووصف ترامب أوماروسا», «وحذر صالحي ترامب» (the first word ends a longer name: a surname
    used alone, the name is over). No name of the article may hold both, the pair must be
    written once (a real name recurs) and its first word must be no given name («دونالد
    ترامب» beside «دونالد توسك» and «ميلانيا ترامب» stays whole)."""
    a, b = (normalize_word(w) for w in words)
    names = [[normalize_word(w) for w in s.text.split(" ")] for s in spans if s.kind == "PERS"]
    if a in GIVEN_NAMES or a in RULE_GIVEN_NAMES or names.count([a, b]) > 1:
        return None
    names = [n for n in names if len(n) > 1 and n != [a, b]]
    if any(a in n and b in n for n in names):
        return None
    ends_a_name = any(n[-1] == a for n in names)
    begins_a_name = any(n[0] == a for n in names)
    second_named = any(n[0] == b or n[-1] == b for n in names)
    if ends_a_name or (begins_a_name and second_named):
        return [(0, [words[0]]), (len(words[0]) + 1, [words[1]])]
    return None


def join_hyphenated(spans: Sequence[Span], text: str) -> list[Span]:
    """Spans of ``text`` that stop at a hyphen inside a name carried over it: «مون جاي-إن»
    (Moon Jae-in), not «مون جاي». Only a short syllable (up to four letters) joined without a
    space."""
    out = []
    for span in spans:
        end = span.end
        if text[end:end + 1] == "-" and span.kind == "PERS":
            tail = end + 1
            while tail < len(text) and text[tail].isalpha() and tail - end <= 5:
                tail += 1
            if 1 < tail - end <= 5 and (tail == len(text) or not text[tail].isalpha()):
                span = replace(span, end=tail, text=text[span.start:tail], name=None)
        out.append(span)
    return out


def place_name(name: str) -> str:
    """The name a place is filed under: its everyday name for a formal one («المملكة العربية
    السعودية» → «السعودية»), and the «ـا» spelling of a country written with «ـة» («سورية» →
    «سوريا»; only for a span tagged as a place: «سورية» is also the adjective «Syrian»)."""
    words = tuple(normalize(w) for w in name.split())
    if words in SAME_PLACES:
        return SAME_PLACES[words]
    if len(words) == 1 and words[0].endswith("ه") and (words[0][:-1] + "ا",) in PLACES:
        return name.rstrip()[:-1] + "ا"
    return name


def without_lineage(name: str) -> str | None:
    """A person's name without the «بن/ابن/بنت + father» inside it, or ``None`` when it has
    none or too little is left: «جمال بن أحمد خاشقجي» → «جمال خاشقجي»; «محمد بن سلمان» keeps
    its link (without it only a given name is left), and so does a name with «آل»."""
    words = name.split()
    kept, i = [], 0
    while i < len(words):
        if 0 < i < len(words) - 2 and normalize_word(words[i]) in _LINEAGE:
            i += 2
            continue
        kept.append(words[i])
        i += 1
    # A family name after «آل» is shared by many («حمد بن جاسم آل ثاني», «حمد بن خليفة آل ثاني»):
    # without the father two people would be one.
    if len(kept) == len(words) or len(kept) < 2 or is_given_name_or_title(" ".join(kept)) \
            or any(normalize_word(w) in NAME_LINKS for w in kept):
        return None
    return " ".join(kept)


_LINEAGE = frozenset(normalize_word(w) for w in "بن ابن بنت".split())


def article_name_words(spans: Sequence[Span]) -> set[str]:
    """The normalised words of an article's spans: what :func:`clean_spans` may cut a particle
    down to («وترمب» → «ترمب» when «دونالد ترمب» is in the article)."""
    return {normalize_word(word) for span in spans for word in span.text.split(" ")
            if len(normalize_word(word)) > 2}


def resolve(spans: Sequence[Span], variants: Callable[[str], str] | None = None) -> list[tuple[Span, str]]:
    """Each span with its canonical name inside one article.

    A person mention whose words all occur, in order, in a longer person name of the same
    article links to that name, before or after it: «النجار» → «مصطفى النجار», «دونالد» →
    «دونالد ترمب», «ترامب» → «دونالد ترمب» when ``variants`` folds the spellings. Prefers the
    longest such name and, among equals, the earliest. Organisations and places are not
    shortened («وزارة الصحة» may be another country's) and are their own canonical name, in
    dictionary form (:attr:`Span.name`).
    """
    def words(span: Span) -> list[str]:
        return variant_key(span.text, span.kind, variants).split(":", 1)[1].split()

    full_names: list[tuple[Span, list[str]]] = []
    for span in spans:
        w = words(span)
        if span.kind == "PERS" and len(w) > 1 and not is_given_name_or_title(span.text) \
                and not any(w == other for _, other in full_names):
            full_names.append((span, w))
    result = []
    for span in spans:
        w = words(span)
        best = None
        for candidate, cw in full_names:
            if candidate.kind == span.kind and len(cw) > len(w) and _contains_in_order(cw, w) \
                    and not _other_generation(cw, w):
                if best is None or len(cw) > len(best[1]):
                    best = (candidate, cw)
        result.append((span, best[0].text if best else span.name or span.text))
    return result


def owner_of_short_form(counts: Mapping[str, int]) -> str | None:
    """The full name an unresolved short mention may link to archive-wide, or ``None``.

    ``counts`` says how often the short form was resolved, inside articles, to each full name.
    One name must hold :data:`OWNER_SHARE` of them and at least :data:`OWNER_MIN_MENTIONS`.
    """
    total = sum(counts.values())
    if not total:
        return None
    name, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    return name if count >= OWNER_MIN_MENTIONS and count >= OWNER_SHARE * total else None


def normalize_role(role: str, spelling: Callable[[str], str] | None = None) -> str:
    """One written form per role: diacritics, tatweel and Persian letters folded as search does
    («الأمیرکي» → «الأميركي»), a leading preposition off («للرئيس» → «الرئيس»), prepositions
    between words dropped, and each loanword in its class's spelling (``spelling`` maps a written
    word to it: «الأمريكي» → «الأميركي»). Hamza stays as written; :func:`role_key` groups."""
    out = []
    for word in DIACRITICS_RE.sub("", role).replace(TATWEEL, "").translate(_PERSIAN).split():
        norm = normalize_word(word)
        if not norm or norm in _ROLE_PREPOSITIONS:
            continue
        if norm.startswith("لل") and len(norm) > 4:
            word = "ال" + word[2:]
        elif not out and norm[0] in _PARTICLES and norm[1:3] == "ال" and len(norm) > 4:
            word = word[1:]
        out.append(spelling(word) if spelling else word)
    return " ".join(out)


def role_key(role: str) -> str:
    """What two roles must share to be one: their search normalisation."""
    return normalize(role)


_PERSIAN = str.maketrans({"ی": "ي", "ک": "ك", "ې": "ي", "ە": "ه"})
_ROLE_PREPOSITIONS = frozenset(normalize(w) for w in "ل ب في من إلى على عن".split())


_GENERATION_KEYS = frozenset(tuple(normalize_word(w) for w in p) for p in GENERATION_SUFFIXES)


def _other_generation(longer: list[str], shorter: list[str]) -> bool:
    """Whether ``longer`` names the son (or father) of ``shorter``'s name: «دونالد ترامب جونيور»
    does not take the mentions of «دونالد ترامب»."""
    return any(tuple(longer[-n:]) == suffix and tuple(shorter[-n:]) != suffix
               for suffix in _GENERATION_KEYS for n in (len(suffix),))


def _contains_in_order(longer: list[str], shorter: list[str]) -> bool:
    it = iter(longer)
    return bool(shorter) and all(any(word == x for x in it) for word in shorter)
