"""Mine articles/text/broken_plurals.txt: broken plurals and the singular whose stem they take.

Candidates come from the Arabic plural patterns: each singular of the news corpora is matched
against the singular side of a pattern (فعيل, مفعلة, مفعول, فاعل, ...), its root letters put into
the plural side (فعلاء, مفاعل, مفاعيل, فواعل, ...), and the pair is kept when

- both forms occur at least ``--min-count`` times (normalised, particles off, endings on);
- the plural's stem is its own: not a common word once «ه» is read as a pronoun (طلبة → طلب);
- the singular is not as often a verb (يسقط: then سقوط is its verbal noun, not a plural);
- the two stems are used alike: the cosine of their PPMI context vectors (stems within
  ``--window`` words) is at least ``--min-similarity``; this is what keeps عالم (world) from
  علماء (scholars), سلم from سلام and جزيرة from الجزائر.

A plural that several singulars could take goes to the most similar one, and no stem is both a
plural and a singular of kept pairs (no chains). What is left was read by hand (``REJECTED``). The same pass mines
articles/text/t_words.txt: words ending in «ت» that are words of their own (ثابت, بيروت, الكويت),
so that the stemmer reads the «ت» of any other word before a pronoun as the feminine «ة»
(مدرستها → مدرسة) and leaves theirs (الكويتي, ثابته).

    .venv/bin/python bench/mine_broken_plurals.py                 # ../shared/data/news/*.jsonl.gz
    .venv/bin/python bench/mine_broken_plurals.py --min-similarity 0.3 --show --cache /tmp/news.pkl
"""

import argparse
import gzip
import json
import pickle
import re
import sys
from array import array
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.text.normalize import normalize  # noqa: E402
from articles.text.stemmer import (  # noqa: E402
    _PLURALS_FILE,
    _T_WORDS_FILE,
    STOP_WORDS,
    _strip_suffixes,
    strip_particles,
)
from articles.text.tokens import WORD_RE  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news"

# (singular, plural) in normalised spelling (ة → ه, ى → ي); digits are the root letters.
PATTERNS = [
    ("12ي3", "123اء"),      # وزير وزراء, رئيس رؤساء, زعيم زعماء
    ("12ي3", "ا123اء"),     # صديق اصدقاء
    ("12ي3", "12ا3"),       # كبير كبار
    ("12ي3", "123ي"),       # جريح جرحى, قتيل قتلى, اسير اسرى
    ("12ي3", "ا123ه"),      # رغيف ارغفة
    ("12يه", "12ايا"),      # قضية قضايا, ضحية ضحايا
    ("12ي3ه", "12ائ3"),     # حقيقة حقائق, قبيلة قبائل, نتيجة نتائج
    ("12ا3ه", "12ائ3"),     # رسالة رسائل
    ("12ي3ه", "123"),       # مدينة مدن, سفينة سفن
    ("م123ه", "م1ا23"),     # مدرسة مدارس, منطقة مناطق, مرحلة مراحل
    ("م123", "م1ا23"),      # مكتب مكاتب, مجلس مجالس, مركز مراكز
    ("م12و3", "م1ا2ي3"),    # مشروع مشاريع, موضوع مواضيع
    ("م12ا3", "م1ا2ي3"),    # مفتاح مفاتيح
    ("م123", "م1ا2ي3"),     # موعد مواعيد
    ("123", "ا12ا3"),       # ولد اولاد, سعر اسعار, حزب احزاب
    ("1و3", "ا1ا3"),        # يوم ايام
    ("123", "12و3"),        # شهر شهور, جيش جيوش, درس دروس
    ("123", "12ا3"),        # جبل جبال, رجل رجال
    ("1ا23", "12ا3"),       # تاجر تجار, حاكم حكام
    ("1ا23", "123اء"),      # شاعر شعراء
    ("1ا23", "1وا23"),      # شارع شوارع, جانب جوانب
    ("1ا23ه", "1وا23"),     # قاعدة قواعد, عاصمة عواصم
    ("12ا3", "ا123ه"),      # سلاح اسلحة, نظام انظمة, جهاز اجهزة
    ("12ا3", "ا1ا23"),      # مكان اماكن
    ("ت12ي3", "ت1ا2ي3"),    # تقرير تقارير, تفصيل تفاصيل
    ("ت123ه", "ت1ا23"),     # تجربة تجارب
    ("1ي23", "ا12ا3"),      # فيلم افلام
]
# Pairs that pass every test but were read as wrong, by hand, on the list the defaults give
# (``--show``): verb forms (اصاب, دعوا, قضت), words that only fit a pattern (بطول: a championship,
# نساء: NASA, مهام, ثلاث, خلاف, سلام), verbal nouns and adjectives (زواج, عنف, نجاح, فساد), and
# plurals of a related but other word (هداف, حكام, عمال, انصار, كتاب), and adjectives of the فعيلة/فعل pattern (جديدة, جدد).
REJECTED = frozenset("""
اصاب بطول هداف مرات مهام دعوا وزار فائز احراق قرب ذكاء زواج كتاب فتاه شراب صناع بدل اعمار قائد
ثلاث ايجاب عنف خلاف اساء خطوه جنائي اخر طوال كبري قضت نزوح نجاح كلام تقاط يعود نهائي ثمان توافر
اضعاف وقائي هزم مقاتل مقابل عمال انصار اكون اقال اجمال علام طبع حكام بيار بناء اعاد ابحار فساد
عبور صلاح روائي حلف اساس اجبان يكون فخور اعلاه نساء سلام سكان حفاظ قرار اغلاق اتهام حضور
اساءه بعد جدد حدث حزن خطر سرع سعاد سعد ضعف طلاب طول عبد عماد فرق قتل كبر كثر محط معني
""".split())
# A root letter that is a hamza may change its seat between the two forms (رئيس, رؤساء).
HAMZAS = "اءؤئ"


def _compile(singular: str) -> re.Pattern:
    return re.compile("".join(f"(?P<r{char}>.)" if char.isdigit() else re.escape(char) for char in singular) + "$")


_COMPILED = [(_compile(singular), plural) for singular, plural in PATTERNS]


def stem(form: str) -> str:
    """The stem without the plural table: what the table maps from and to."""
    return _strip_suffixes(form)


@lru_cache(maxsize=1 << 20)
def _form(word: str) -> str:
    return strip_particles(word)


def read_corpus(paths, cache: Path | None):
    """Counts of normalised forms (particles off) and each article as an array of form ids (-1: stop word)."""
    if cache and cache.exists():
        with cache.open("rb") as stored:
            return pickle.load(stored)
    forms: Counter = Counter()
    form_ids: dict[str, int] = {}
    documents = []
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                ids = array("i")
                for word in WORD_RE.findall(normalize(f"{record.get('title') or ''}\n{record.get('body') or ''}")):
                    if word in STOP_WORDS:
                        ids.append(-1)
                        continue
                    form = _form(word)
                    forms[form] += 1
                    ids.append(form_ids.setdefault(form, len(form_ids)))
                documents.append(ids)
    result = forms, form_ids, documents
    if cache:
        with cache.open("wb") as stored:
            pickle.dump(result, stored)
    return result


def _seats(form: str):
    """``form`` and its spellings with a hamza on another seat."""
    spellings = {form}
    for index, char in enumerate(form):
        if char in HAMZAS:
            spellings |= {spelling[:index] + seat + spelling[index + 1:] for spelling in spellings for seat in HAMZAS}
    return spellings


def candidates(forms: Counter, *, min_count: int):
    """(plural form, singular form) pairs that fit a pattern, both frequent enough."""
    pairs = set()
    for singular, count in forms.items():
        if count < min_count:
            continue
        for pattern, plural in _COMPILED:
            match = pattern.match(singular)
            if not match:
                continue
            made = "".join(match.group(f"r{char}") if char.isdigit() else char for char in plural)
            spelling = max(_seats(made), key=lambda form: forms.get(form, 0))
            if forms.get(spelling, 0) >= min_count and spelling != singular:
                pairs.add((spelling, singular))
    return pairs


def context_vectors(stem_documents, wanted: set[int], *, window: int, features: int, n_stems: int):
    """Unit PPMI vectors over the ``features`` most frequent stems, for the stem ids in ``wanted``."""
    frequency = np.zeros(n_stems, dtype=np.int64)
    for values in stem_documents:
        frequency += np.bincount(values[values >= 0], minlength=n_stems)
    column = np.full(n_stems + 1, -1, dtype=np.int64)
    column[np.argsort(-frequency)[:features]] = np.arange(min(features, n_stems))
    ordered = sorted(wanted)
    row = np.full(n_stems + 1, -1, dtype=np.int64)
    row[ordered] = np.arange(len(ordered))
    counts = np.zeros(len(ordered) * features, dtype=np.float64)
    for values in stem_documents:
        for offset in range(1, window + 1):
            for centre, neighbour in ((values[:-offset], values[offset:]), (values[offset:], values[:-offset])):
                rows, columns = row[centre], column[neighbour]
                keep = (rows >= 0) & (columns >= 0) & (centre != neighbour)
                np.add.at(counts, rows[keep] * features + columns[keep], 1)
    counts = counts.reshape(len(ordered), features)
    expected = counts.sum(axis=1, keepdims=True) * counts.sum(axis=0, keepdims=True) / max(counts.sum(), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ppmi = np.where(counts > 0, np.maximum(np.log(counts / expected), 0), 0)
    norms = np.linalg.norm(ppmi, axis=1, keepdims=True)
    return {stem_id: index for index, stem_id in enumerate(ordered)}, ppmi / np.where(norms > 0, norms, 1)


def t_words(forms: Counter, *, min_count: int) -> list[str]:
    """Words ending in «ت» at least as common on their own as the feminine «ة» form of their letters."""
    return sorted(
        form for form, count in forms.items()
        if len(form) >= 4 and form.endswith("ت") and not form.endswith("ات") and count >= min_count
        and count * 2 >= forms.get(form[:-1] + "ه", 0)
    )


def mine(forms, form_ids, documents, *, min_count: int, min_similarity: float, window: int, features: int):
    pairs = candidates(forms, min_count=min_count)
    kept = []
    for plural, singular in pairs:
        plural_stem, singular_stem = stem(plural), stem(singular)
        if plural_stem == singular_stem or plural in REJECTED:
            continue
        # «طلبه» is also طلب + ه (his request): its stem is a word of its own.
        if plural_stem != plural and forms.get(plural_stem, 0) * 5 > forms[plural]:
            continue
        # A singular that is as often a verb (يسقط, تدخل) makes the «plural» its verbal noun: سقوط, دخول.
        if 3 * (forms.get("ي" + singular, 0) + forms.get("ت" + singular, 0)) > forms[singular]:
            continue
        kept.append((plural, singular, plural_stem, singular_stem))
    stem_ids: dict[str, int] = {}
    stem_of_form = np.full(len(form_ids) + 1, -1, dtype=np.int64)
    for form, form_id in form_ids.items():
        stem_of_form[form_id] = stem_ids.setdefault(stem(form), len(stem_ids))
    stem_documents = [stem_of_form[np.frombuffer(ids, dtype=np.int32)] for ids in documents]
    wanted = {stem_ids[stem_] for *_, plural_stem, singular_stem in kept for stem_ in (plural_stem, singular_stem)}
    row_of, vectors = context_vectors(stem_documents, wanted, window=window, features=features,
                                      n_stems=len(stem_ids))
    best: dict[str, tuple] = {}
    for plural, singular, plural_stem, singular_stem in kept:
        similarity = float(vectors[row_of[stem_ids[plural_stem]]] @ vectors[row_of[stem_ids[singular_stem]]])
        row = (similarity, plural, singular, plural_stem, singular_stem, forms[plural], forms[singular])
        if similarity >= min_similarity and (plural_stem not in best or best[plural_stem] < row):
            best[plural_stem] = row
    # A stem that is the target of one pair cannot be the source of another (no chains).
    targets = {row[4] for row in best.values()}
    return sorted((row for key, row in best.items() if key not in targets), key=lambda row: row[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.jsonl.gz news files")
    parser.add_argument("--min-count", type=int, default=10)
    parser.add_argument("--min-similarity", type=float, default=0.2)
    parser.add_argument("--window", type=int, default=3)
    parser.add_argument("--features", type=int, default=5000)
    parser.add_argument("--cache", type=Path, help="pickle of the corpus counts, reused when present")
    parser.add_argument("--show", action="store_true", help="print every kept pair with its counts and similarity")
    parser.add_argument("--output", type=Path, default=_PLURALS_FILE)
    parser.add_argument("--t-output", type=Path, default=_T_WORDS_FILE)
    args = parser.parse_args()
    forms, form_ids, documents = read_corpus(sorted(args.data.glob("*.jsonl.gz")), args.cache)
    rows = mine(forms, form_ids, documents, min_count=args.min_count, min_similarity=args.min_similarity,
                window=args.window, features=args.features)
    if args.show:
        for similarity, plural, singular, _, _, plural_count, singular_count in rows:
            print(f"{similarity:.2f} {plural} {plural_count} → {singular} {singular_count}")
    args.output.write_text("".join(f"{row[1]} {row[2]}\n" for row in rows), encoding="utf-8")
    print(f"{len(rows)} pairs → {args.output}")
    words = t_words(forms, min_count=3)
    args.t_output.write_text("".join(f"{word}\n" for word in words), encoding="utf-8")
    print(f"{len(words)} words → {args.t_output}")


if __name__ == "__main__":
    main()
