"""The one stop-word list and light stemmer (articles.text.stemmer)."""

import pytest

from articles.text.normalize import normalize
from articles.text.stemmer import STOP_WORDS, light_stem, strip_particles


@pytest.mark.parametrize("word", ["في", "الي", "علي", "الذي", "وفي", "فقد", "متي", "ماهي", "بماذا", "و"])
def test_function_words_are_stop_words_in_normalised_form(word):
    assert word in STOP_WORDS


@pytest.mark.parametrize("word", ["عمر", "عام", "سنه", "وليد", "مصر"])
def test_names_and_content_words_are_not_stop_words(word):
    assert word not in STOP_WORDS


def test_stop_words_are_listed_in_their_normalised_spelling():
    assert {word for word in STOP_WORDS if normalize(word) != word} == set()


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("وليد", "وليد"),
        ("وائل", "وائل"),
        ("والمدرسة", "مدرس"),
        ("المدرسة", "مدرس"),
        ("بالمكتبات", "مكتب"),
        ("وكتابه", "كتاب"),
        ("الكتاب", "كتاب"),
        ("للمدرسة", "مدرس"),
        ("الوزير", "وزير"),
        ("وزيرة", "وزير"),
        ("ووزير", "وزير"),
        ("المسلمين", "مسلم"),
        ("علي", "علي"),
        ("سنة", "سنه"),
        ("بيروت", "بيروت"),
        ("لبنان", "لبنان"),
        ("اللبناني", "لبنان"),
        ("وزراء", "وزراء"),
        ("ملاكم", "ملاكم"),
    ],
)
def test_light_stem_removes_particles_and_endings_but_not_name_letters(word, stem):
    assert light_stem(normalize(word)) == stem


# Each group must share one stem: inflections, nisba and feminine forms, and every attached
# particle (an attached و, ف, ب, ك or ل never blocks a match). Broken plurals (وزراء/وزير,
# مدارس/مدرسة) are groups of their own: conflating them through simplemma's lemmas lowered arcd
# MRR@10 (docs/search.md).
CONFLATE = [
    ("وزير", "الوزير", "وزيرا", "ووزير", "وزيره", "بالوزير", "للوزير", "فالوزير", "وزيرها", "ووزيرها", "وزيرة", "الوزيرة"),
    ("وزراء", "الوزراء", "وبالوزراء", "للوزراء", "والوزراء", "بوزراء", "ووزراء"),
    ("مدرسة", "المدرسة", "والمدرسة", "بالمدرسة", "للمدرسة", "ومدرسة"),
    ("مدارس", "المدارس", "والمدارس", "بالمدارس", "للمدارس", "ومدارس"),
    ("مدة", "المدة", "ولمدة", "لمدة", "بالمدة", "للمدة"),
    ("تنبيه", "وتنبيه", "التنبيه", "بتنبيه"),
    ("ليبيا", "الليبية", "الليبي", "ليبي", "الليبيين", "وليبيا", "بليبيا", "لليبيا", "الليبيون", "ليبية"),
    ("لبنان", "اللبناني", "اللبنانية", "ولبنان", "بلبنان", "اللبنانيين", "اللبنانيون"),
    ("سوريا", "سورية", "السوري", "السورية", "السوريين", "وسوريا", "بسوريا", "السوريون"),
    ("تركيا", "التركي", "التركية", "وتركيا", "التركيين"),
    ("روسيا", "الروسي", "الروسية", "وروسيا", "الروسيين"),
    ("فلسطين", "الفلسطيني", "الفلسطينية", "الفلسطينيين", "وفلسطين", "بفلسطين", "لفلسطين"),
    ("بيروت", "وبيروت", "لبيروت", "ببيروت"),
    ("مصر", "المصري", "المصرية", "المصريين", "ومصر", "بمصر", "لمصر"),
    ("تونس", "التونسي", "التونسية", "وتونس", "بتونس", "التونسيين"),
    ("الداخلية", "الداخلي", "داخلية", "والداخلية", "بالداخلية"),
    ("الخارجية", "الخارجي", "خارجية", "والخارجية", "للخارجية"),
    ("قال", "وقال", "فقال"),
    ("أضاف", "وأضاف", "فأضاف"),
    ("كتاب", "الكتاب", "وكتاب", "بكتاب", "كتابه", "كتابها", "الكتابين"),
    ("مسلم", "المسلمين", "المسلمون", "مسلمون", "مسلمة", "والمسلمين"),
    ("معلم", "المعلمين", "للمعلمين", "المعلمون", "معلمة", "المعلمات"),
    ("انتخاب", "الانتخابات", "انتخابات", "والانتخابات", "بالانتخابات", "للانتخابات"),
    ("حكومة", "الحكومة", "والحكومة", "بالحكومة", "للحكومة", "حكومات", "الحكومات"),
    ("رئيس", "الرئيس", "والرئيس", "للرئيس", "رئيسة", "رئيسها"),
    ("شرطة", "الشرطة", "والشرطة", "بالشرطة", "للشرطة"),
    ("دولي", "الدولي", "الدولية", "دوليا", "دولية"),
    ("رسمي", "الرسمي", "الرسمية", "رسميا", "رسمية"),
    ("حالي", "الحالي", "الحالية", "حاليا"),
    ("سياسي", "السياسي", "السياسية", "السياسيين", "سياسيا"),
    ("اقتصاد", "الاقتصاد", "والاقتصاد", "بالاقتصاد", "للاقتصاد"),
    ("مشروع", "المشروع", "مشروعات", "المشروعات", "ومشروع", "بمشروع"),
    ("صحفي", "الصحفي", "الصحفيين", "الصحفية", "صحفيون"),
    ("مؤتمر", "المؤتمر", "والمؤتمر", "بالمؤتمر", "مؤتمرات"),
    ("وليد", "ووليد", "لوليد", "بوليد"),
    ("وائل", "ووائل", "لوائل"),
]

# Each pair must not share a stem: names against what their first letters would leave, false
# friends that only look like an inflection.
APART = [
    ("ملاكم", "ملا"),
    ("داخل", "الداخلية"),
    ("خارج", "الخارجية"),
    ("وليد", "ليد"),
    ("وائل", "ائل"),
    ("ليبيا", "يبيا"),
    ("لبنان", "بنان"),
    ("وزراء", "زراء"),
    ("بيروت", "يروت"),
    ("فلسطين", "لسطين"),
    ("مكتبة", "كاتب"),
    ("مكتوب", "كاتب"),
    ("علي", "عل"),
    ("واشنطن", "اشنطن"),
    ("فرنسا", "رنسا"),
    ("باريس", "اريس"),
    ("بغداد", "غداد"),
    ("فريق", "ريق"),
    ("وطني", "طني"),
    ("كلمة", "لمة"),
    ("بيان", "يان"),
    ("فيلم", "يلم"),
    ("وسط", "سط"),
    ("لقاء", "قاء"),
    ("بداية", "داية"),
]


def test_the_conflation_table_has_at_least_200_words():
    words = {word for group in CONFLATE for word in group} | {word for pair in APART for word in pair}
    assert len(words) >= 200


@pytest.mark.parametrize("group", CONFLATE, ids=lambda group: group[0])
def test_inflections_and_attached_particles_share_one_stem(group):
    stems = {word: light_stem(normalize(word)) for word in group}
    assert len(set(stems.values())) == 1, stems


@pytest.mark.parametrize("pair", APART, ids=lambda pair: "/".join(pair))
def test_names_and_false_friends_keep_apart(pair):
    first, second = (light_stem(normalize(word)) for word in pair)
    assert first != second


def test_groups_of_different_words_have_different_stems():
    owners = {}
    for group in CONFLATE:
        owners.setdefault(light_stem(normalize(group[0])), []).append(group[0])
    assert {stem: names for stem, names in owners.items() if len(names) > 1} == {}


def test_light_stem_keeps_kitab_family_words_apart():
    stems = {light_stem(normalize(word)) for word in ("مكتبة", "مكتوب", "كاتب")}
    assert len(stems) == 3


@pytest.mark.parametrize(
    "forms", [("وزير", "الوزير", "ووزير", "وزيره", "بالوزير"), ("كتاب", "الكتاب", "وكتاب", "بكتاب")]
)
def test_light_stem_gives_every_attached_form_of_a_word_the_same_stem(forms):
    assert len({light_stem(normalize(form)) for form in forms}) == 1


@pytest.mark.parametrize(("word", "expected"), [("والمدرس", "مدرس"), ("مدرسه", "مدرسه"), ("وليد", "وليد")])
def test_strip_particles_keeps_endings(word, expected):
    assert strip_particles(word) == expected
