"""The rules the builtin extractor applies on top of the CRF, each on tags given by hand, on
sentences written for these tests."""

import pytest

from articles.entities import rules
from articles.entities.base import bio_spans
from articles.entities.features import Gazetteer
from articles.entities.lexicons import dictionary_form, is_nisba
from articles.entities.rules import junk_reason
from articles.text.normalize import normalize_word
from articles.text.tokens import tokenize_with_punctuation


def _tokens(text):
    return [t for t, _, _ in tokenize_with_punctuation(text)]


def _named(tokens, tags, kind=None):
    return [(k, " ".join(tokens[a:b])) for k, a, b in bio_spans(tags) if kind in (None, k)]


@pytest.mark.parametrize("text, tags, expected", [
    # A place-name prefix opens the span: «سيدي بوزيد» is a town, not «Mr Bouzid».
    ("وصل إلى سيدي بوزيد أمس", ["O", "O", "B-PERS", "I-PERS", "O"], ("LOC", "سيدي بوزيد")),
    ("زار عين التينة", ["O", "B-PERS", "I-PERS"], ("LOC", "عين التينة")),
    # A noun that introduces a place precedes it: «حي …», «منطقتي …».
    ("بين منطقتي فلان جابر", ["O", "O", "B-PERS", "I-PERS"], ("LOC", "فلان جابر")),
    # The noun itself inside the span is not part of the name.
    ("على شاطئي كيمادو", ["O", "B-PERS", "I-PERS"], ("LOC", "كيمادو")),
])
def test_place_prefix_rule_turns_person_spans_that_are_places_into_places(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.place_prefix_rule(tokens, tags)
    assert _named(tokens, tags) == [expected]


def test_place_prefix_rule_leaves_ordinary_person_names_alone():
    tokens = _tokens("قال سيدي الرئيس إن محمد جابر وصل")
    tags = ["O", "O", "O", "O", "B-PERS", "I-PERS", "O"]
    rules.place_prefix_rule(tokens, tags)
    assert bio_spans(tags) == [("PERS", 4, 6)]


@pytest.mark.parametrize("text, expected", [
    # Weak heads make common phrases with one complement: no organisation.
    ("تسببت الأمطار في تعطل حركة المرور بالمدينة", []),
    ("تترأس لجنة التحكيم المخرجة فلانة", []),
    ("واختارت إدارة المهرجان الفيلم الوثائقي", []),
    # With a longer complement they still name an institution.
    ("قالت إدارة الأرصاد الجوية إن", ["إدارة الأرصاد الجوية"]),
    ("أعلنت إدارة تنظيم الاتصالات", ["إدارة تنظيم الاتصالات"]),
    # Bare nouns before the complement, and the conjunction left out of the name.
    ("وصل ممثلو جهاز تنظيم الاتصالات وهيئة مياه الشرب", ["جهاز تنظيم الاتصالات", "وهيئة مياه الشرب"]),
    # Nisba adjectives and «لل…» complements (also joined by «و») continue the name.
    ("فاز بطل الاتحاد المصري للسباحة أمس", ["الاتحاد المصري للسباحة"]),
    ("باحثون من جامعة المتوسط للعلوم والتكنولوجيا في بيروت", ["جامعة المتوسط للعلوم والتكنولوجيا"]),
    # A plain noun, a place or a time word after the complement starts a new phrase.
    ("وكيل وزارة الصحة بالإسكندرية", ["وزارة الصحة"]),
    ("أعلنت المديرية العامة للأرصاد الجوية المواطنين", ["المديرية العامة للأرصاد الجوية"]),
    ("اجتمع مجلس الوزراء اليوم", ["مجلس الوزراء"]),
    # A definite head alone is not a name.
    ("وقالت الوزارة إن", []),
    # Nor is a head described by a word with a pronoun on it.
    ("ثاني شركة تصل قيمتها السوقية إلى", []),
    ("ترأس شركة معروفة بصلاتها الوثيقة بالحكومة", []),
    ("يتولى إدارة أعمال عائلته العقارية", []),
])
def test_org_rule_tags_institution_names_but_not_common_phrases(text, expected):
    tokens = _tokens(text)
    tags = ["O"] * len(tokens)
    rules.org_rule(tokens, tags)
    assert [name for _, name in _named(tokens, tags, "ORG")] == expected


@pytest.mark.parametrize("text, tags, expected", [
    # «العربية» belongs to a curated place name but is an adjective here.
    ("(المصدر: وكالة الأنباء العربية)", None, ["وكالة الأنباء العربية"]),
    # A bare name the CRF half-tagged, then a «لل…» complement.
    ("طورته شركة نيل سوفت للحلول الرقمية بالتعاون",
     ["O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O"], ["شركة نيل سوفت للحلول الرقمية"]),
])
def test_org_rule_keeps_adjectives_and_completes_half_tagged_company_names(text, tags, expected):
    tokens = _tokens(text)
    tags = list(tags or ["O"] * len(tokens))
    rules.org_rule(tokens, tags)
    assert [name for _, name in _named(tokens, tags, "ORG")] == expected


def test_org_rule_leaves_an_indefinite_description_alone():
    tokens = _tokens("بتمويل من مؤسسة أوروبية للبحث العلمي")
    tags = ["O"] * len(tokens)
    rules.org_rule(tokens, tags)
    assert bio_spans(tags) == []


@pytest.mark.parametrize("text, tags, expected", [
    ("زيارته لجمهورية مصر العربية", ["O", "O", "B-LOC", "I-LOC"], [("LOC", "مصر")]),
    ("في الإمارات العربية المتحدة", ["O", "B-LOC", "I-LOC", "I-LOC"], [("LOC", "الإمارات العربية المتحدة")]),
])
def test_formal_place_rule_cuts_formal_adjectives_off_a_curated_place(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.formal_place_rule(tokens, tags)
    assert _named(tokens, tags) == expected


@pytest.mark.parametrize("text, tags, expected", [
    # Curated places fill untagged tokens, longest match, proclitics ignored.
    ("سافر إلى الدار البيضاء ثم بالرباط", ["O"] * 6, [("LOC", "الدار البيضاء"), ("LOC", "بالرباط")]),
    # ... but never change what the CRF tagged.
    ("نادي القاهرة", ["B-ORG", "I-ORG"], [("ORG", "نادي القاهرة")]),
])
def test_place_rule_fills_curated_places_the_crf_left_untagged(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.place_rule(tokens, tags)
    assert _named(tokens, tags) == expected


@pytest.mark.parametrize("text, tags, expected", [
    ("استقبل حمد بن خليفة الوفد", ["O", "B-PERS", "O", "O", "O"], [("PERS", "حمد بن خليفة")]),
    # A link followed by a stop or time word is not a name.
    ("التقى سالم بن في", ["O", "B-PERS", "O", "O"], [("PERS", "سالم")]),
    ("التقى سالم بن أمس", ["O", "B-PERS", "O", "O"], [("PERS", "سالم")]),
])
def test_name_link_rule_extends_a_person_over_bin_and_al(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.name_link_rule(tokens, tags)
    assert _named(tokens, tags) == expected


def test_a_place_or_organisation_tagged_once_is_tagged_where_it_recurs_in_the_article():
    gaz = Gazetteer({}, {}, frozenset({"المدينه"}))
    sentences = [_tokens("زار الوفد الزنتان ."), _tokens("ثم عاد من بالزنتان ."), _tokens("وصل إلى المدينة ."),
                 _tokens("غادر المدينة .")]
    tagged = [["O", "O", "B-LOC", "O"], ["O", "O", "O", "O", "O"], ["O", "O", "B-LOC", "O"],
              ["O", "O", "O"]]
    rules.propagate_names(sentences, tagged, gaz)
    assert tagged[1] == ["O", "O", "O", "B-LOC", "O"]
    assert tagged[3] == ["O", "O", "O"]  # a common word is not copied


def test_a_surname_tagged_once_is_tagged_where_it_recurs_alone():
    gaz = Gazetteer({}, {}, frozenset())
    sentences = [_tokens("قال سمير حداد ."), _tokens("وأضاف حداد أن ."), _tokens("وقال سمير .")]
    tagged = [["O", "B-PERS", "I-PERS", "O"], ["O"] * 4, ["O"] * 3]
    rules.propagate_names(sentences, tagged, gaz)
    assert tagged[1] == ["O", "B-PERS", "O", "O"]
    assert tagged[2] == ["O", "O", "O"]  # a given name alone may be anyone


def test_nisba_adjectives_are_recognised_but_place_names_are_not():
    assert is_nisba(normalize_word("المصرية")) and is_nisba(normalize_word("الوطني"))
    assert not is_nisba(normalize_word("بالإسكندرية")) and not is_nisba(normalize_word("السعودية"))
    assert not is_nisba(normalize_word("الصحة"))


@pytest.mark.parametrize("word, form", [
    ("وللقاهرة", "القاهرة"),
    ("بمصر", "مصر"),        # a curated place: the preposition goes without an article
    ("لوزارة", "وزارة"),
    ("وليد", "وليد"),       # a given name keeps its first letter
    ("وزير", "وزير"),
    ("بيروت", "بيروت"),
])
def test_dictionary_form_is_what_the_lexicons_hold(word, form):
    assert dictionary_form(normalize_word(word)) == normalize_word(form)



@pytest.mark.parametrize("text, before, after, reason", [
    ("مبروك يا محمد صلاح ومبروك", "", "", "vocative"),
    ("يا محمد", "", "", "vocative"),
    ("أكتوبر", "في ", "", "month"),
    ("تشرين", "", "", "month"),
    ("نيسان", "في 12 ", " 2020", "month"),
    ("نيسان", "شركة ", " اليابانية", None),           # the carmaker
    ("#ترمب", "", "", "hashtag"),
    ("ترمب", "وسم #", "", "hashtag"),
    ("قال محمد", "", "", "verb"),
    ("محمد صلاح", "", "", None),
    ("بيونغ يانغ", "", "", None),
    ("أف أم", "", "", "initials"),
    ("بي", "", "", "initials"),
    ("بي بي سي", "", "", None),
])
def test_junk_spans_are_named(text, before, after, reason):
    assert junk_reason(text, before, after) == reason


@pytest.mark.parametrize("text, tags, expected", [
    # A curated place is a place, whatever proclitic the CRF took it with.
    ("افتتح مدرسة بفرنسا أمس", ["O", "O", "B-PERS", "O"], [("LOC", "بفرنسا")]),
    ("أعلنت تركيا ذلك", ["O", "B-ORG", "O"], [("LOC", "تركيا")]),
    # A place-name prefix behind a preposition, and a person after the place in the same span.
    ("قال عضو النقابة بسيدي بوزيد مختار الجلالي",
     ["O", "O", "O", "B-PERS", "I-PERS", "I-PERS", "I-PERS"],
     [("LOC", "بسيدي بوزيد"), ("PERS", "مختار الجلالي")]),
    # An organisation ends where «ب» + a place begins.
    ("عضو النقابة العامة بسيدي بوزيد", ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG"],
     [("ORG", "النقابة العامة"), ("LOC", "بسيدي بوزيد")]),
    ("عضو النقابة العامة بالقاهرة", ["O", "B-ORG", "I-ORG", "I-ORG"],
     [("ORG", "النقابة العامة"), ("LOC", "بالقاهرة")]),
    ("عضو النقابة الأساسية بالقاهرة", ["O", "B-ORG", "I-ORG", "I-ORG"],
     [("ORG", "النقابة الأساسية بالقاهرة")]),             # a local branch keeps its place
    # A person named right after an organisation's name is not part of it; after a title they are.
    ("قال البنك المركزي الشاذلي فلان", ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG"],
     [("ORG", "البنك المركزي"), ("PERS", "الشاذلي فلان")]),
    ("في مستشفى الملك فهد الجامعي", ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG"],
     [("ORG", "مستشفى الملك فهد الجامعي")]),
    # A noun that introduces a place or a building, also with a proclitic.
    ("التمشيط بمنطقة بن فلان", ["O", "O", "B-PERS", "I-PERS"], [("LOC", "بن فلان")]),
    ("نقل إلى مستشفى جان دوفال", ["O", "O", "O", "B-PERS", "I-PERS"], [("LOC", "جان دوفال")]),
    # A curated place that is also a common adjective, after an indefinite noun, is the adjective.
    ("فتح تحقيق مالي وإداري", ["O", "O", "B-LOC", "O"], []),
    ("زار الوزير مالي", ["O", "O", "B-LOC"], [("LOC", "مالي")]),
    ("وصل إلى مالي", ["O", "O", "B-LOC"], [("LOC", "مالي")]),
    # People stay people.
    ("قال سمير حداد", ["O", "B-PERS", "I-PERS"], [("PERS", "سمير حداد")]),
])
def test_kind_rule_gives_places_their_kind(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.kind_rule(tokens, tags, Gazetteer({}, {}, frozenset({normalize_word("مالي")})))
    assert _named(tokens, tags) == expected


@pytest.mark.parametrize("text, tags, expected", [
    # A definite given name before the surname is the name, not the end of the title.
    ("استقبل رئيس الجمهورية الباجي فلان السبسي", ["O", "O", "O", "O", "B-PERS", "I-PERS"],
     [("PERS", "الباجي فلان السبسي")]),
    ("قال محمد الفلاني", ["O", "O", "B-PERS"], [("PERS", "محمد الفلاني")]),
    # A given name the CRF took for a place, before its surname.
    ("نفى وزير الداخلية الهادي مجدوبي ذلك", ["O", "O", "O", "B-LOC", "O", "O"],
     [("PERS", "الهادي مجدوبي")]),
    # A street named after someone stays a place; a given name before a stop word stays as it was.
    ("في شارع الهادي شاكري", ["O", "O", "B-LOC", "O"], [("LOC", "الهادي")]),
    ("وصل الهادي إلى", ["O", "B-LOC", "O"], [("LOC", "الهادي")]),
])
def test_given_name_rule_joins_a_given_name_to_its_person(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.given_name_rule(tokens, tags)
    assert _named(tokens, tags) == expected


@pytest.mark.parametrize("text, tags, expected", [
    # Places between the head and a «لل…» complement are words of the name.
    ("قال لوكالة تونس أفريقيا للأنباء إن", ["O", "O", "B-LOC", "B-LOC", "O", "O"],
     ["لوكالة تونس أفريقيا للأنباء"]),
    ("أعلنت شركة مصر للطيران عن", ["O", "O", "B-LOC", "O", "O"], ["شركة مصر للطيران"]),
    # Without such a complement the place is not part of it.
    ("وكيل وزارة مصر الجديدة", ["O", "O", "B-LOC", "O"], []),
    # A local branch keeps its place: the regional bodies of two towns are two organisations.
    ("قرر الاتحاد الجهوي للشغل بصفاقس الإضراب", ["O", "O", "O", "O", "B-LOC", "O"],
     ["الاتحاد الجهوي للشغل بصفاقس"]),
    ("طالب الاتحاد الجهوي للشغل بسيدي بوزيد بالتنمية", ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O"],
     ["الاتحاد الجهوي للشغل بسيدي بوزيد"]),
    ("طالب الاتحاد الجهوي للشغل بسيدي بوزيد بالتنمية", ["O"] * 7, ["الاتحاد الجهوي للشغل بسيدي بوزيد"]),
    ("قضت محكمة الاستئناف بسوسة بتأجيل", ["O", "O", "O", "B-LOC", "O"], ["محكمة الاستئناف بسوسة"]),
    ("قرر الاتحاد العام للشغل بصفاقس الإضراب", ["O", "O", "O", "O", "B-LOC", "O"],
     ["الاتحاد العام للشغل"]),
    # A short nisba ends the name («الجوي»), not a fragment of its own.
    ("أكد المعهد الوطني للرصد الجوي أن", ["O"] * 4 + ["B-ORG", "O"], ["المعهد الوطني للرصد الجوي"]),
    # One «و» + definite noun joins a lone complement.
    ("قالت رئيسة هيئة الحقيقة والكرامة إن", ["O"] * 6, ["هيئة الحقيقة والكرامة"]),
])
def test_org_rule_keeps_places_and_short_adjectives_inside_names(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.org_rule(tokens, tags)
    assert [name for _, name in _named(tokens, tags, "ORG")] == expected


@pytest.mark.parametrize("text, kind, reason", [
    ("وزارة", "ORG", "head"),
    ("الوزارة", "ORG", "head"),
    ("وزارة الصحة", "ORG", None),
    ("وكالة الأنباء الرسمية", "ORG", "description"),
    ("الوكالة الرسمية", "ORG", None),               # too short to tell
    ("الرائد الرسمي", "ORG", None),                  # a gazette's name, not an institution head
    ("هيئة", "PERS", None),
])
def test_the_head_of_an_institution_alone_or_described_is_not_an_organisation(text, kind, reason):
    assert junk_reason(text, kind=kind) == reason


@pytest.mark.parametrize("text, tags, expected", [
    ("ضيف برنامج \" فلانيكا \" اليوم", ["O", "O", "O", "B-ORG", "O", "O"], []),
    ("في مسلسل باب الحارة", ["O", "O", "B-LOC", "I-LOC"], []),
    # A definite name after «برنامج» is an organisation's: «برنامج الأمم المتحدة الإنمائي».
    ("قال برنامج الأمم المتحدة", ["O", "O", "B-ORG", "I-ORG"], [("ORG", "الأمم المتحدة")]),
])
def test_kind_rule_drops_the_title_of_a_programme_or_film(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.kind_rule(tokens, tags, Gazetteer({}, {}, frozenset()))
    assert _named(tokens, tags) == expected


def test_a_kind_corrected_once_holds_for_the_whole_article():
    gaz = Gazetteer({}, {}, frozenset())
    sentences = [_tokens("بن فلان : إيقاف شخص"), _tokens("تم ذلك بمنطقة بن فلان أمس"),
                 _tokens("ضيف برنامج فلانيكا اليوم"), _tokens("وقال في فلانيكا إن")]
    tagged = [["B-PERS", "I-PERS", "O", "O", "O"], ["O", "O", "O", "B-PERS", "I-PERS", "O"],
              ["O", "O", "B-LOC", "O"], ["O", "O", "B-ORG", "O"]]
    changed = {}
    for tokens, tags in zip(sentences, tagged):
        changed.update(rules.kind_rule(tokens, tags, gaz))
    for tokens, tags in zip(sentences, tagged):
        rules.apply_kinds(tokens, tags, changed)
    assert [_named(t, tags) for t, tags in zip(sentences, tagged)] == [
        [("LOC", "بن فلان")], [("LOC", "بن فلان")], [], []]


@pytest.mark.parametrize("text, tags, expected", [
    # A verb inside a person's or an organisation's span ends it.
    ("وقال ترامب طالب بالمزيد", ["O", "B-PERS", "I-PERS", "O"], [("PERS", "ترامب")]),
    ("إن ترامب استخدم عبارة", ["O", "B-PERS", "I-PERS", "I-PERS"], [("PERS", "ترامب")]),
    ("إن إدارة ترامب تنوي الإبقاء", ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG"], [("ORG", "إدارة ترامب")]),
    ("وصل سمير حداد", ["O", "B-PERS", "I-PERS"], [("PERS", "سمير حداد")]),
])
def test_verb_rule_ends_a_name_before_a_verb(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.verb_rule(tokens, tags)
    assert _named(tokens, tags) == expected


@pytest.mark.parametrize("text, tags, expected", [
    # A place-shaped nisba right after an organisation is its nationality.
    ("ذكرت وكالة الأنباء السعودية أمس", ["O", "B-ORG", "I-ORG", "B-LOC", "O"],
     [("ORG", "وكالة الأنباء السعودية")]),
    ("قالت وزارة الخارجية السعودية", ["O", "B-ORG", "I-ORG", "O"], [("ORG", "وزارة الخارجية السعودية")]),
    # Behind a preposition it is the country.
    ("وكالة الأنباء في السعودية", ["B-ORG", "I-ORG", "O", "B-LOC"],
     [("ORG", "وكالة الأنباء"), ("LOC", "السعودية")]),
])
def test_org_nationality_rule_joins_a_country_adjective_to_the_organisation(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.org_nationality_rule(tokens, tags)
    assert _named(tokens, tags) == expected


@pytest.mark.parametrize("text, tags, expected", [
    # «على» (on) normalises to the given name «علي»: it does not start the person.
    ("وأثنى على ترمب", ["O", "O", "B-PERS"], [("PERS", "ترمب")]),
    ("والتقى علي ترمب", ["O", "O", "B-PERS"], [("PERS", "علي ترمب")]),
])
def test_given_name_rule_does_not_take_a_function_word_for_a_given_name(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.given_name_rule(tokens, tags)
    assert _named(tokens, tags) == expected


@pytest.mark.parametrize("text, tags, expected", [
    # A place the rules know beside the CRF's lexicon, and a country in sport.
    ("قالت بيونغ يانغ إنها", ["O", "B-PERS", "I-PERS", "O"], [("LOC", "بيونغ يانغ")]),
    ("وفازت الأوروغواي أمس", ["O", "B-ORG", "O"], [("LOC", "الأوروغواي")]),
    ("ملحمة بن قردان", ["O", "B-PERS", "I-PERS"], [("LOC", "بن قردان")]),
])
def test_kind_rule_makes_places_of_rule_places(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.kind_rule(tokens, tags, Gazetteer({}, {}, frozenset()))
    assert _named(tokens, tags) == expected


@pytest.mark.parametrize("text, before, after, kind, reason", [
    ("نيسان", "في أبريل ", " الماضي", "ORG", "month"),
    ("نيسان", "في ", "/إبريل", "ORG", "month"),
    ("نيسان", "سيارات ", " اليابانية", "ORG", None),
    ("الأكراد", "المقاتلين ", "", "ORG", "people"),
    ("لأكراد", "", "", "ORG", "people"),
    ("الأكراد", "", "", "PERS", None),
])
def test_months_beside_their_other_name_and_peoples_are_junk(text, before, after, kind, reason):
    assert junk_reason(text, before, after, kind=kind) == reason


@pytest.mark.parametrize("text, tags, expected", [
    ("فاز أتلتيكو مدريد أمس", ["O", "B-ORG", "B-LOC", "O"], [("ORG", "أتلتيكو مدريد")]),
    # A definite name or an institution head followed by a place is two names.
    ("بعثة الأمم المتحدة سوريا", ["O", "B-ORG", "I-ORG", "B-LOC"], [("ORG", "الأمم المتحدة"), ("LOC", "سوريا")]),
    ("شركة مدريد", ["B-ORG", "B-LOC"], [("ORG", "شركة"), ("LOC", "مدريد")]),
    ("فاز أتلتيكو بمدريد", ["O", "B-ORG", "B-LOC"], [("ORG", "أتلتيكو"), ("LOC", "بمدريد")]),
])
def test_club_rule_joins_a_one_word_club_to_its_town(text, tags, expected):
    tokens, tags = _tokens(text), list(tags)
    rules.club_rule(tokens, tags)
    assert _named(tokens, tags) == expected
