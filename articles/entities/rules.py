"""Rules the builtin extractor applies on top of the CRF's tags, each in place on one sentence's
tags (or, for :func:`propagate_names`, an article's). They act after tagging, so changing them
needs no retraining; docs/entities.md says which are scored and why."""

from __future__ import annotations

from typing import Sequence

from articles.entities.base import bio_spans, is_punct
from articles.entities.features import Gazetteer
from articles.entities.lexicons import (
    BRANCH_ADJECTIVES,
    FACILITY_NOUNS,
    GIVEN_NAMES,
    LOCAL_HEADS,
    LOC_NOUNS,
    NAME_BOUNDARIES,
    NAME_LINKS,
    ORG_ADJECTIVES,
    ORG_HEADS,
    PLACE_PREFIXES,
    PEOPLES,
    PLACES,
    ROLE_WORDS,
    RULE_PLACES,
    SPEECH_VERBS,
    RULE_GIVEN_NAMES,
    TITLES,
    WEAK_ORG_HEADS,
    WORK_NOUNS,
    dictionary_form,
    nisba_shape,
)
from articles.text.normalize import DIACRITICS_RE, normalize_word
from articles.text.stemmer import STOP_WORDS


def continues_org_name(norm: str) -> bool:
    """Whether ``norm`` may continue an institution's name after its complement: a nisba
    adjective that is not itself a place («العربية» yes, «السعودية» no) or an institutional one."""
    bare = nisba_shape(norm)
    if bare is None and norm.startswith("ال") and len(norm) == 5 and norm.endswith("ي"):
        bare = norm  # a short nisba: «للرصد الجوي», «الأمن القومي»
    return (bare is not None and (bare,) not in PLACES) or norm in ORG_ADJECTIVES


def _possessed(norm: str) -> bool:
    """Whether a normalised word ends in a possessive or object pronoun («قيمتها», «تمتلكها»,
    «عائلته»), which no word inside an institution's name has: «شركة تصل قيمتها السوقية» is no
    company's name."""
    return len(norm) > 4 and norm.endswith(("ها", "هم", "هما", "ته"))


def org_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Tag institution names built on an ORG head as ORG, in place.

    Head (وزارة/جهاز/إدارة …, also with و/ب/ل) + up to two bare nouns + a definite noun, then
    definite adjectives or «لل…» complements: «جهاز تنظيم الاتصالات», «الشركة العامة
    للمياه والصرف». A definite head (الإدارة) needs two more words, so «الوزارة» alone is not
    a name. Stops at titles, time words and punctuation.
    """
    norms = [normalize_word(t) for t in tokens]
    i = 0
    while i < len(tokens):
        head = dictionary_form(norms[i])
        definite = head.startswith("ال") and head[2:] in ORG_HEADS
        if not (head in ORG_HEADS or definite):
            i += 1
            continue
        weak = (head[2:] if definite else head) in WEAK_ORG_HEADS
        j = i + 1
        bare_nouns = 0
        while (j < len(tokens) and bare_nouns < 2 and not norms[j].startswith("ال")
               and not is_punct(tokens[j]) and norms[j] not in NAME_BOUNDARIES
               and not norms[j].startswith("لل") and not definite
               and (tags[j] in ("O", "B-ORG", "I-ORG") or _place_in_name(norms, tags, j))
               and not (len(norms[j]) >= 5 and norms[j].endswith("يه"))  # «مؤسسة أوروبية …»
               and not _possessed(norms[j])):
            bare_nouns += 1
            j += 1
        # The complement: a definite noun, or a «لل…» one after a definite head or a bare name
        # («الإدارة العامة للدوريات», «شركة نيل سوفت للحلول الرقمية»).
        if j >= len(tokens) or not (norms[j].startswith("ال") or ((definite or bare_nouns)
                                                                   and norms[j].startswith("لل"))) \
                or norms[j] in NAME_BOUNDARIES or norms[j] in TITLES:
            i += 1
            continue
        j += 1
        # One «و» + definite noun joined to a lone complement: «هيئة الحقيقة والكرامة».
        if j < len(tokens) and not (definite or weak or bare_nouns) and norms[j].startswith("وال") \
                and len(norms[j]) > 5 and norms[j][1:] not in NAME_BOUNDARIES and tags[j] == "O" \
                and (dictionary_form(norms[j]),) not in PLACES:
            j += 1
        # After the complement only words that belong to a name: nisba or institutional
        # adjectives («المصرية», «العامة») and «لل…» complements, possibly joined by «و»
        # («للعلوم والتكنولوجيا»). A further plain noun starts a new phrase: «لجنة التحكيم
        # المخرجة …», «إدارة المهرجان الفيلم …».
        while j < len(tokens) and j - i < 7 and norms[j] not in NAME_BOUNDARIES \
                and norms[j] not in TITLES and not tags[j].endswith(("PERS", "LOC")):
            word = norms[j]
            joined = word[1:] if word.startswith("وال") or word.startswith("ولل") else None
            if continues_org_name(word) or word.startswith("لل") \
                    or (joined and norms[j - 1].startswith("لل")):
                j += 1
            else:
                break
        if (definite or weak) and j - i < 3:
            i += 1
            continue
        # A local branch's name goes on over its place: «الاتحاد الجهوي للشغل بصفاقس», «محكمة
        # الاستئناف بسوسة».
        if j < len(tokens) and norms[j].startswith("ب") and (
                head in LOCAL_HEADS or any(w in BRANCH_ADJECTIVES for w in norms[i:j])):
            prefix = norms[j][1:] in PLACE_PREFIXES and j + 1 < len(tokens) and not is_punct(tokens[j + 1])
            if prefix or tags[j].endswith("LOC") or tags[j] == "I-ORG" or (dictionary_form(norms[j]),) in PLACES:
                j += 2 if prefix else 1
                while j < len(tokens) and tags[j] in ("I-LOC", "I-ORG"):
                    j += 1
        tags[i] = "B-ORG"
        tags[i + 1:j] = ["I-ORG"] * (j - i - 1)
        if j < len(tags) and tags[j].startswith("I-"):
            tags[j] = "B-" + tags[j][2:]
        i = j


def _place_in_name(norms: Sequence[str], tags: Sequence[str], j: int) -> bool:
    """Whether the place tagged at ``j`` is a word of the institution's name: places (one or two)
    between the head and a «لل…» complement («وكالة تونس أفريقيا للأنباء», «شركة مصر للطيران»)."""
    if not tags[j].endswith("LOC"):
        return False
    k = j + 1
    while k < len(norms) and k - j < 2 and tags[k].endswith("LOC"):
        k += 1
    return k < len(norms) and norms[k].startswith("لل") and len(norms[k]) > 4


def place_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Tag curated place names (longest match) in place.

    Only fills names the CRF left untagged: extending its LOC spans cost accuracy on ANERcorp.
    """
    plain = [normalize_word(t) for t in tokens]
    i = 0
    while i < len(tokens):
        first = dictionary_form(plain[i])
        for n in (3, 2, 1):
            words = (first, *plain[i + 1:i + n])
            if i + n <= len(tokens) and words in PLACES \
                    and all(t == "O" for t in tags[i:i + n]):
                tags[i] = "B-LOC"
                tags[i + 1:i + n] = ["I-LOC"] * (n - 1)
                i += n - 1
                break
        i += 1


def place_prefix_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Retag as LOC a person span that is really a place name, in place.

    Two general signs: the span opens with a word that starts place names and never a person's
    given name (:data:`PLACE_PREFIXES`: «سيدي جابر», «عين التينة»), or it comes right after a
    noun that introduces a place (:data:`LOC_NOUNS`: «منطقتي …», «حي …», «شارع …»).
    """
    for kind, a, b in bio_spans(tags):
        if kind != "PERS":
            continue
        first = dictionary_form(normalize_word(tokens[a]))
        before = dictionary_form(normalize_word(tokens[a - 1])) if a else ""
        if first in LOC_NOUNS and b - a > 1:  # «شاطئي كيمادو»: the noun is not the name
            tags[a] = "O"
            a += 1
        elif not ((first in PLACE_PREFIXES and b - a > 1) or before in LOC_NOUNS):
            continue
        tags[a] = "B-LOC"
        tags[a + 1:b] = ["I-LOC"] * (b - a - 1)


def formal_place_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Cut the adjectives of a formal name off a curated place, in place: «جمهورية مصر العربية»
    gives «مصر», the name the archive files it under, unless the whole is curated («الإمارات
    العربية المتحدة»). ANERcorp often tags «مصر العربية» whole, so only ``extract()`` applies it.
    """
    plain = [normalize_word(t) for t in tokens]
    for kind, a, b in bio_spans(tags):
        if kind == "LOC" and b - a > 1 and (dictionary_form(plain[a]),) in PLACES \
                and (dictionary_form(plain[a]), *plain[a + 1:b]) not in PLACES \
                and all(nisba_shape(w) for w in plain[a + 1:b]):
            tags[a + 1:b] = ["O"] * (b - a - 1)


def name_link_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Extend a person over «بن/ابن/بنت/آل + name» links the CRF cut («حمد بن خليفة [آل ثاني]»)."""
    i = 0
    while i < len(tokens) - 2:
        if tags[i].endswith("PERS") and tags[i + 1] == "O" and tags[i + 2] == "O" \
                and normalize_word(tokens[i + 1]) in NAME_LINKS and not is_punct(tokens[i + 2]) \
                and normalize_word(tokens[i + 2]) not in NAME_BOUNDARIES:
            tags[i + 1:i + 3] = ["I-PERS", "I-PERS"]
        i += 1


_PROCLITIC_LETTERS = "وفبلك"


def _forms(norm: str) -> tuple[str, ...]:
    """A normalised word as the lexicons may hold it: in dictionary form, and without one
    attached letter («بمنطقة» → «منطقة», «بسيدي» → «سيدي»), which :func:`dictionary_form`
    keeps for words outside its lists."""
    bare = dictionary_form(norm)
    if len(norm) > 3 and norm[0] in _PROCLITIC_LETTERS:
        return norm, bare, norm[1:]
    return norm, bare


def _is_given_name(norm: str) -> bool:
    return norm in GIVEN_NAMES or norm in RULE_GIVEN_NAMES


# Function words as written that fold into a name once normalised: «على» (on) is «علي», «بأن»
# (that) is «بان» (Ban Ki-moon).
_WRITTEN_PARTICLES = frozenset("بأن لأن وأن فإن بأنه لأنه وإن".split())


def is_function_word(token: str) -> bool:
    """Whether ``token`` as written is a function word that normalises like a name: a stop
    word written with final «ى» («على», «لدى», «إلى») or a particle with its hamza («بأن»)."""
    written = DIACRITICS_RE.sub("", token)
    return written in _WRITTEN_PARTICLES or (written.endswith("ى") and normalize_word(written) in STOP_WORDS)


def _places(words: tuple[str, ...]) -> bool:
    return words in PLACES or words in RULE_PLACES


def kind_rule(tokens: Sequence[str], tags: list[str], gaz: Gazetteer) -> dict[tuple[str, ...], str]:
    """Correct the kind of spans whose words or neighbours say what they are, in place; run on
    an article's tags after :func:`propagate_names`, which copies a wrong kind to every recurrence.

    * A person or organisation that is a curated place once a proclitic is off («بفرنسا»);
      an organisation ends before «ب» + a place («النقابة الأساسية [بسيدي بوزيد]») and before a
      person named after its name («البنك المركزي [الشاذلي العياري]»; not after a title:
      «مستشفى الملك فهد»).
    * A person that opens with a place-name prefix («بسيدي بوزيد») or follows a noun introducing a
      place or a building (:data:`LOC_NOUNS`, :data:`FACILITY_NOUNS`, also with a proclitic:
      «بمنطقة بن قردان», «مستشفى شارل نيكول») is a place; where a given name follows the prefixed
      place, the person starts there («بسيدي بوزيد مختار الجلالي»).
    * A lone curated place shaped like an adjective that the training text mostly uses outside
      entities, right after an indefinite noun, is that adjective («فساد مالي»).
    * A span right after a noun that introduces a programme, a series or a film
      (:data:`WORK_NOUNS`: «برنامج "فلان"») is a title, not a name, unless it is definite
      («برنامج الأمم المتحدة الإنمائي»).

    Returns the phrases (:func:`phrase`) of the people it made places and of the titles, with
    their new kind (``"O"`` for a title), for :func:`apply_kinds` on the rest of the article.
    """
    plain = [normalize_word(t) for t in tokens]
    changed: dict[tuple[str, ...], str] = {}
    for kind, a, b in bio_spans(tags):
        first = dictionary_form(plain[a])
        before = _forms(plain[a - 1]) if a else ()
        named = next((plain[i] for i in range(a - 1, -1, -1) if not is_punct(tokens[i])), "")
        if any(f in WORK_NOUNS for f in _forms(named)) and not first.startswith("ال"):
            changed[phrase(tokens[a:b])] = "O"
            tags[a:b] = ["O"] * (b - a)
            continue
        where = next((i for i in range(a + 1, b) if plain[i].startswith("ب") and (
            (dictionary_form(plain[i]),) in PLACES or (plain[i][1:] in PLACE_PREFIXES and i + 1 < b))), None)
        if kind in ("PERS", "ORG") and _places((first, *plain[a + 1:b])):
            _retag(tags, a, b, "LOC")
        elif kind == "ORG" and where is not None and first not in LOCAL_HEADS \
                and not any(w in BRANCH_ADJECTIVES for w in plain[a:where]):
            _retag(tags, where, b, "LOC")
        elif kind == "ORG" and (person := next((i for i in range(a + 2, b - 1) if _is_given_name(plain[i])
                                                and plain[i - 1] not in ROLE_WORDS
                                                and plain[i - 1] not in NAME_LINKS), None)):
            _retag(tags, person, b, "PERS")
        elif kind == "PERS" and b - a > 1 and any(f in PLACE_PREFIXES for f in _forms(plain[a])):
            split = next((i for i in range(a + 2, b) if _is_given_name(plain[i])), b)
            _retag(tags, a, split, "LOC")
            if split < b:
                _retag(tags, split, b, "PERS")
        elif kind == "PERS" and any(f in LOC_NOUNS or f in FACILITY_NOUNS for f in before):
            _retag(tags, a, b, "LOC")
        elif kind == "LOC" and b - a == 1 and plain[a] == first and plain[a].endswith("ي") \
                and plain[a] in gaz.common and a and tags[a - 1] == "O" and not is_punct(tokens[a - 1]) \
                and not plain[a - 1].startswith("ال") and plain[a - 1] not in NAME_BOUNDARIES \
                and not any(ch.isdigit() for ch in plain[a - 1]):
            tags[a] = "O"
        if kind == "PERS" and tags[a] == "B-LOC":
            end = a + 1
            while end < b and tags[end] == "I-LOC":
                end += 1
            changed[phrase(tokens[a:end])] = "LOC"
    return changed


def phrase(tokens: Sequence[str]) -> tuple[str, ...]:
    """A span's words as its recurrences are compared: the first in dictionary form."""
    plain = [normalize_word(t) for t in tokens]
    return (dictionary_form(plain[0]), *plain[1:])


def apply_kinds(tokens: Sequence[str], tags: list[str], changed: dict[tuple[str, ...], str]) -> None:
    """Give every recurrence of a phrase :func:`kind_rule` corrected elsewhere in the article the
    same kind, in place: «بن قردان» is a place in the whole article once «بمنطقة بن قردان» is,
    and a programme's title is nowhere a name."""
    for kind, a, b in bio_spans(tags):
        new = changed.get(phrase(tokens[a:b]))
        if new == "O":
            tags[a:b] = ["O"] * (b - a)
        elif new and kind == "PERS":
            _retag(tags, a, b, new)


def given_name_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Join a given name to the person it starts, in place: an untagged given name right before
    a person's span («الباجي [قايد السبسي]»: not the last word of «رئيس الجمهورية»), and a given
    name tagged alone as a place or organisation before an untagged word that may be a surname
    («[الهادي] مجدوب»). Not after a noun introducing a place («شارع الهادي شاكر»)."""
    plain = [normalize_word(t) for t in tokens]
    for kind, a, b in bio_spans(tags):
        before = _forms(plain[a - 2]) if a > 1 else ()
        if any(f in LOC_NOUNS or f in FACILITY_NOUNS for f in before):
            continue
        if kind == "PERS" and a and tags[a - 1] == "O" and _is_given_name(plain[a - 1]) \
                and not is_function_word(tokens[a - 1]):
            tags[a - 1:b] = ["B-PERS"] + ["I-PERS"] * (b - a)
        elif kind in ("LOC", "ORG") and b - a == 1 and _is_given_name(plain[a]) and b < len(tokens) \
                and not is_function_word(tokens[a]) \
                and tags[b] == "O" and not is_punct(tokens[b]) and len(plain[b]) > 2 \
                and plain[b] not in NAME_BOUNDARIES and plain[b] not in ROLE_WORDS \
                and not (a and any(f in LOC_NOUNS or f in FACILITY_NOUNS for f in _forms(plain[a - 1]))):
            tags[a:b + 1] = ["B-PERS", "I-PERS"]


# Verbs that follow a name inside one span as the CRF reads it («ترامب طالب», «إدارة ترامب تنوي»),
# beside the first-word verbs of :func:`junk_reason` and the speech verbs.
_MORE_VERBS = frozenset(normalize_word(w) for w in """
استخدم يستخدم تستخدم تنوي ينوي يعتزم تعتزم اعتزم قرر يقرر تقرر قررت وافق يوافق وافقت رفض يرفض رفضت
هدد يهدد هددت حذر يحذر حذرت اتهم يتهم اتهمت وصف يصف وصفت طالبت يطالبون أراد يريد تريد أرادت
قالت أكدت أعلنت أضافت كشفت أوضحت أشارت غرد يغرد غردت كتب يكتب كتبت أبلغ يبلغ أبلغت نفى ينفي نفت
سيلتقي سيزور يسعى تسعى سعى يحاول تحاول حاول يواجه تواجه واجه""".split())


def _is_verb(norm: str) -> bool:
    bare = norm[1:] if len(norm) > 3 and norm[0] in "وف" else norm
    return any(w in _VERBS or w in SPEECH_VERBS or w in _MORE_VERBS for w in (norm, bare))


def verb_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """End a person's or organisation's span before a verb inside it, in place: verbs are no
    names, and what follows the verb is the clause («[ترامب] طالب …», «[إدارة ترامب] تنوي الإبقاء»)."""
    for kind, a, b in bio_spans(tags):
        if kind in ("PERS", "ORG"):
            cut = next((i for i in range(a + 1, b) if _is_verb(normalize_word(tokens[i]))), None)
            if cut is not None:
                tags[cut:b] = ["O"] * (b - cut)


def org_nationality_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Join to an organisation the nisba right after it that is also a place's name, in place:
    «وكالة الأنباء السعودية», «وزارة الخارجية السعودية» are the Saudi agency and ministry, not
    «وكالة الأنباء» beside the country («في السعودية» keeps its preposition and stays a place)."""
    for kind, a, b in bio_spans(tags):
        if kind != "ORG" or b >= len(tokens) or tags[b] not in ("O", "B-LOC") \
                or (b + 1 < len(tags) and tags[b + 1] == "I-LOC"):
            continue
        norm = normalize_word(tokens[b])
        if norm.startswith("ال") and norm.endswith("يه") and len(norm) >= 6 and (norm,) in PLACES:
            tags[b] = "I-ORG"


def club_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Join a one-word organisation to the town right after it, in place: «أتلتيكو مدريد»,
    «بايرن ميونيخ» are clubs the CRF cut into a name and a place. Not an institution head or a
    definite name («الأمم المتحدة سوريا» is no name), nor a place behind a preposition."""
    for kind, a, b in bio_spans(tags):
        if kind == "ORG" and b - a == 1 and b < len(tags) and tags[b] == "B-LOC" \
                and (b + 1 == len(tags) or tags[b + 1] != "I-LOC"):
            norm = normalize_word(tokens[a])
            if not norm.startswith("ال") and dictionary_form(norm) not in ORG_HEADS \
                    and dictionary_form(normalize_word(tokens[b])) == normalize_word(tokens[b]):
                tags[b] = "I-ORG"


def _retag(tags: list[str], a: int, b: int, kind: str) -> None:
    tags[a:b] = ["B-" + kind] + ["I-" + kind] * (b - a - 1)

# Sentences either side; picked by 5-fold CV mean (3: 0.758, 5: 0.764, 10: 0.767, 20: 0.768).
# A news article is shorter, so in extract() this means the whole article.
PROPAGATION_WINDOW = 20


def propagate_names(sentences: list[list[str]], tagged: list[list[str]], gaz: Gazetteer) -> None:
    """Tag untagged recurrences of names tagged elsewhere within the window, in place.

    Words of person names recur alone («وأشار السقاف»); places and organisations recur as the
    same phrase, its first word possibly with another proclitic («القاهرة» … «بالقاهرة»). A single
    word counts only if the training text does not mostly use it outside entities (``common``).
    """
    found: list[set[str]] = []
    phrases: list[dict[tuple[str, ...], str]] = []
    for tokens, tags in zip(sentences, tagged):
        names = set()
        seen = {}
        for kind, a, b in bio_spans(tags):
            first = dictionary_form(normalize_word(tokens[a]))
            if kind in ("ORG", "LOC") and (b - a > 1 or (len(first) > 2 and first not in gaz.common)):
                seen[(first, *(normalize_word(t) for t in tokens[a + 1:b]))] = kind
            if kind == "PERS":
                for tok in tokens[a:b]:
                    bare = dictionary_form(normalize_word(tok))
                    if len(bare) > 2 and bare not in gaz.common and bare not in NAME_LINKS \
                            and bare not in GIVEN_NAMES and bare not in ROLE_WORDS:
                        names.add(bare)
        found.append(names)
        phrases.append(seen)
    for n, (tokens, tags) in enumerate(zip(sentences, tagged)):
        window = slice(max(0, n - PROPAGATION_WINDOW), n + PROPAGATION_WINDOW + 1)
        nearby_phrases = {p: k for seen in phrases[window] for p, k in seen.items()}
        norms = [normalize_word(t) for t in tokens]
        firsts = [dictionary_form(w) for w in norms]
        for phrase, kind in nearby_phrases.items():
            size = len(phrase)
            for i in range(len(tokens) - size + 1):
                if firsts[i] == phrase[0] and tuple(norms[i + 1:i + size]) == phrase[1:] \
                        and all(t == "O" for t in tags[i:i + size]):
                    tags[i:i + size] = ["B-" + kind] + ["I-" + kind] * (size - 1)
        nearby = set().union(*found[window])
        if not nearby:
            continue
        for i, tok in enumerate(tokens):
            if tags[i] == "O" and dictionary_form(normalize_word(tok)) in nearby:
                tags[i] = "I-PERS" if i and tags[i - 1].endswith("PERS") else "B-PERS"


# What is never part of a name: calls and greetings («يا محمد», «مبروك»).
_VOCATIVES = frozenset(normalize_word(w) for w in "يا أيها أيتها مبروك ألف مبارك تهانينا مرحبا شكرا".split())
# Month names no one is called; the Levantine ones that are also names (نيسان the carmaker,
# تموز, آب) count only next to a day or a year.
_MONTHS = frozenset(normalize_word(w) for w in """
يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر جانفي فيفري أفريل
ماي جوان جويلية أوت شتنبر نونبر دجنبر كانون شباط آذار أيار حزيران أيلول تشرين""".split())
_AMBIGUOUS_MONTHS = frozenset(normalize_word(w) for w in "نيسان تموز آب".split())
# Verbs that the tagger sometimes takes for the first word of a name.
_VERBS = frozenset(normalize_word(w) for w in """
قال يقول تقول أكد يؤكد أعلن يعلن أضاف يضيف أوضح يوضح أشار يشير كشف يكشف طالب يطالب دعا يدعو
شارك يشارك زار يزور التقى يلتقي استقبل يستقبل أجرى يجري هنأ يهنئ""".split())


# Latin letters spelled in Arabic: one or two of them alone are a cut initialism («أف أم» of
# «الجوهرة أف أم», «بي سي»), not a name; three («بي بي سي») may be one.
_LETTER_NAMES = frozenset(normalize_word(w) for w in "بي سي دي أف إف إم أم إن تي جي إس إيه إكس واي زد كيو آر أو يو".split())


# What says which body a head names without naming it: «وكالة الأنباء الرسمية» is the official
# agency of whichever country the article is about.
_DESCRIPTORS = frozenset(normalize_word(w) for w in "الرسمية الرسمي الحكومية الحكومي".split())


def junk_reason(span_text: str, before: str = "", after: str = "", kind: str = "") -> str | None:
    """Why a span is not an entity, or ``None``: a call or greeting in it, a month name (an
    ambiguous one only beside a number or the month's other name), a hashtag, a verb for a first word, one or two
    spelled Latin letters, or (``kind`` ORG) only the head of an institution's name («وزارة»,
    «الوزارة») or a head described, not named («وكالة الأنباء الرسمية»), or (ORG, LOC) a people
    («الأكراد»). ``before`` and ``after``
    are the text just around the span."""
    if span_text.startswith("#") or before.rstrip().endswith("#") or "_" in span_text:
        return "hashtag"
    words = [dictionary_form(normalize_word(w)) for w in span_text.split()]
    words = [w for w in words if w]
    if not words:
        return "empty"
    if any(w in _VOCATIVES or (w.startswith("و") and w[1:] in _VOCATIVES) for w in words):
        return "vocative"
    if words[0] in _VERBS or normalize_word(span_text.split()[0]) in _VERBS:
        return "verb"
    if len(words) < 3 and all(normalize_word(w) in _LETTER_NAMES for w in span_text.split()):
        return "initials"
    heads = [w in ORG_HEADS or (w.startswith("ال") and w[2:] in ORG_HEADS) for w in words]
    if kind == "ORG" and all(heads):
        return "head"
    if kind == "ORG" and heads[0] and len(words) > 2 and words[-1] in _DESCRIPTORS:
        return "description"
    if all(w in _MONTHS for w in words):
        return "month"
    if all(w in _AMBIGUOUS_MONTHS for w in words):
        # Beside a day, a year or the month's other name («أبريل نيسان», «نيسان/إبريل»).
        near = f"{before[-8:]} {after[:8]}"
        if any(ch.isdigit() for ch in near) or any(
                dictionary_form(normalize_word(w)) in _MONTHS for w in near.replace("/", " ").split()):
            return "month"
    if kind in ("ORG", "LOC") and len(words) == 1:
        norm = normalize_word(span_text)
        if norm in PEOPLES or (norm.startswith("ل") and "ا" + norm in PEOPLES):  # «لأكراد» of «للأكراد»
            return "people"
    return None
