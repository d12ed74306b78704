"""Page clutter: share/print/comment buttons, counters and breadcrumbs copied along with an article.

Copying a whole web page brings along its buttons, counters and breadcrumb trail as lines of
their own. A line made only of such words (plus counters and punctuation) is dropped wherever
it stands; the same words inside a sentence leave the sentence alone. See docs/parsing.md.
"""

import re

from articles.text.decoding import LETTER_RE
from articles.text.normalize import normalize

_CLUTTER_PHRASES = [
    # sharing
    "شارك", "شاركها", "شارك الخبر", "شارك المقال", "شارك هذا الخبر", "شارك هذا المقال", "مشاركة",
    "المشاركة", "مشاركات", "شير", "share", "tweet",
    # printing, saving, sending
    "طباعة", "اطبع", "طباعة الخبر", "طباعة المقال", "print", "حفظ", "أرسل", "إرسال", "ارسل لصديق",
    "إرسال لصديق", "أرسل لصديق", "نسخ الرابط", "انسخ الرابط", "رابط مختصر", "الرابط المختصر",
    "copy link", "email", "e-mail", "بريد", "البريد", "البريد الإلكتروني", "إيميل",
    # comments and counters
    "تعليق", "تعليقات", "التعليقات", "أضف تعليق", "أضف تعليقك", "اترك تعليقا", "comments", "comment",
    "مشاهدة", "مشاهدات", "المشاهدات", "قراءة", "قراءات", "القراءات", "عدد القراءات", "عدد المشاهدات",
    "views", "likes",
    # font size
    "حجم الخط", "تكبير الخط", "تصغير الخط", "الخط", "تكبير", "تصغير", "a",
    # networks
    "تويتر", "فيسبوك", "فيس بوك", "واتساب", "واتس اب", "واتس آب", "تيليجرام", "تليجرام", "تلغرام",
    "تيلغرام", "لينكدإن", "لينكد إن", "انستغرام", "إنستغرام", "انستجرام", "يوتيوب", "ماسنجر",
    "twitter", "facebook", "whatsapp", "telegram", "linkedin", "messenger", "instagram", "x",
    # newsletters and follow buttons
    "اشترك", "اشترك الآن", "اشترك في النشرة", "النشرة", "النشرة البريدية", "النشرة الإخبارية",
    "البريدية", "الإخبارية",
    "subscribe", "newsletter", "تابعنا", "تابعونا", "follow us",
]
# Connectives that may join clutter words («شارك عبر تويتر») but are not clutter alone.
_CLUTTER_JOINERS = frozenset(
    normalize(word) for word in ["على", "عبر", "في", "من", "إلى", "و", "on", "via", "to", "us", "k", "m"]
)
_CLUTTER = frozenset(tuple(normalize(phrase).split()) for phrase in _CLUTTER_PHRASES)
_CLUTTER_LONGEST = max(len(phrase) for phrase in _CLUTTER)
_CLUTTER_MAX_CHARS = 120
_CLUTTER_MAX_WORDS = 12
_CLUTTER_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

_BREADCRUMB_HOME = frozenset(normalize(word) for word in ["الرئيسية", "الصفحة الرئيسية", "الرئيسه", "home"])
_BREADCRUMB_SIGN_RE = re.compile(r"[>›»←/\\<]")
_BREADCRUMB_SEP_RE = re.compile(r"\s*[>›»←/\\]\s*|\s+<\s+")
# Without «الرئيسية» in front, only these separators (never «/», which dates use) make a trail.
_BREADCRUMB_ARROWS_RE = re.compile(r"\s*[>›»←]\s*|\s+<\s+")
_BREADCRUMB_PIECE_MAX_WORDS = 4
_BREADCRUMB_MAX_CHARS = 160


def is_clutter(line: str) -> bool:
    """Whether a line is page furniture: share/print/comment buttons, counters, a breadcrumb."""
    if len(line) > _BREADCRUMB_MAX_CHARS:
        return False
    if _BREADCRUMB_SIGN_RE.search(line) and _is_breadcrumb(line):
        return True
    return (
        len(line) <= _CLUTTER_MAX_CHARS
        and len(line.split()) <= _CLUTTER_MAX_WORDS
        and _is_button_line(normalize(line, cleaned=True))
    )


def _is_button_line(folded: str) -> bool:
    """Whether the words of a folded line are all clutter phrases or joiners, with one phrase at least."""
    words = _CLUTTER_WORD_RE.findall(folded)
    found = False
    position = 0
    while position < len(words):
        for size in range(min(_CLUTTER_LONGEST, len(words) - position), 0, -1):
            phrase = tuple(words[position : position + size])
            # «وتويتر»: the conjunction written onto the next word.
            bare = (phrase[0][1:], *phrase[1:]) if phrase[0].startswith("و") else None
            if phrase in _CLUTTER or bare in _CLUTTER:
                found = True
                position += size
                break
        else:
            if words[position] not in _CLUTTER_JOINERS:
                return False
            position += 1
    return found


def _is_breadcrumb(line: str) -> bool:
    """«الرئيسية > أخبار > محليات», «Home / News», or three or more short crumbs joined by arrows."""
    pieces = [piece.strip() for piece in _BREADCRUMB_SEP_RE.split(line)]
    if len(pieces) >= 2 and normalize(pieces[0], cleaned=True) in _BREADCRUMB_HOME:
        crumbs = pieces
    else:
        crumbs = [piece.strip() for piece in _BREADCRUMB_ARROWS_RE.split(line)]
        if len(crumbs) < 3 or "«" in line:
            return False
    return all(
        LETTER_RE.search(crumb) and len(crumb.split()) <= _BREADCRUMB_PIECE_MAX_WORDS for crumb in crumbs if crumb
    ) and sum(1 for crumb in crumbs if crumb) >= 2

