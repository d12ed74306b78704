"""Named-entity extraction for articles: people (PERS), organisations (ORG) and places (LOC).

Pure Python, no Django models. Two extractors share one interface (:class:`Extractor`):

* ``builtin`` (default): a CRF shipped in ``articles/data/ner-model.crfsuite`` plus rules: curated
  place names, place-name prefixes («سيدي …», «حي …»), «بن/آل» name links, names repeated within
  an article, and (in ``extract()`` only) institution names (وزارة/جهاز/إدارة … + complement).
  Needs no download. Rebuild it with ``python manage.py train_ner`` (logic in
  :mod:`articles.ner_training`); ``docs/entities.md`` has the figures and how they were made.
* ``camel``: camel-tools' BERT recogniser, used only when its data is installed; otherwise
  :func:`get_extractor` logs one warning and returns the builtin extractor.

Also here: :func:`entity_key` (the key that merges spelling variants of one entity),
:func:`resolve` (short mentions → the full name introduced earlier in the same article) and
:func:`evaluate` (entity-level exact-match scoring used by ``manage.py ner_eval``).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol, Sequence

from articles.text.keys import entity_key
from articles.text.normalize import normalize

logger = logging.getLogger(__name__)

KINDS = ("PERS", "ORG", "LOC")
DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_MODEL_PATH = DATA_DIR / "ner-model.crfsuite"


def gazetteer_path(model_path: Path) -> Path:
    """Where the entity strings memorised at training time are stored next to a CRF model."""
    return Path(model_path).with_suffix(".entities.json")


# ---------------------------------------------------------------------------------------------
# Lexicons. Written in their usual spelling; compared after `normalize`, so hamza, ى/ي and ة/ه
# variants all match.
# ---------------------------------------------------------------------------------------------

def _words(text: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in text.split())


def _phrases(text: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(normalize(w) for w in p.split()) for p in text.split("|") if p.strip())


PLACES = _phrases("""
مصر|السعودية|المملكة العربية السعودية|ليبيا|تونس|الجزائر|المغرب|موريتانيا|السودان|جنوب السودان|اليمن|
عمان|سلطنة عمان|قطر|البحرين|الكويت|الإمارات|الإمارات العربية المتحدة|العراق|سوريا|سورية|لبنان|الأردن|
فلسطين|الصومال|جيبوتي|جزر القمر|أمريكا|أميركا|الولايات المتحدة|بريطانيا|المملكة المتحدة|فرنسا|ألمانيا|
إيطاليا|إسبانيا|البرتغال|روسيا|الصين|اليابان|الهند|باكستان|أفغانستان|إيران|تركيا|إسرائيل|كندا|البرازيل|
الأرجنتين|المكسيك|أستراليا|هولندا|بلجيكا|سويسرا|النمسا|السويد|النرويج|الدنمارك|فنلندا|بولندا|اليونان|
أوكرانيا|كوريا|كوريا الشمالية|كوريا الجنوبية|إندونيسيا|ماليزيا|الفلبين|تايلاند|فيتنام|نيجيريا|إثيوبيا|
كينيا|تشاد|النيجر|مالي|السنغال|بوركينا فاسو|ساحل العاج|غانا|الكاميرون|إريتريا|أوغندا|تنزانيا|
جنوب أفريقيا|أوروبا|آسيا|أفريقيا|إفريقيا|القاهرة|الإسكندرية|الجيزة|أسوان|الأقصر|بورسعيد|السويس|الرياض|
جدة|مكة|مكة المكرمة|المدينة المنورة|دبي|أبوظبي|أبو ظبي|الشارقة|الدوحة|المنامة|مسقط|صنعاء|عدن|تعز|الحديدة|
بغداد|البصرة|الموصل|أربيل|كركوك|دمشق|حلب|حمص|حماة|اللاذقية|درعا|إدلب|بيروت|صيدا|طرابلس|عمّان|القدس|
غزة|رام الله|الخليل|نابلس|جنين|الضفة الغربية|قطاع غزة|بنغازي|مصراتة|سرت|طبرق|سبها|درنة|الزاوية|الكفرة|
صفاقس|سوسة|القيروان|وهران|قسنطينة|الرباط|الدار البيضاء|فاس|مراكش|طنجة|نواكشوط|الخرطوم|أم درمان|دارفور|
مقديشو|واشنطن|نيويورك|لندن|باريس|برلين|روما|مدريد|موسكو|بكين|طوكيو|طهران|أنقرة|إسطنبول|اسطنبول|كابول|
إسلام آباد|نيودلهي|بروكسل|جنيف|فيينا|أمستردام|أثينا|وارسو|كييف|تل أبيب|واغادوغو|نيامي|باماكو|داكار|
أديس أبابا|نيروبي|لاغوس|أبوجا|نجامينا|الشرق الأوسط|الخليج|سيناء|الجولان
""")
PLACE_WORDS = frozenset(w for p in PLACES for w in p)

GIVEN_NAMES = _words("""
محمد أحمد محمود مصطفى علي عمر عثمان حسن حسين خالد إبراهيم يوسف يونس موسى عيسى سليمان داود صالح
سالم سعيد سعد فهد فيصل سلطان عادل عماد عصام أسامة فرج طارق ماجد مجدي هشام وليد ياسر ياسين زياد نبيل
جمال كمال حمدي رامي سامي سمير منير رشيد رياض ناصر منصور جعفر حمزة بشار حافظ صدام معمر هاني عمرو أيمن
أنور نجيب نادر شريف توفيق عزت رفعت فاروق مروان مهدي نوري إياد جلال بلال حازم باسم حسام رائد شادي عبدالله
عبدالرحمن عبدالعزيز عبدالفتاح عبدالمجيد جورج ميشال ميشيل جان بيار بيير توني جون جيمس دونالد باراك بيل
ديفيد مايكل فلاديمير نيكولا إيمانويل أنجيلا كوفي بان جاك توماس بول بطرس فاطمة عائشة مريم زينب خديجة
سارة ليلى نادية هدى منى سلمى هند رانيا سميرة أمل نوال سعاد لطيفة
أكرم أشرف إسماعيل إسلام إيهاب أنس أيوب بدر بكر بسام ثامر جابر جاسم جواد حاتم حامد حمد حميد خليل
رضا رمضان زكريا زكي سامر سلمان سليم شاكر صابر صلاح ضياء طلال طه عاطف عامر عبدالحق عبدالسلام
عبدالكريم عبدالحميد عبدالرحيم عبدالقادر عبدالناصر عبداللطيف عبدالوهاب عدنان عرفات علاء غازي غسان
فادي فارس فتحي فراس فؤاد قاسم كريم لؤي ماهر مالك مأمون مبارك مجيد مراد مصعب معاذ مختار مهند
مؤيد نايف نزار نصر نعيم نواف هيثم وائل وسام وجدي يحيى يزيد راشد حمدان زايد تميم مشعل بندر تركي
عبدالملك إلياس إيلي شربل طوني ميشال سمعان بطرس أنطوان جوزيف إدريس مولاي عزيز الحسن الحسين
أسماء آمنة إيمان بسمة جميلة حنان حياة خلود دعاء رشا رنا ريم زهرة سناء سهام شيماء صفاء عبير علياء
غادة فدوى لبنى لمياء مها ميساء نجلاء نسرين نهى نور هالة وفاء ياسمين يسرى
""")

# Titles and ranks that sit right before a name: «اللواء عصام أبوزريبة», «الوكيل فرج اقعيم».
TITLES = _words("""
السيد السيدة الرئيس الرئيسة الملك الملكة الأمير الأميرة الشيخ الشيخة اللواء الفريق العقيد العميد
المقدم الرائد النقيب المشير الجنرال الدكتور الدكتورة د. المهندس الأستاذ الحاج الإمام القاضي المستشار
الوكيل الوزير الوزيرة السفير النائب المدير المتحدث الناطق البابا المطران الأب السلطان ولي العاهل
المبعوث المندوب الزعيم القائد الأمين المحافظ
""")
# Heads of an office title that continues with a complement: «وزير الداخلية», «رئيس جهاز …».
OFFICES = _words("""
رئيس رئيسة وزير وزيرة مدير مديرة أمين نائب سفير قائد محافظ عمدة مستشار مساعد وكيل ملك أمير ناطق متحدث
مندوب ممثل مبعوث زعيم رئيسا وزيرا مديرا
""")
ROLE_WORDS = TITLES | OFFICES

# Heads of institution names; with a genitive complement they form an ORG («جهاز البحث الجنائي»).
ORG_HEADS = _words("""
وزارة جهاز إدارة هيئة مجلس منظمة وكالة شركة جامعة اتحاد جمعية مؤسسة مديرية نقابة محكمة حزب حركة جبهة
لجنة بنك مصرف صندوق معهد مصلحة
""")
# Words that end a name or an office title: prepositions, conjunction-like particles, time words.
STOP_WORDS = _words("""
في من على إلى الى عن مع أن إن لا لم لن ما قد كان كانت هو هي هذا هذه ذلك تلك التي الذي الذين خلال بين
عند حتى منذ بعد قبل أمس اليوم غدا الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الماضي الماضية
المقبل المقبلة الحالي الحالية الجاري أيضا كما وقد وكان حيث أو أي كل
""")
SPEECH_VERBS = _words("""
قال وقال أعلن وأعلن أكد وأكد أضاف وأضاف صرح وصرح أوضح وأوضح أشار وأشار ذكر وذكر أعرب وأعرب دعا ودعا
استقبل واستقبل التقى والتقى بحث وبحث
""")

# Words that glue the parts of one person's name: «حمد بن خليفة آل ثاني», «أبو زريبة».
NAME_LINKS = _words("بن ابن بنت آل أبو أبي عبد ولد")

# First words of place names that look like a person's name when the CRF sees only the next word:
# «سيدي بوزيد», «عين التينة», «بئر السبع», «وادي حضرموت», «جبل الشيخ», «رأس الخيمة».
PLACE_PREFIXES = _words("سيدي عين بئر وادي جبل رأس تل")
# Nouns that introduce a place's name: «منطقتي سيدي جابر», «حي الزيتون», «شارع أبو قير».
LOC_NOUNS = _words("""
منطقة منطقتي مناطق حي أحياء شارع ميدان مدينة مدينتي بلدة قرية قريتي محافظة محافظتي ولاية ولايتي
مخيم ضاحية جزيرة بحيرة نهر ساحة طريق إقليم مقاطعة شاطئ شاطئي شواطئ
""")
# Words that typically end an institution's name: «وكالة الشرق الأوسط للأنباء», «… للتنمية».
ORG_SUFFIXES = _words("""
للأنباء للتنمية للإغاثة للطيران للنفط للبترول للاتصالات للإعلام للصحافة للسلام لحقوق للإحصاء
للدراسات للبحوث للأبحاث للتجارة للاستثمار للصناعة للطاقة للكهرباء للمياه للتعليم للثقافة للعلوم
للتكنولوجيا للتأمين للنقل للتدريب للتربية للرياضة للشباب للمرأة للطفولة للاجئين للأمم للتعاون
""")
# Non-nisba adjectives that continue an institution's name: «الإدارة العامة», «المجلس الأعلى».
ORG_ADJECTIVES = _words("""
العامة العام العليا الأعلى المتحدة الكبرى الموحدة المستقلة المشتركة الدائمة المؤقتة الجديد الجديدة
الحر الحرة الأهلية
""")
# Heads that also make common phrases («حركة المرور», «لجنة التحكيم», «إدارة المهرجان»): the
# institution-name rule needs a longer complement after them.
WEAK_ORG_HEADS = _words("إدارة حركة لجنة صندوق جبهة مصلحة")

_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")


@functools.lru_cache(maxsize=200_000)
def _norm(token: str) -> str:
    return normalize(token)


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """``word`` (normalised) without a leading conjunction, preposition and article.

    Strips only when a plausible stem (≥ 2 letters) remains, so وزارة keeps its و.
    """
    w = word
    if len(w) > 3 and w[0] in _CONJ:
        w = w[1:]
    if len(w) > 3 and w.startswith("لل"):
        return w[2:]
    if len(w) > 3 and w[0] in _PREP and w[1:3] == "ال":
        w = w[1:]
    if len(w) > 3 and w.startswith("ال"):
        w = w[2:]
    return w


def _strip_proclitics(word: str) -> str:
    """``word`` (normalised) without و/ف/ب/ل/ك proclitics but keeping ال: the dictionary form."""
    if word in PLACE_WORDS or word in ROLE_WORDS or word in ORG_HEADS or word in GIVEN_NAMES:
        return word
    w = word
    if len(w) > 3 and w[0] in _CONJ:
        w = w[1:]
    if len(w) > 3 and w.startswith("لل"):
        return "ال" + w[2:]
    if len(w) > 3 and w[0] in _PREP and (w[1:3] == "ال" or w[1:] in PLACE_WORDS or w[1:] in ORG_HEADS):
        w = w[1:]
    return w


# ---------------------------------------------------------------------------------------------
# Tokenising raw text
# ---------------------------------------------------------------------------------------------

# Letters, digits, Arabic marks, tatweel and invisible joiners stay inside a word; every other
# visible character is a token of its own.
_TOKEN_RE = re.compile(
    r"[\w\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200c\u200d]+(?:[.,٫][0-9٠-٩]+)*%?|\S"
)
SENTENCE_END = frozenset({".", "؟", "!", "?"})
QUOTES = frozenset('"\'«»“”‘’')


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every word and punctuation mark in ``text``."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _sentences(text: str) -> Iterable[list[tuple[str, int, int]]]:
    """Tokens of ``text`` grouped by sentence: a line break also ends one (titles, bylines)."""
    offset = 0
    for line in text.splitlines(keepends=True):
        sentence: list[tuple[str, int, int]] = []
        for tok, start, end in tokenize(line):
            sentence.append((tok, start + offset, end + offset))
            if tok in SENTENCE_END:
                yield sentence
                sentence = []
        if sentence:
            yield sentence
        offset += len(line)


# ---------------------------------------------------------------------------------------------
# Public interface
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """One entity mention.

    ``start``/``end`` are character offsets into the text given to ``extract()`` and
    ``text == source[start:end]``. ``role`` is the title or office that introduces a person
    («وزير الداخلية اللواء»), ``None`` for other kinds or when there is none. ``name`` is the
    dictionary form when writing hides it: «للقاهرة» gives text «لقاهرة», name «القاهرة».
    """

    kind: str
    start: int
    end: int
    text: str
    role: str | None = None
    name: str | None = None


class Extractor(Protocol):
    """What every extractor offers."""

    name: str

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags (``B-PERS``, ``I-ORG``, ``O`` …), one per token of one sentence."""

    def extract(self, text: str) -> list[Span]:
        """Entity spans, in text order, found in raw article text."""


def bio_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """``(kind, first, last + 1)`` token ranges from BIO tags; a stray ``I-`` starts an entity."""
    spans = []
    kind, start = None, 0
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, label = tag.partition("-")
        if kind is not None and (prefix != "I" or label != kind):
            spans.append((kind, start, i))
            kind = None
        if prefix in ("B", "I") and kind is None:
            kind, start = label, i
    return spans


class _TaggingExtractor:
    """Shared ``extract()``: tokenise by sentence, ``tag()`` each, turn tags into Spans."""

    name = "base"

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags for one sentence; each extractor supplies its own."""
        raise NotImplementedError

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """Tags for many sentences; subclasses batch when that is faster."""
        return [self.tag(s) for s in sentences]

    def article_tags(self, sentences: list[list[str]]) -> list[list[str]]:
        """Tags that ``extract()`` turns into spans; by default those of :meth:`tag_sentences`."""
        return self.tag_sentences(sentences)

    def extract(self, text: str) -> list[Span]:
        """Entity spans found in ``text`` (see :class:`Span`)."""
        sentences = [s for s in _sentences(text) if s]
        all_tags = self.article_tags([[t for t, _, _ in s] for s in sentences])
        spans = []
        for sentence, tags in zip(sentences, all_tags):
            words = [t for t, _, _ in sentence]
            for kind, first, last in bio_spans(tags):
                if kind not in KINDS:
                    continue
                cut, elided = _proclitic_cut(words[first], kind)
                first_start = sentence[first][1] + cut
                end = sentence[last - 1][2]
                first_start, end = _trim_quotes(text, first_start, end)
                if first_start >= end:
                    continue
                role = _role(words, tags, first, last) if kind == "PERS" else None
                surface = text[first_start:end]
                name = "ا" + surface if elided and cut else None
                spans.append(Span(kind, first_start, end, surface, role, name))
        return spans


def _proclitic_cut(token: str, kind: str) -> tuple[int, bool]:
    """Leading clitic letters to leave out of an entity's first token, and whether the article's
    alef is elided there: وجهاز → (1, False), للقاهرة → (1, True) giving «لقاهرة» = «القاهرة».

    Cuts only when what remains is a known place, institution head, given name or title, or a
    definite noun, so «وليد» or «فالنسيا» stay whole.
    """
    norm = _norm(token)
    if len(norm) != len(token):
        return 0, False  # diacritics or ligatures: offsets would not line up; keep the token whole
    bare = _strip_proclitics(norm)
    if bare == norm or len(bare) < 2:
        return 0, False
    elided = bare.startswith("ال") and not norm.endswith(bare)
    known = (bare in PLACE_WORDS or bare in ORG_HEADS or bare in GIVEN_NAMES or bare in ROLE_WORDS
             or (bare.startswith("ال") and kind != "PERS"))
    if not known:
        return 0, False
    return len(norm) - len(bare) + elided, elided


def _trim_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not (text[start].isalnum()):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "%"):
        end -= 1
    return start, end


def _is_role_word(token: str) -> bool:
    norm = _norm(token)
    return norm in ROLE_WORDS or _strip_proclitics(norm) in ROLE_WORDS


def _role(words: list[str], tags: list[str], first: int, last: int) -> str | None:
    """The title/office words that introduce the person at ``words[first:last]``.

    Before the name: walk back (at most 8 words) over titles, office heads, ORG/LOC tokens and
    definite words («وزير الداخلية اللواء»); the role starts at the earliest office/title word
    reached, so «برئاسة», a comma or another person bound it. Failing that, an apposition after a dash
    («محمدو سانا – وزير الأمن بجمهورية بوركينا فاسو») up to the next punctuation.
    """
    start = None
    i = first - 1
    while i >= 0 and words[i] in QUOTES:  # «اللواء “أبوزريبة”»
        i -= 1
    first = i + 1
    while i >= 0 and first - i <= 8:
        norm = _norm(words[i])
        bare = _strip_proclitics(norm)
        if _is_role_word(words[i]):
            start = i
        elif norm in STOP_WORDS or tags[i].endswith("PERS") or not (
                tags[i] != "O" or norm.startswith("ال") or bare.startswith("ال")):
            break  # another person's name is not this one's title
        i -= 1
    if start is not None:
        role_words = words[start:first]
        role_words[0] = _drop_clitic(role_words[0])
        return " ".join(role_words)
    if last + 1 < len(words) and words[last] in ("-", "–", "—") and _is_role_word(words[last + 1]):
        end = last + 1
        while end < len(words) and end - last <= 8 and not _is_punct(words[end]) \
                and _norm(words[end]) not in STOP_WORDS:
            end += 1
        return " ".join(words[last + 1:end])
    return None


def _drop_clitic(token: str) -> str:
    norm = _norm(token)
    if len(norm) == len(token) and _strip_proclitics(norm) in ROLE_WORDS and norm not in ROLE_WORDS:
        return token[len(norm) - len(_strip_proclitics(norm)):]
    return token


def _is_punct(token: str) -> bool:
    return not any(c.isalnum() for c in token)


# ---------------------------------------------------------------------------------------------
# Features for the CRF (shared by training and tagging)
# ---------------------------------------------------------------------------------------------

def _shape(token: str) -> str:
    if len(token) > 1 and token.isascii() and token.isalpha() and token.isupper():
        return "acronym"
    if token.isdigit():
        return "digit"
    if any(c.isdigit() for c in token):
        return "hasdigit"
    if any("a" <= c.lower() <= "z" for c in token):
        return "latin"
    if _is_punct(token):
        return "punct"
    return "ar"


class Gazetteer:
    """What the CRF's lexical features look up, saved beside the model (``.entities.json``).

    ``words`` maps a normalised word to the label it most often carries in training text when that
    label is an entity one (``PERS``/``LOC``/``ORG``/``MISC``); ``phrases`` holds whole
    multi-word entity strings for longest-match lookup; ``common`` the words seen at least twice
    and mostly outside entities; ``clusters`` word classes learned from unlabelled news
    (:func:`articles.ner_training.word_clusters`).
    """

    MAX_LEN = 5

    def __init__(self, words: dict[str, str], phrases: dict[tuple[str, ...], str],
                 common: frozenset[str] = frozenset(), clusters: dict[str, list[int]] | None = None):
        self.words = words
        self.phrases = phrases
        self.common = common
        self.clusters = clusters or {}

    def cluster(self, norm: str) -> list[int] | None:
        """Word classes of a normalised word (or of its clitic-stripped forms) if it has any."""
        return (self.clusters.get(norm) or self.clusters.get(_strip_proclitics(norm))
                or self.clusters.get(_stem(norm)))

    @classmethod
    def from_sentences(cls, sentences: Iterable[Sequence[tuple[str, str]]]) -> "Gazetteer":
        """Memorise the entities of labelled sentences (``(token, tag)`` pairs)."""
        counts: dict[str, dict[str, int]] = {}
        phrases: dict[tuple[str, ...], dict[str, int]] = {}
        for sentence in sentences:
            tokens = [_norm(t) for t, _ in sentence]
            tags = [tag for _, tag in sentence]
            for tok, tag in zip(tokens, tags):
                label = tag.partition("-")[2] or "O"
                for key in {tok, _stem(tok)}:
                    counts.setdefault(key, {}).setdefault(label, 0)
                    counts[key][label] += 1
            for kind, a, b in bio_spans(tags):
                if b - a <= cls.MAX_LEN:
                    phrase = tuple(tokens[a:b])
                    phrases.setdefault(phrase, {}).setdefault(kind, 0)
                    phrases[phrase][kind] += 1
        words = {}
        common = set()
        for word, by_label in counts.items():
            label, n = max(by_label.items(), key=lambda kv: kv[1])
            if label != "O" and n * 2 > sum(by_label.values()):
                words[word] = label
            elif label == "O" and n >= 2:
                common.add(word)
        phrase_kinds = {p: max(k.items(), key=lambda kv: kv[1])[0] for p, k in phrases.items()}
        return cls(words, phrase_kinds, frozenset(common))

    def to_json(self) -> dict:
        """A JSON-serialisable form (see :meth:`from_json`)."""
        return {"words": self.words, "phrases": [[" ".join(p), k] for p, k in self.phrases.items()],
                "common": sorted(self.common), "clusters": self.clusters}

    @classmethod
    def from_json(cls, data: dict) -> "Gazetteer":
        """Inverse of :meth:`to_json`."""
        return cls(data["words"], {tuple(p.split(" ")): k for p, k in data["phrases"]},
                   frozenset(data["common"]), data.get("clusters"))

    def match(self, norms: list[str]) -> list[str]:
        """BIO tags of the longest memorised phrases in ``norms`` (normalised tokens)."""
        tags = ["O"] * len(norms)
        stems = [_strip_proclitics(n) for n in norms]
        i = 0
        while i < len(norms):
            for n in range(min(self.MAX_LEN, len(norms) - i), 0, -1):
                kind = self.phrases.get(tuple(norms[i:i + n]))
                if kind is None:
                    kind = self.phrases.get((stems[i], *norms[i + 1:i + n]))
                if kind is not None:
                    tags[i] = "B-" + kind
                    tags[i + 1:i + n] = ["I-" + kind] * (n - 1)
                    i += n
                    break
            else:
                i += 1
        return tags


def _nisba_shape(norm: str) -> str | None:
    """``norm`` without «و» if it is shaped like a definite relative adjective (ال…ي/ال…ية)."""
    bare = norm[1:] if norm.startswith("وال") else norm  # «والمصرية», not «بالإسكندرية»
    if bare.startswith("ال") and len(bare) >= 6 and (bare.endswith("يه") or bare.endswith("ي")):
        return bare
    return None


def _is_nisba(norm: str) -> bool:
    """A definite relative adjective: «المصرية», «الوطني»; not «للسباحة» nor a word of a curated
    place name («الإسكندرية», also «العربية» of «الإمارات العربية المتحدة»: a CRF feature)."""
    bare = _nisba_shape(norm)
    return bare is not None and bare not in PLACE_WORDS


def _continues_org_name(norm: str) -> bool:
    """Whether ``norm`` may continue an institution's name after its complement: a nisba
    adjective that is not itself a place («العربية» yes, «السعودية» no) or an institutional one."""
    bare = _nisba_shape(norm)
    return (bare is not None and (bare,) not in PLACES) or norm in ORG_ADJECTIVES


def _token_flags(norm: str, gaz: Gazetteer) -> list[str]:
    bare = _strip_proclitics(norm)
    stem = _stem(norm)
    flags = []
    if bare in PLACE_WORDS or stem in PLACE_WORDS or ("ال" + stem) in PLACE_WORDS:
        flags.append("place")
    if bare in GIVEN_NAMES:
        flags.append("given")
    if bare in TITLES:
        flags.append("title")
    if bare in OFFICES:
        flags.append("office")
    if bare in ORG_HEADS or _strip_proclitics(stem) in ORG_HEADS:
        flags.append("orghead")
    if norm in SPEECH_VERBS:
        flags.append("speech")
    if norm in STOP_WORDS:
        flags.append("stop")
    if bare in NAME_LINKS:
        flags.append("link")
    if bare in PLACE_PREFIXES:
        flags.append("placepre")
    if bare in LOC_NOUNS:
        flags.append("locnoun")
    if norm in ORG_SUFFIXES or bare in ORG_SUFFIXES:
        flags.append("orgsuf")
    if _is_nisba(norm):
        flags.append("nisba")
    label = gaz.words.get(norm) or gaz.words.get(stem)
    if label:
        flags.append("mem=" + label)
    elif norm in gaz.common or stem in gaz.common:
        flags.append("common")
    else:
        flags.append("rare")
    return flags


def sentence_features(tokens: Sequence[str], gaz: Gazetteer) -> list[list[str]]:
    """CRF attributes for each token of one sentence."""
    norms = [_norm(t) for t in tokens]
    stems = [_stem(n) for n in norms]
    flags = [_token_flags(n, gaz) for n in norms]
    phrase_tags = gaz.match(norms)
    classes = [[f"c{k}={c}" for k, c in enumerate(gaz.cluster(w) or [])] for w in norms]
    n = len(tokens)
    speech = [i for i, fl in enumerate(flags) if "speech" in fl]
    heads = [i for i, fl in enumerate(flags) if "orghead" in fl]
    feats = []
    for i, (tok, w, s) in enumerate(zip(tokens, norms, stems)):
        f = [
            "b", "w=" + w, "s=" + s, "shape=" + _shape(tok), "len=" + str(min(len(s), 8)),
            "p2=" + s[:2], "p3=" + s[:3], "x2=" + s[-2:], "x3=" + s[-3:], "x1=" + s[-1:],
            "p4=" + s[:4], "x4=" + s[-4:],
            "al=" + str(w.startswith("ال") or s != w), "pre=" + w[: len(w) - len(s)],
            "gz=" + phrase_tags[i],
        ]
        f.extend("f=" + x for x in flags[i])
        f.extend(classes[i])
        # Context that does not depend on the previous tag: a speech verb near the word
        # («قال … فلان», «فلان … أكد»), an institution head a few words back, and whether the
        # words since that head form a genitive/adjective chain («وكالة الأنباء المصرية»).
        if any(0 < i - j <= 3 for j in speech):
            f.append("spk<")
        if any(0 < j - i <= 3 for j in speech):
            f.append("spk>")
        back = [j for j in heads if 0 < i - j <= 4]
        if back:
            f.append("orgctx")
            j = max(back)
            if all(norms[k].startswith(("ال", "لل")) for k in range(j + 1, i + 1)):
                f.append("orgchain")
                if "nisba" in flags[i]:
                    f.append("orgchain-nisba")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"{d}w={norms[j]}")
                f.append(f"{d}s={stems[j]}")
                f.extend(f"{d}f={x}" for x in flags[j])
                if d in (-1, 1):
                    f.append(f"{d}gz={phrase_tags[j]}")
                    f.extend(f"{d}{c}" for c in classes[j])
            else:
                f.append(f"{d}w=<pad>")
        if i > 0:
            f.append(f"bg-={norms[i - 1]}|{w}")
        if i + 1 < n:
            f.append(f"bg+={w}|{norms[i + 1]}")
        feats.append(f)
    return feats


# ---------------------------------------------------------------------------------------------
# Rules applied on top of the CRF
# ---------------------------------------------------------------------------------------------

def _org_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Tag institution names built on an ORG head as ORG, in place.

    Head (وزارة/جهاز/إدارة …, also with و/ب/ل) + up to two bare nouns + a definite noun, then
    definite adjectives or «لل…» complements: «جهاز مكافحة المخدرات», «الإدارة العامة
    للدوريات الصحراوية». A definite head (الإدارة) needs two more words, so «الوزارة» alone is not
    a name. Stops at titles, time words and punctuation.
    """
    norms = [_norm(t) for t in tokens]
    i = 0
    while i < len(tokens):
        head = _strip_proclitics(norms[i])
        definite = head.startswith("ال") and head[2:] in ORG_HEADS
        if not (head in ORG_HEADS or definite):
            i += 1
            continue
        weak = (head[2:] if definite else head) in WEAK_ORG_HEADS
        j = i + 1
        bare_nouns = 0
        while (j < len(tokens) and bare_nouns < 2 and not norms[j].startswith("ال")
               and not _is_punct(tokens[j]) and norms[j] not in STOP_WORDS
               and not norms[j].startswith("لل") and not definite and tags[j] in ("O", "B-ORG", "I-ORG")
               and not (len(norms[j]) >= 5 and norms[j].endswith("يه"))):  # «مؤسسة أوروبية …»
            bare_nouns += 1
            j += 1
        # The complement: a definite noun, or a «لل…» one after a definite head or a bare name
        # («الإدارة العامة للدوريات», «شركة نيل سوفت للحلول الرقمية»).
        if j >= len(tokens) or not (norms[j].startswith("ال") or ((definite or bare_nouns)
                                                                   and norms[j].startswith("لل"))) \
                or norms[j] in STOP_WORDS or norms[j] in TITLES:
            i += 1
            continue
        j += 1
        # After the complement only words that belong to a name: nisba or institutional
        # adjectives («المصرية», «العامة») and «لل…» complements, possibly joined by «و»
        # («للعلوم والتكنولوجيا»). A further plain noun starts a new phrase: «لجنة التحكيم
        # المخرجة …», «إدارة المهرجان الفيلم …».
        while j < len(tokens) and j - i < 7 and norms[j] not in STOP_WORDS \
                and norms[j] not in TITLES and not tags[j].endswith(("PERS", "LOC")):
            word = norms[j]
            joined = word[1:] if word.startswith("وال") or word.startswith("ولل") else None
            if _continues_org_name(word) or word.startswith("لل") \
                    or (joined and norms[j - 1].startswith("لل")):
                j += 1
            else:
                break
        if (definite or weak) and j - i < 3:
            i += 1
            continue
        tags[i] = "B-ORG"
        tags[i + 1:j] = ["I-ORG"] * (j - i - 1)
        if j < len(tags) and tags[j].startswith("I-"):
            tags[j] = "B-" + tags[j][2:]
        i = j


def _place_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Tag curated place names (longest match) in place.

    Only fills names the CRF left untagged: extending its LOC spans cost accuracy on ANERcorp.
    """
    plain = [_norm(t) for t in tokens]
    i = 0
    while i < len(tokens):
        first = _strip_proclitics(plain[i])
        for n in (3, 2, 1):
            words = (first, *plain[i + 1:i + n])
            if i + n <= len(tokens) and words in PLACES \
                    and all(t == "O" for t in tags[i:i + n]):
                tags[i] = "B-LOC"
                tags[i + 1:i + n] = ["I-LOC"] * (n - 1)
                i += n - 1
                break
        i += 1


def _place_prefix_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Retag as LOC a person span that is really a place name, in place.

    Two general signs: the span opens with a word that starts place names and never a person's
    given name (:data:`PLACE_PREFIXES`: «سيدي جابر», «عين التينة»), or it comes right after a
    noun that introduces a place (:data:`LOC_NOUNS`: «منطقتي …», «حي …», «شارع …»).
    """
    for kind, a, b in bio_spans(tags):
        if kind != "PERS":
            continue
        first = _strip_proclitics(_norm(tokens[a]))
        before = _strip_proclitics(_norm(tokens[a - 1])) if a else ""
        if first in LOC_NOUNS and b - a > 1:  # «شاطئي كيمادو»: the noun is not the name
            tags[a] = "O"
            a += 1
        elif not ((first in PLACE_PREFIXES and b - a > 1) or before in LOC_NOUNS):
            continue
        tags[a] = "B-LOC"
        tags[a + 1:b] = ["I-LOC"] * (b - a - 1)


def _formal_place_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Cut the adjectives of a formal name off a curated place, in place: «جمهورية مصر العربية»
    gives «مصر», the name the archive files it under, unless the whole is curated («الإمارات
    العربية المتحدة»). ANERcorp often tags «مصر العربية» whole, so only ``extract()`` applies it.
    """
    plain = [_norm(t) for t in tokens]
    for kind, a, b in bio_spans(tags):
        if kind == "LOC" and b - a > 1 and (_strip_proclitics(plain[a]),) in PLACES \
                and (_strip_proclitics(plain[a]), *plain[a + 1:b]) not in PLACES \
                and all(_nisba_shape(w) for w in plain[a + 1:b]):
            tags[a + 1:b] = ["O"] * (b - a - 1)


def _name_link_rule(tokens: Sequence[str], tags: list[str]) -> None:
    """Extend a person over «بن/ابن/بنت/آل + name» links the CRF cut («حمد بن خليفة [آل ثاني]»)."""
    i = 0
    while i < len(tokens) - 2:
        if tags[i].endswith("PERS") and tags[i + 1] == "O" and tags[i + 2] == "O" \
                and _norm(tokens[i + 1]) in NAME_LINKS and not _is_punct(tokens[i + 2]) \
                and _norm(tokens[i + 2]) not in STOP_WORDS:
            tags[i + 1:i + 3] = ["I-PERS", "I-PERS"]
        i += 1


# Sentences either side; picked by 5-fold CV mean (3: 0.758, 5: 0.764, 10: 0.767, 20: 0.768).
# A news article is shorter, so in extract() this means the whole article.
PROPAGATION_WINDOW = 20


def _propagate_names(sentences: list[list[str]], tagged: list[list[str]], gaz: Gazetteer) -> None:
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
            first = _strip_proclitics(_norm(tokens[a]))
            if kind in ("ORG", "LOC") and (b - a > 1 or (len(first) > 2 and first not in gaz.common)):
                seen[(first, *(_norm(t) for t in tokens[a + 1:b]))] = kind
            if kind == "PERS":
                for tok in tokens[a:b]:
                    bare = _strip_proclitics(_norm(tok))
                    if len(bare) > 2 and bare not in gaz.common and bare not in NAME_LINKS \
                            and bare not in GIVEN_NAMES and bare not in ROLE_WORDS:
                        names.add(bare)
        found.append(names)
        phrases.append(seen)
    for n, (tokens, tags) in enumerate(zip(sentences, tagged)):
        window = slice(max(0, n - PROPAGATION_WINDOW), n + PROPAGATION_WINDOW + 1)
        nearby_phrases = {p: k for seen in phrases[window] for p, k in seen.items()}
        norms = [_norm(t) for t in tokens]
        firsts = [_strip_proclitics(w) for w in norms]
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
            if tags[i] == "O" and _strip_proclitics(_norm(tok)) in nearby:
                tags[i] = "I-PERS" if i and tags[i - 1].endswith("PERS") else "B-PERS"


# ---------------------------------------------------------------------------------------------
# Extractors
# ---------------------------------------------------------------------------------------------

class BuiltinExtractor(_TaggingExtractor):
    """CRF tagger (python-crfsuite) plus place-name, name-propagation and (in ``extract()``)
    institution-name rules. No network, no download."""

    name = "builtin"

    def __init__(self, model_path: str | Path = DEFAULT_MODEL_PATH):
        import pycrfsuite

        model_path = Path(model_path)
        if not model_path.is_file():
            raise FileNotFoundError(f"NER model not found: {model_path} (run manage.py train_ner)")
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(model_path))
        self.gazetteer = Gazetteer.from_json(
            json.loads(gazetteer_path(model_path).read_text(encoding="utf-8")))
        # pycrfsuite taggers keep per-call state: one lock keeps threaded web workers safe.
        self._lock = threading.Lock()

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags for one sentence."""
        if not tokens:
            return []
        # Training sentences end with final punctuation; a title or byline does not. Tag such a
        # line as if it had one, so its last word is not read as unlike anything seen in training.
        padded = list(tokens) if tokens[-1] in SENTENCE_END else [*tokens, "."]
        feats = sentence_features(padded, self.gazetteer)
        with self._lock:
            tags = list(self.tagger.tag(feats))[:len(tokens)]
        _place_rule(tokens, tags)
        _place_prefix_rule(tokens, tags)
        _name_link_rule(tokens, tags)
        return tags

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """Tags for consecutive sentences of running text, with names propagated between them.

        A surname tagged once («فارس السقاف») is tagged again where it recurs alone nearby
        («وأشار السقاف»), which the CRF, seeing one sentence at a time, often misses.
        """
        tagged = [self.tag(s) for s in sentences]
        _propagate_names(sentences, tagged, self.gazetteer)
        return tagged

    def article_tags(self, sentences: list[list[str]]) -> list[list[str]]:
        """:meth:`tag_sentences` plus the formal-place and institution-name rules
        (:func:`_formal_place_rule`, :func:`_org_rule`).

        The rule follows this archive's convention that «وزارة الداخلية» is an organisation;
        ANERcorp leaves such names untagged, so ``tag()`` (what ``ner_eval`` scores) omits it.
        """
        tagged = self.tag_sentences(sentences)
        for tokens, tags in zip(sentences, tagged):
            _formal_place_rule(tokens, tags)
            _org_rule(tokens, tags)
        return tagged


class CamelExtractor(_TaggingExtractor):
    """camel-tools' BERT NER (``NERecognizer``); its MISC entities are dropped by ``extract()``."""

    name = "camel"

    def __init__(self, model_path: str | Path):
        # Loading must never wait on the network: the model is a local directory.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from camel_tools.ner import NERecognizer

        self.recognizer = NERecognizer(str(model_path), use_gpu=False)

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags for one sentence."""
        return self.tag_sentences([tokens])[0]

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags for many sentences in one batched BERT pass."""
        # NERecognizer silently drops words its tokenizer turns into nothing (odd symbols), which
        # would misalign its labels; send only the words it keeps and give the others «O».
        tokenizer = self.recognizer.tokenizer
        kept = [[i for i, w in enumerate(s) if tokenizer.tokenize(w)] for s in sentences]
        predictions = self.recognizer.predict([[s[i] for i in k] for s, k in zip(sentences, kept)])
        result = []
        for sentence, keep, labels in zip(sentences, kept, predictions):
            tags = ["O"] * len(sentence)
            for i, label in zip(keep, labels):
                tags[i] = label
            result.append(tags)
        return result


def camel_model_dir(explicit: str | os.PathLike | None = None) -> Path | None:
    """The camel-tools NER model directory if it is installed, else ``None``.

    Checks files only: importing camel_tools.data without ``catalogue.json`` would download one.
    ``explicit`` (setting ``ARCHIVE_CAMEL_NER_MODEL``) wins over the catalogue's default.
    """
    if explicit:
        path = Path(explicit).expanduser()
        return path if (path / "config.json").is_file() else None
    data_dir = Path(os.environ.get("CAMELTOOLS_DATA") or Path.home() / ".camel_tools").expanduser()
    catalogue = data_dir / "catalogue.json"
    if not catalogue.is_file():
        return None
    try:
        component = json.loads(catalogue.read_text(encoding="utf-8"))["components"]["NamedEntityRecognition"]
        relative = component["datasets"][component["default"]]["path"]
    except (ValueError, KeyError):
        return None
    path = data_dir / "data" / relative
    return path if (path / "config.json").is_file() else None


_EXTRACTORS: dict[tuple, Extractor] = {}
_EXTRACTORS_LOCK = threading.RLock()  # "camel" builds its "builtin" fallback inside


def _settings(name: str, default):
    try:
        from django.conf import settings

        return getattr(settings, name, default)
    except Exception:  # Django absent or not configured: plain scripts and tests use defaults.
        return default


def get_extractor(name: str | None = None) -> Extractor:
    """The extractor called ``name`` (default: setting ``ARCHIVE_NER_EXTRACTOR``, else "builtin").

    Built once per name and model and then cached. "camel" falls back to "builtin" with one logged
    warning when camel-tools' NER data is not installed or fails to load.
    """
    name = name or _settings("ARCHIVE_NER_EXTRACTOR", None) or "builtin"
    if name not in ("builtin", "camel"):
        raise ValueError(f"unknown NER extractor {name!r}; use 'builtin' or 'camel'")
    camel_setting = _settings("ARCHIVE_CAMEL_NER_MODEL", None) if name == "camel" else None
    key = (name, str(camel_setting), os.environ.get("CAMELTOOLS_DATA"))
    with _EXTRACTORS_LOCK:
        if key not in _EXTRACTORS:
            _EXTRACTORS[key] = _build(name, camel_setting)
        return _EXTRACTORS[key]


def _build(name: str, camel_setting) -> Extractor:
    if name == "camel":
        model_dir = camel_model_dir(camel_setting)
        if model_dir is None:
            logger.warning("camel NER data not installed (run `camel_data -i ner` or set "
                           "ARCHIVE_CAMEL_NER_MODEL); using the builtin extractor")
        else:
            try:
                return CamelExtractor(model_dir)
            except Exception as exc:  # a broken or partial download must not take the site down
                logger.warning("camel NER model at %s failed to load (%s); using the builtin "
                               "extractor", model_dir, exc)
        return get_extractor("builtin")
    return BuiltinExtractor()


# ---------------------------------------------------------------------------------------------
# Entity keys and in-article resolution
# ---------------------------------------------------------------------------------------------

def resolve(spans: Sequence[Span]) -> list[tuple[Span, str]]:
    """Each span with its canonical name inside one article.

    A person mention whose words all occur, in order, in a longer person name of the same
    article links to that name, before or after it: «أبوزريبة» → «عصام أبوزريبة», «توفيق» →
    «محمود توفيق». Prefers the longest such name and, among equals, the earliest. Organisations
    and places are not shortened («وزارة الداخلية» may be another country's) and are their own
    canonical name, in dictionary form (:attr:`Span.name`).
    """
    def words(span: Span) -> list[str]:
        return entity_key(span.text, span.kind).split(":", 1)[1].split()

    full_names: list[tuple[Span, list[str]]] = []
    for span in spans:
        w = words(span)
        if span.kind == "PERS" and len(w) > 1 and not any(w == other for _, other in full_names):
            full_names.append((span, w))
    result = []
    for span in spans:
        w = words(span)
        best = None
        for candidate, cw in full_names:
            if candidate.kind == span.kind and len(cw) > len(w) and _contains_in_order(cw, w):
                if best is None or len(cw) > len(best[1]):
                    best = (candidate, cw)
        result.append((span, best[0].text if best else span.name or span.text))
    return result


def _contains_in_order(longer: list[str], shorter: list[str]) -> bool:
    it = iter(longer)
    return bool(shorter) and all(any(word == x for x in it) for word in shorter)


# ---------------------------------------------------------------------------------------------
# Reading CoNLL files and scoring
# ---------------------------------------------------------------------------------------------

CONLL_TAG_RE = re.compile(r"^(?:O|[BI]-(?:PERS|LOC|ORG|MISC))$")


def read_conll(path: str | Path) -> list[list[tuple[str, str]]]:
    """Sentences of ``(token, tag)`` from a ``token TAG`` file (ANERcorp layout).

    Sentences end at ``.`` ``؟`` ``!`` or a blank line. Lines with an empty token are skipped.
    Raises ``ValueError`` naming the first line whose tag is not O or B-/I- PERS, LOC, ORG, MISC.
    """
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                if current:
                    sentences.append(current)
                    current = []
                continue
            tag = parts[-1]
            if not CONLL_TAG_RE.match(tag):
                raise ValueError(f"{path}:{lineno}: expected 'token TAG', got {line.strip()!r}")
            if len(parts) == 1:
                continue
            # One line of ANERcorp glues two tokens («. Oالإصابة O»); keep the first word only.
            current.append((parts[0], tag))
            if parts[0] in (".", "؟", "!"):
                sentences.append(current)
                current = []
    if current:
        sentences.append(current)
    return sentences


def evaluate(extractor: Extractor, sentences: Sequence[Sequence[tuple[str, str]]]) -> dict:
    """Entity-level exact-match scores of ``extractor.tag`` against gold BIO sentences.

    Returns ``{"PERS"|"LOC"|"ORG"|"micro": {"p", "r", "f1", "tp", "fp", "fn"}, "tokens": n,
    "seconds": s, "tokens_per_s": n / s}``; MISC is ignored; the timing covers tagging only.
    """
    token_lists = [[t for t, _ in s] for s in sentences]
    started = time.perf_counter()
    tag_batch = getattr(extractor, "tag_sentences", None)
    predicted = tag_batch(token_lists) if tag_batch else [extractor.tag(t) for t in token_lists]
    seconds = time.perf_counter() - started
    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in KINDS}
    for sentence, pred in zip(sentences, predicted):
        gold_spans = {s for s in bio_spans([tag for _, tag in sentence]) if s[0] in KINDS}
        pred_spans = {s for s in bio_spans(pred) if s[0] in KINDS}
        for kind, _, _ in gold_spans & pred_spans:
            counts[kind]["tp"] += 1
        for kind, _, _ in pred_spans - gold_spans:
            counts[kind]["fp"] += 1
        for kind, _, _ in gold_spans - pred_spans:
            counts[kind]["fn"] += 1
    counts["micro"] = {x: sum(counts[k][x] for k in KINDS) for x in ("tp", "fp", "fn")}
    result: dict = {kind: _prf(c) for kind, c in counts.items()}
    n_tokens = sum(len(t) for t in token_lists)
    result["tokens"] = n_tokens
    result["seconds"] = seconds
    result["tokens_per_s"] = n_tokens / seconds if seconds else float("inf")
    return result


def _prf(c: dict[str, int]) -> dict:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4), **c}
