"""Identity keys: when two spellings name the same outlet, article or entity.

Plain functions over :func:`articles.text.normalize.normalize`; the models store their results.
"""

import functools
import hashlib
import re

from articles.text.normalize import normalize

# Words that name the kind of outlet rather than the outlet: «صحيفة الوطن» and «الوطن» are one source.
OUTLET_WORDS = frozenset(
    normalize(word)
    for word in (
        "صحيفة", "جريدة", "موقع", "بوابة", "قناة", "وكالة", "مجلة", "شبكة", "إذاعة", "راديو", "تلفزيون",
        "يومية", "اليومية",
    )
)


def source_key(name: str) -> str:
    """The identity of an outlet name: normalised, ``|`` as a space, without outlet-kind words.

    A name made only of such words («جريدة») keeps them. A domain suffix stays: «العربية.نت»
    and «العربية» are two keys.
    """
    words = normalize(name).replace("|", " ").split()
    words = [word for word in words if word not in OUTLET_WORDS]
    return " ".join(words) or normalize(name).strip()


def content_hash(title: str, body: str) -> str:
    """Identity of an article's text: the same article pasted twice, however spaced or vocalised, is one."""
    text = " ".join(normalize(title).split()) + "\n" + " ".join(normalize(body).split())
    return hashlib.sha256(text.encode()).hexdigest()


_JOIN_PREFIXES_RE = re.compile(r"(?:^|(?<= ))(ابو|ابي|ابن|بن|بنت|عبد|ابا|ام) ")


# Storing a batch's mentions asks for the keys of the same few thousand names many times over.
@functools.lru_cache(maxsize=65536)
def entity_key(name: str, kind: str) -> str:
    """The key under which spelling variants of one entity meet.

    Search-strength normalisation (hamza, ى/ي, ة/ه, diacritics), punctuation dropped, the space
    after أبو/أبي/ابن/عبد/أم removed (أبو بكر = أبوبكر); ORG and LOC also lose a leading
    ال on their first word (السودان = سودان). Persons keep ال-names: الشريف stays الشريف.
    """
    text = normalize(name)
    text = " ".join(re.sub(r"[^\w]+", " ", text).split())
    text = _JOIN_PREFIXES_RE.sub(r"\1", text)
    if kind in ("ORG", "LOC") and text.startswith("ال") and len(text.split(" ")[0]) > 3:
        text = text[2:]
    return f"{kind}:{text}"


def index_letter(name: str) -> str:
    """The letter an entity is filed under: the first of its normalised name once a written
    article is off («القاهرة» under ق, «ألمانيا» under ا: its alef carries a hamza, it is no
    article). Empty for a name without letters."""
    written = name.strip().lstrip("«“\"'(")
    if written.startswith("ال") and len(written.split(" ")[0]) > 3:
        written = written[2:]
    letters = [ch for ch in normalize(written) if ch.isalpha()]
    return letters[0] if letters else ""
