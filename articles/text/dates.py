"""Publication dates on header lines, in every month-name system of Arabic news sites.

Pure Python (no Django). See docs/parsing.md (*A date line*).
"""

import datetime
import re
from dataclasses import dataclass

from articles.text.normalize import normalize

# Header lines are analysed in their search-normalised form (one alef, ى→ي, ة→ه, ASCII digits,
# lower-case Latin), so the word lists below are normalised once at import.

_MONTH_NAMES = {
    1: ["يناير", "كانون الثاني", "جانفي", "january", "jan"],
    2: ["فبراير", "فبرير", "شباط", "فيفري", "february", "feb"],
    3: ["مارس", "آذار", "march", "mar"],
    4: ["أبريل", "إبريل", "نيسان", "أفريل", "april", "apr"],
    5: ["مايو", "أيار", "ماي", "may"],
    6: ["يونيو", "يونيه", "يونية", "حزيران", "جوان", "june", "jun"],
    7: ["يوليو", "يوليه", "يولية", "تموز", "جويلية", "يوليوز", "july", "jul"],
    8: ["أغسطس", "آب", "أوت", "غشت", "august", "aug"],
    9: ["سبتمبر", "أيلول", "شتنبر", "september", "sept", "sep"],
    10: ["أكتوبر", "تشرين الأول", "october", "oct"],
    11: ["نوفمبر", "تشرين الثاني", "نونبر", "november", "nov"],
    12: ["ديسمبر", "كانون الأول", "دجنبر", "december", "dec"],
}


def _month_variants(name: str) -> list[str]:
    # Levantine names are also written without the article: «تشرين أول», «كانون ثاني».
    words = normalize(name).split()
    variants = [" ".join(words)]
    if len(words) == 2 and words[1].startswith("ال"):
        variants.append(f"{words[0]} {words[1][2:]}")
    return variants


_MONTHS = {
    variant: number
    for number, names in _MONTH_NAMES.items()
    for name in names
    for variant in _month_variants(name)
}
# The Arabic-script names (one or two words, normalised) → month number, for the search analyser,
# which folds the three systems into one term; the Latin abbreviations (mar, may) are English words.
ARABIC_MONTHS = {name: number for name, number in _MONTHS.items() if not name.isascii()}
# The name each month is folded to: the first of its row (the Egyptian/Gulf name).
MONTH_CANONICAL = {number: normalize(names[0]) for number, names in _MONTH_NAMES.items()}
_MONTH_ALT = "|".join(
    re.escape(name).replace(r"\ ", r"\s+") for name in sorted(_MONTHS, key=len, reverse=True)
)
_MONTH = rf"(?<!\w)(?P<month>{_MONTH_ALT})\.?(?!\w)"
# «17 تموز (يوليو) 2018», «17 يوليو/تموز 2018»: a second name for the same month.
_SECOND_MONTH = rf"(?:\s*[/(\-]\s*(?:{_MONTH_ALT})\.?\s*\)?)?"
_DAY = r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?<!\d)(?P<year>\d{4})(?!\d)"
_SEP = r"\s*[,،\-/]?\s*"

_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<year>\d{4})\s*(?P<sep>[-/.])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<day>\d{1,2})\s*(?P<sep>[-/.])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<year>\d{4})(?!\d)"),
    re.compile(_DAY + _SEP + r"(?:of\s+)?" + _MONTH + _SECOND_MONTH + _SEP + _YEAR),
    re.compile(_MONTH + _SECOND_MONTH + r"\s*" + _DAY + _SEP + _YEAR),
]
_TIME_RE = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")

_UPDATE_LABELS = ["آخر تحديث", "تم التحديث", "تحديث", "محدث", "last updated", "updated", "update"]
_PUBLISH_LABELS = [
    "تاريخ النشر", "نشر في", "نشر بتاريخ", "نشر", "تاريخ", "التاريخ", "بتاريخ",
    "published on", "published", "posted on", "posted", "date",
]
_LABELS = {normalize(label): label in _UPDATE_LABELS for label in _UPDATE_LABELS + _PUBLISH_LABELS}
_LABEL_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in sorted(_LABELS, key=len, reverse=True))
    + r")(?!\w)"
)
_RELATIVE_RE = re.compile(r"(?<!\w)(?:منذ|ago)(?!\w)")

_WEEKDAYS = (
    "الأحد الإثنين الاثنين الاتنين الثلاثاء الأربعاء الخميس الجمعة السبت "
    "أحد إثنين اثنين ثلاثاء أربعاء خميس جمعة سبت "
    "sunday monday tuesday wednesday thursday friday saturday "
    "sun mon tue tues wed thu thur thurs fri sat"
)
_HIJRI_MONTH_WORDS = "محرم صفر ربيع الأول الآخر الثاني جمادى الأولى الآخرة رجب شعبان رمضان شوال ذو ذي القعدة الحجة"
# Words that may surround a date on a date line without making it prose: times of day, time
# zones, calendar markers, ordinal suffixes, relative-time units and small connectives.
_DATE_LINE_WORDS = (
    "يوم الموافق هـ ه م ص هجري هجرية ميلادي ميلادية صباحا صباحاً صباح مساء مساءً مساءا ظهرا عصرا "
    "الساعة ساعة على في عند تمام بتوقيت توقيت غرينتش جرينتش غرينيتش مكة المكرمة القاهرة "
    "منذ ساعات دقيقة دقائق أيام يومين ساعتين أسبوع شهر "
    "gmt utc am pm a p t z st nd rd th of on at the in ago hour hours minute minutes day days"
)
_DATE_VOCABULARY = frozenset(
    word
    for text in [_WEEKDAYS, _HIJRI_MONTH_WORDS, _DATE_LINE_WORDS, *_MONTHS, *_LABELS]
    for word in normalize(text).split()
)
_WORD_RE = re.compile(r"[^\W\d_]+")
# A publication-plus-update date line is about the longest date line there is.
_DATE_LINE_MAX_CHARS = 160


@dataclass
class DateFinding:
    dates: list[tuple[datetime.date, bool]]  # (date, is_update) in line order
    is_date_line: bool


def find_dates(norm: str) -> DateFinding:
    """Dates in a normalised line, and whether the line is nothing but a date line.

    Reads Gregorian month names in their Egyptian/Gulf, Levantine, Maghrebi and Moroccan forms
    and in English, numeric dates (d/m/y, y-m-d with / - .) and, through normalisation,
    Arabic-Indic and Persian digits; weekdays, times, time zones and labels are allowed around
    them. Invalid dates (31/02) are left out; each date says whether an update label preceded it.
    """
    spans: list[tuple[int, int, datetime.date | None]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(norm):
            if any(start < match.end() and match.start() < end for start, end, _ in spans):
                continue
            spans.append((match.start(), match.end(), _valid_date(match)))
    spans.sort(key=lambda span: span[0])
    labels = [(match.start(), _LABELS[re.sub(r"\s+", " ", match.group())]) for match in _LABEL_RE.finditer(norm)]
    dates = []
    for start, _, date in spans:
        if date is not None:
            preceding = [is_update for position, is_update in labels if position < start]
            dates.append((date, preceding[-1] if preceding else False))
    has_evidence = bool(spans or labels or _TIME_RE.search(norm) or _RELATIVE_RE.search(norm))
    only_date_words = all(word in _DATE_VOCABULARY for word in _WORD_RE.findall(norm))
    return DateFinding(dates, has_evidence and only_date_words)


def is_date_line(line: str) -> bool:
    """Whether a line is nothing but a date line; long lines (prose) are not even scanned."""
    return len(line) <= _DATE_LINE_MAX_CHARS and find_dates(normalize(line, cleaned=True)).is_date_line


def _valid_date(match: re.Match) -> datetime.date | None:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else _MONTHS[re.sub(r"\s+", " ", month_text)]
    day, year = int(match.group("day")), int(match.group("year"))
    if month > 12 >= day and month_text.isdigit():
        # 08/19/2024: only a US-style date can have a "month" over 12.
        day, month = month, day
    if not 1900 <= year <= 2100:
        # Hijri years (1439 هـ) and other numbers that only look like a year.
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def preferred_date(dates: list[tuple[datetime.date, bool]]) -> datetime.date | None:
    """The first publication date, else the first update date."""
    for date, is_update in dates:
        if not is_update:
            return date
    return dates[0][0] if dates else None

