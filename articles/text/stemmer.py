"""The one stop-word list and light stemmer, used by the index, the queries and entities.

Works on words already normalised by :func:`articles.text.normalize.normalize`.
"""

from collections.abc import Container
from pathlib import Path

# Function words in their normalised spelling (so إلى and الى are one entry). Written by hand
# rather than taken from a library so that words that double as names or content words in news
# (e.g. «عمر», «سنة», «عام») are not on it. Question words are on it because readers type questions.
_BASE_STOP_WORDS = """
في من الي علي عن مع ان او ام ثم بل لا لم لن ما قد كان كانت يكون تكون كانوا هذا هذه ذلك تلك
هؤلاء اولئك هنا هناك هو هي هم هن هما انت انتم انا نحن الذي التي الذين اللذان اللتان اللاتي
حتي اذا اذ لو كل بعض غير بين عند عندما كما لكن لان حيث منذ خلال بعد قبل فوق تحت اي ايضا هل
كيف متي اين لماذا ماذا كم مثل دون ضد نحو لدي لقد الا الان اما انه انها ليس ليست يا به بها له
لها لهم منه منها عنه عنها فيه فيها عليه عليها اليه اليها ذات ذو تم ماهو ماهي
بما لما بماذا لمن بكم بهذا لهذا بهذه لهذه بذلك لذلك كذلك بعدما بينما
""".split()
# Common misspellings that are still function words (اللتي for التي), and a bare article or
# conjunction left by a typo or a space after it («و هي», «ال »).
_TYPO_STOP_WORDS = ("اللتي", "اللذي", "ال", "و", "ف", "ب", "ل", "ك")
# "and"/"so" + a function word is still a function word: وفي, ومن, فقد, ولكن ...
STOP_WORDS = frozenset(
    [*_BASE_STOP_WORDS, *_TYPO_STOP_WORDS]
    + [conjunction + word for conjunction in "وف" for word in _BASE_STOP_WORDS]
)

# The one table of proclitics, for every stripper here. They attach in this order: a conjunction,
# a preposition, the definite article; ل + ال is written «لل».
CONJUNCTIONS = "وف"
PREPOSITIONS = "بكل"
ARTICLE = "ال"
ELIDED_ARTICLE = "لل"

# The article with the proclitics news text attaches before it, longest first.
_ARTICLE_PREFIXES = ("وبال", "وكال", "وال", "فال", "بال", "كال", ELIDED_ARTICLE, ARTICLE)
# Attached conjunctions and prepositions without an article. These letters also begin many
# stems and names (وليد, وائل, بيروت, لبنان, وزراء), and no rule on letters tells «ووزير» (و + وزير)
# from «وزراء»: what does is that «زراء» never occurs. So a particle stays on the words of
# WHOLE_WORDS (mined from news by bench/mine_whole_words.py: words that are far more frequent than
# what is left without their first letter) and comes off any other word that keeps 3 letters.
_PARTICLES = CONJUNCTIONS + PREPOSITIONS
_MIN_AFTER_PARTICLE = 3
_WHOLE_WORDS_FILE = Path(__file__).with_name("whole_words.txt")
WHOLE_WORDS = frozenset(_WHOLE_WORDS_FILE.read_text(encoding="utf-8").split())
# Plural, feminine, nisba and pronoun endings, longest first. «ان» is left out: it ends far more
# names (لبنان, سلمان, عثمان) than duals in news text; so are «كم» and «كما» (your), which news
# hardly uses and which end words (ملاكم → ملا). «يا» is the nisba with the accusative alef
# (دوليا, حاليا) and ends country names whose nisba is «ي» (ليبيا/ليبي, سوريا/سوري, تركيا/تركي);
# the accusative «ا» (وزيرا, كثيرا) is tried last.
_SUFFIXES = ("هما", "تين", "يون", "يين", "ات", "ون", "ين", "ها", "هم", "هن", "نا", "يا", "يه", "ه", "ي", "ا")
# The nisba of these adverbs of place is its own word (الداخلية, الخارجية: the ministries), so
# they keep it: «وزير الداخلية» does not meet every «داخل».
_OWN_NISBA = {"داخل": "داخلي", "خارج": "خارجي"}
_NISBA_ENDINGS = ("يتين", "يون", "يين", "يات", "يه", "ي")
_MIN_STEM = 3
_MAX_SUFFIX_PASSES = 2
# Before a pronoun the feminine «ة» is written «ت» (مدرستها, حكومته, مدرستنا), so after one comes
# off a «ت» goes too, and the word meets مدرسة. Except on the words of T_WORDS, mined by
# bench/mine_broken_plurals.py: words ending in «ت» that the news corpora have on their own at
# least half as often as with «ة» (ثابت, بيروت, الكويت: ثابته, الكويتي keep it).
_PRONOUNS = frozenset(("هما", "ها", "هم", "هن", "نا", "ه", "ي"))
_T_WORDS_FILE = Path(__file__).with_name("t_words.txt")
T_WORDS = frozenset(_T_WORDS_FILE.read_text(encoding="utf-8").split())
# What strip_proclitics leaves at least: after one proclitic letter, and after the article.
_MIN_AFTER_PROCLITIC = 3
_MIN_AFTER_ARTICLE = 2


def _strip_article(word: str) -> str:
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            if prefix == ELIDED_ARTICLE and _is_whole(word[1:]):
                # ل before a word that starts with ل: «لليبيا», «للجنة» (ل + اللجنة).
                return word[1:]
            return word[len(prefix):]
    return word


def _is_whole(word: str) -> bool:
    # By stem, so that forms too rare to be listed keep the letter too: «الليبيين» as «ليبيا».
    return word in WHOLE_WORDS or _strip_suffixes(word) in _WHOLE_STEMS


def _strip_single_particles(word: str) -> str:
    while word[:1] in _PARTICLES and len(word) - 1 >= _MIN_AFTER_PARTICLE and not _is_whole(word):
        word = word[1:]
    return word


def strip_particles(word: str) -> str:
    """A normalised word without its attached article and particles, endings kept.

    The prefix-side half of :func:`light_stem`, for word beginnings typed before ``*``.
    """
    return _strip_single_particles(_strip_article(word))


def _strip_suffixes(word: str) -> str:
    # The tuple tests first: most words end in no suffix, and this runs on every new word indexed,
    # searched or highlighted.
    if word.endswith(_NISBA_ENDINGS):
        for ending in _NISBA_ENDINGS:
            if word.endswith(ending) and word[: -len(ending)] in _OWN_NISBA:
                return _OWN_NISBA[word[: -len(ending)]]
    for _ in range(_MAX_SUFFIX_PASSES):
        if not word.endswith(_SUFFIXES):
            break
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                if suffix in _PRONOUNS and word[-1] == "ت" and len(word) > _MIN_STEM \
                        and word[-2] != "ا" and word not in T_WORDS:
                    word = word[:-1]
                break
        else:
            break
    return word


_WHOLE_STEMS = frozenset(map(_strip_suffixes, WHOLE_WORDS))

# Broken plurals take the stem of their singular (وزراء → وزير, مدارس → مدرسة, مشاريع → مشروع):
# pairs of words related by a plural pattern, both common in the news corpora and used in like
# contexts, mined by bench/mine_broken_plurals.py. One «plural singular» pair a line.
_PLURALS_FILE = Path(__file__).with_name("broken_plurals.txt")
PLURAL_STEMS = {
    _strip_suffixes(plural): _strip_suffixes(singular)
    for plural, singular in (line.split() for line in _PLURALS_FILE.read_text(encoding="utf-8").splitlines() if line)
}


def light_stem(word: str) -> str:
    """A light stem of an already normalised word: attached particles and endings removed.

    The article and the particles go first, judged on the word as written (see WHOLE_WORDS), so
    «وتنبيه» and «تنبيه», «ووزير» and «وزير», «ولمدة» and «المدة» meet while «وليد», «بيروت» and
    «لبنان» stay whole; then the endings, at least 3 letters left, so «اللبناني» gives «لبنان»
    and «الليبية» and «ليبيا» both «ليب», «مدرستها» and «مدرسة» both «مدرس»; a broken plural last
    takes its singular's stem (PLURAL_STEMS: «وزراء» → «وزير»).
    """
    return stem_endings(strip_particles(word))


def stem_endings(core: str) -> str:
    """The second half of :func:`light_stem`, for a word :func:`strip_particles` has already
    stripped (``light_stem(w) == stem_endings(strip_particles(w))``): its endings removed and a
    broken plural mapped to its singular's stem."""
    stem = _strip_suffixes(core)
    return PLURAL_STEMS.get(stem, stem)


def strip_proclitics(word: str, *, keep_article: bool = False, whole: Container[str] = frozenset(),
                     stems: Container[str] = frozenset()) -> str:
    """A normalised word without its proclitics, in the order they attach, endings kept.

    One conjunction (و/ف), then a preposition (ب/ك/ل) when the article follows it (or when
    what follows is in ``stems``: «بمصر» → «مصر»), then the article; «لل» is ل + ال. A letter
    is taken off only if 3 remain, the article only if 2 do. Unlike :func:`strip_particles`, a
    preposition before a bare word stays («بيروت»), which suits names.

    ``keep_article`` gives the dictionary form: the article stays and «لل» becomes «ال»
    («للقاهرة» → «القاهرة»). Words in ``whole`` are returned as they are.
    """
    if word in whole:
        return word
    if len(word) - 1 >= _MIN_AFTER_PROCLITIC and word[0] in CONJUNCTIONS:
        word = word[1:]
    if len(word) - 2 >= _MIN_AFTER_ARTICLE and word.startswith(ELIDED_ARTICLE):
        return (ARTICLE if keep_article else "") + word[2:]
    if len(word) - 1 >= _MIN_AFTER_PROCLITIC and word[0] in PREPOSITIONS \
            and (word[1:3] == ARTICLE or word[1:] in stems):
        word = word[1:]
    if not keep_article and len(word) - 2 >= _MIN_AFTER_ARTICLE and word.startswith(ARTICLE):
        word = word[2:]
    return word
