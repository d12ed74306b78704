"""Entity extraction with the shipped builtin model: spans, roles and resolved names on invented
news text, and the reference paste of ../shared (a corpus test)."""

from pathlib import Path

import pytest

from articles.entities import KINDS, Span, get_extractor, resolve
from tests.conftest import SEED_ENTITIES

DEMO_DIR = Path(__file__).resolve().parents[2] / "articles" / "demo"

# An invented article in the layout of the pasted ones: a title without final punctuation,
# a quoted surname, roles before names, surnames recurring alone, «لل…» before a place.
ARTICLE = """\
وزير الصحة الدكتور “حداد” يفتتح مستشفى جديدا في صيدا
افتتح وزير الصحة الدكتور سمير حداد، اليوم الأحد، مستشفى الرحمة الجديد في مدينة صيدا، بحضور رئيس البلدية المهندس كريم الأسعد وممثلين عن منظمة الصحة العالمية.
وقال حداد إن المستشفى يضم مئة وعشرين سريرا، وإن وزارة الصحة ستزوده بالأجهزة اللازمة خلال الأشهر المقبلة.
وأشار الأسعد إلى أن البلدية خصصت الأرض مجانا، مضيفا أن المشروع موّل بمنحة من الصندوق الكويتي للتنمية، وأن وفدا سيزور بيروت وللقاهرة الأسبوع المقبل.
"""


@pytest.fixture(scope="module")
def spans():
    return get_extractor("builtin").extract(ARTICLE)


@pytest.fixture(scope="module")
def names(spans):
    """{kind: canonical names} of the invented article."""
    found = {kind: set() for kind in KINDS}
    for span, canonical in resolve(spans):
        found[span.kind].add(canonical)
    return found


@pytest.mark.parametrize("kind, name", [
    ("PERS", "سمير حداد"),
    ("PERS", "كريم الأسعد"),
    ("ORG", "منظمة الصحة العالمية"),
    ("ORG", "وزارة الصحة"),
    ("ORG", "الصندوق الكويتي للتنمية"),
    ("LOC", "صيدا"),
    ("LOC", "بيروت"),
    ("LOC", "القاهرة"),
])
def test_invented_article_yields_its_people_organisations_and_places(names, kind, name):
    assert name in names[kind]


def test_surnames_alone_resolve_to_the_full_name_and_nothing_else_is_a_person(spans, names):
    assert names["PERS"] == {"سمير حداد", "كريم الأسعد"}
    assert [s.text for s in spans if s.kind == "PERS"] == ["حداد", "سمير حداد", "كريم الأسعد", "حداد", "الأسعد"]


@pytest.mark.parametrize("name, role", [
    ("سمير حداد", "وزير الصحة الدكتور"),
    ("كريم الأسعد", "رئيس البلدية المهندس"),
    ("حداد", "وزير الصحة الدكتور"),   # in the title, behind quotes
])
def test_person_carries_the_role_that_introduces_them(spans, name, role):
    assert role in {s.role for s in spans if s.kind == "PERS" and s.text == name}


@pytest.mark.parametrize("text, name, role", [
    # «بـ» before a title ends the phrase before it: the crown prince is not Putin's role.
    ("رحب ولي العهد بالرئيس الروسي فلاديمير بوتين في الرياض.", "فلاديمير بوتين", "الرئيس الروسي"),
    ("أجرى ولي العهد السعودي اتصالا هاتفيا بالرئيس الروسي فلاديمير بوتين أمس.", "فلاديمير بوتين", "الرئيس الروسي"),
    # «بـ» or «لـ» before what is not a title stays inside the role.
    ("واستقبل الوزير القائم بالأعمال الأمريكي جون ديفيد في مكتبه.", "جون ديفيد", "الوزير القائم بالأعمال الأمريكي"),
    ("وقال المبعوث الخاص للأمين العام للأمم المتحدة غسان سلامة إن الحوار مستمر.", "غسان سلامة",
     "المبعوث الخاص للأمين العام للأمم المتحدة"),
])
def test_a_role_starts_at_a_title_behind_the_preposition_b(text, name, role):
    (span,) = [s for s in get_extractor("builtin").extract(text) if s.kind == "PERS" and s.text == name]

    assert span.role == role


def test_a_name_the_tagger_found_carries_its_confidence_and_one_a_rule_alone_found_none(spans):
    confidence = {span.text: span.confidence for span in spans}
    assert 0.5 < confidence["سمير حداد"] <= 1
    assert confidence["وزارة الصحة"] is None  # the institution rule's, not the tagger's
    assert all(span.confidence is None or 0 < span.confidence <= 1 for span in spans)


@pytest.mark.parametrize("text, names", [
    ("وتضم المجموعة مدن لندن وغلاسكو وكوبنهاغن.", ["لندن", "غلاسكو", "كوبنهاغن"]),
    ("وسجل لوكاس فاسكيز الهدف الأول ولويس سواريز الثاني.", ["لوكاس فاسكيز", "لويس سواريز"]),
    ("والتقى ترامب وكيم جونغ أون في سنغافورة.", ["كيم جونغ أون", "سنغافورة"]),
])
def test_and_comes_off_a_name_the_news_writes_without_it(text, names):
    assert [span.text for span in get_extractor("builtin").extract(text)] == names


def test_a_person_behind_li_with_the_article_elided_is_named_in_dictionary_form():
    text = "استقبل الرئيس عبد الفتاح السيسي الوفد في القاهرة، وقدم الوفد الشكر للسيسي على حسن الاستقبال."
    (span,) = [s for s in get_extractor("builtin").extract(text) if s.start > text.index("الشكر")]
    assert (span.text, span.name) == ("لسيسي", "السيسي")


@pytest.mark.parametrize("token, cut", [
    ("للسيسي", (1, True)),  # «ل» + «السيسي»
    ("للعبادي", (1, True)),
    ("للافروف", (1, False)),  # «ل» + «لافروف»
    ("للطفي", (1, False)),  # «ل» + the given name «لطفي»
    ("لليبرمان", (1, False)),
    ("للمخلافي", (1, True)),
    ("للعلويني", (1, True)),  # a family name too rare to rank, shaped like a nisba
])
def test_li_before_a_persons_name_is_read_as_the_news_writes_the_name(token, cut):
    assert get_extractor("builtin").particle_before_name(token, "PERS") == cut


@pytest.mark.parametrize("text, name", [
    ("وشارك في اللقاء وليد المعلم وزير الخارجية السوري.", "وليد المعلم"),  # a given name
    ("ووصل الوفد إلى مدينة وجدة المغربية.", "وجدة"),  # a place, not «جدة»
    ("وسجل واين روني هدفا في الدقيقة العاشرة.", "واين روني"),  # «وا» spells a foreign «W»
    ("وتصدى الحارس ويلي كاباييرو للكرة.", "ويلي كاباييرو"),
])
def test_a_name_that_begins_with_waw_keeps_it(text, name):
    assert name in [span.text for span in get_extractor("builtin").extract(text)]


def test_spans_point_at_their_text_in_order_without_quotes(spans):
    assert spans == sorted(spans, key=lambda s: s.start)
    for span in spans:
        assert ARTICLE[span.start:span.end] == span.text
        assert span.text[0] not in "“\"«" and span.text[-1] not in "”\"»"


def test_a_conjunction_is_cut_off_a_span_and_an_elided_article_gives_the_dictionary_name(spans):
    cairo = [s for s in spans if s.name == "القاهرة"]
    assert [(s.kind, s.text) for s in cairo] == [("LOC", "لقاهرة")]  # from «وللقاهرة»
    assert ("ORG", "وزارة الصحة") in {(s.kind, s.text) for s in spans}  # its و is no conjunction


def test_text_without_entities_gives_no_spans():
    assert get_extractor("builtin").extract("ارتفعت درجات الحرارة اليوم وتوقع الخبراء أن تنخفض غدا.") == []


@pytest.mark.parametrize("text, kind, name, not_kind", [
    ("تشمل المرحلة الأولى 2500 مكان انتظار بين منطقتي سيدي بشر والعصافرة.", "LOC", "سيدي بشر", "PERS"),
    ("المحافظة تطلق خدمة جديدة لحجز المواقف على الكورنيش", None, "الكورنيش", "ORG"),
    ("احتج سكان سيدي بوزيد على انقطاع المياه.", "LOC", "سيدي بوزيد", "PERS"),
])
def test_places_are_not_people_and_common_nouns_not_organisations(text, kind, name, not_kind):
    spans = {(s.kind, s.text) for s in get_extractor("builtin").extract(text)}
    assert (not_kind, name) not in spans
    if kind:
        assert (kind, name) in spans


@pytest.mark.parametrize("text", [
    "الإسكندرية تطلق تطبيقا لحجز مواقف السيارات على الكورنيش",
    "بلدية المدينة تفتتح الحديقة",
    "قال الرئيس جورج بوش في واشنطن",
])
def test_a_line_without_final_punctuation_is_tagged_as_if_it_had_one(text):
    from articles.text.tokens import tokenize_with_punctuation

    tagger = get_extractor("builtin")
    tokens = [t for t, _, _ in tokenize_with_punctuation(text)]
    assert tagger.tag(tokens) == tagger.tag([*tokens, "."])[:-1]


def test_demo_articles_yield_well_formed_spans_with_known_entities():
    found = set()
    for path in sorted(DEMO_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for span in get_extractor("builtin").extract(text):
            assert span.kind in KINDS and text[span.start:span.end] == span.text
            found.add((span.kind, span.text))
    assert {("LOC", "بنغازي"), ("LOC", "الإسكندرية"), ("LOC", "طرابلس"),
            ("PERS", "مصطفى النجار"), ("ORG", "وزارة الصحة")} <= found


# --- the reference paste of ../shared (corpus) ------------------------------------------------

@pytest.fixture(scope="module")
def seed_text(shared):
    return (shared / "samples" / "seed-article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_spans(seed_text) -> list[Span]:
    return get_extractor("builtin").extract(seed_text)


@pytest.mark.parametrize("kind, name", SEED_ENTITIES)
def test_seed_article_yields_expected_entity(seed_spans, kind, name):
    assert name in {canonical for span, canonical in resolve(seed_spans) if span.kind == kind}


@pytest.mark.parametrize("name, role", [
    ("عصام أبوزريبة", "وزير الداخلية اللواء"),
    ("فرج اقعيم", "الوكيل"),
    ("أسامة الدرسي", "رئيس جهاز الأمن الداخلي الفريق"),
    ("محمود توفيق", "اللواء"),
    ("محمدو سانا", "وزير الأمن بجمهورية بوركينا فاسو"),
])
def test_seed_article_person_carries_the_role_that_introduces_them(seed_spans, name, role):
    assert role in {s.role for s in seed_spans if s.kind == "PERS" and s.text == name}


def test_seed_quoted_surname_in_title_resolves_to_full_name_with_its_title(seed_text, seed_spans):
    first_line = [s for s in seed_spans if s.end < seed_text.index("\n") and s.kind == "PERS"]
    assert [(s.text, s.role) for s in first_line] == [("أبوزريبة", "اللواء")]
    assert dict(resolve(seed_spans))[first_line[0]] == "عصام أبوزريبة"


def test_seed_spans_point_at_their_text_and_never_include_a_conjunction(seed_text, seed_spans):
    assert seed_spans == sorted(seed_spans, key=lambda s: s.start)
    for span in seed_spans:
        assert seed_text[span.start:span.end] == span.text
        assert not span.text.startswith("وجهاز") and not span.text.startswith("وإدارة")


@pytest.mark.parametrize("text, kind, name", [
    ("وقال عضو النقابة العامة بسيدي بوزيد مختار الجلالي في تصريح.", "LOC", "سيدي بوزيد"),
    ("وقال عضو النقابة العامة بسيدي بوزيد مختار الجلالي في تصريح.", "PERS", "مختار الجلالي"),
    ("استقبل رئيس الجمهورية الباجي قايد السبسي وفدا في قصر قرطاج.", "PERS", "الباجي قايد السبسي"),
    ("أفاد مصدر أمني لوكالة تونس افريقيا للأنباء أن الاجتماع انتهى.", "ORG", "وكالة تونس افريقيا للأنباء"),
])
def test_places_people_and_agencies_of_maghreb_news_are_whole_and_of_their_kind(text, kind, name):
    assert (kind, name) in {(s.kind, s.text) for s in get_extractor("builtin").extract(text)}
