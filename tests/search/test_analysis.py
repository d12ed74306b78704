"""The Whoosh analysers of :mod:`articles.search.analysis`."""

import pytest
from whoosh import fields, index

from articles.search.analysis import (
    TermSet,
    broad_analyzer,
    exact_analyzer,
    matching_spans,
    normalize_prefix,
    spans_matching_any,
)
from articles.search.query import TEXT_EXACT_FIELD, TEXT_FIELD, WEIGHTING, build_query, index_values, text_fields


def _tokens(analyzer, text, **kwargs):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True, **kwargs)]


def test_broad_analyzer_stems_drops_stop_words_and_points_into_the_original_text():
    text = "قال مُحَمَّدٌ في المدرسة"
    tokens = _tokens(broad_analyzer(), text)
    assert tokens == [("قال", 0, 0, 3), ("محمد", 1, 4, 13), ("مدرس", 2, 17, 24)]
    assert text[17:24] == "المدرسة"


def test_exact_analyzer_normalises_and_keeps_stop_words():
    assert [t[0] for t in _tokens(exact_analyzer(), "قال مُحَمَّدٌ في المدرسة")] == ["قال", "محمد", "في", "المدرسه"]


def test_broad_analyzer_returns_stop_words_marked_when_asked_to_keep_them():
    tokens = [(t.text, t.stopped) for t in broad_analyzer()("ذهب الي المدرسة", removestops=False)]
    assert tokens == [("ذهب", False), ("الي", True), ("مدرس", False)]


@pytest.mark.parametrize("analyzer", [broad_analyzer(), exact_analyzer()], ids=["broad", "exact"])
@pytest.mark.parametrize(("spelling_a", "spelling_b"), [("أحمد", "احمد"), ("مصطفى", "مصطفي"), ("مُحَمَّد", "محمد"), ("٢٠١٨", "2018")])
def test_both_analysers_give_spelling_variants_one_term(analyzer, spelling_a, spelling_b):
    assert [t.text for t in analyzer(spelling_a)] == [t.text for t in analyzer(spelling_b)]


@pytest.mark.parametrize(("prefix", "broad", "expected"), [("والمدرس", True, "مدرس"), ("والمدرس", False, "والمدرس"), ("أحم", False, "احم")])
def test_normalize_prefix_matches_the_field_spelling(prefix, broad, expected):
    assert normalize_prefix(prefix, broad=broad) == expected


def test_analysers_compare_equal_by_strength():
    assert broad_analyzer() == broad_analyzer()
    assert broad_analyzer() != exact_analyzer()


def _query_terms(q, mode):
    """The terms a query for ``q`` looks up in the mode's text field."""
    field = TEXT_FIELD if mode == "broad" else TEXT_EXACT_FIELD
    return [leaf.text for leaf in build_query(q, mode=mode).leaves() if leaf.field() == field]


@pytest.mark.parametrize("mode", ["broad", "exact"])
@pytest.mark.parametrize(
    "word",
    ["والمدرسةُ", "بالمكتبات", "مُحَمَّدٌ", "الإسكندرية", "مـحـمـد", "مستشفى", "٢٠١٨", "وليد", "للأطفال", "المسؤولين", "Beirut"],
)
def test_a_query_word_gives_the_term_the_same_word_gets_in_a_document(mode, word):
    # The query builder and the index analyser are separate code paths (tokenize + term
    # functions, and the tokenizer): a word must become the same term on both sides.
    document = f"قال الوزير «{word}»، في ٢٠ مدينة."
    analyzer = broad_analyzer() if mode == "broad" else exact_analyzer()
    start = document.index(word)
    indexed = [t.text for t in analyzer(document, chars=True) if t.startchar == start]

    assert indexed and _query_terms(word, mode) == indexed


# One row per month: its names in the Gregorian, Levantine/Iraqi and Maghrebi systems.
MONTHS = [
    ("يناير", "كانون الثاني", "كانون ثاني", "جانفي"),
    ("فبراير", "شباط", "فيفري"),
    ("مارس", "آذار"),
    ("أبريل", "ابريل", "نيسان", "أفريل"),
    ("مايو", "أيار", "ماي"),
    ("يونيو", "يونيه", "حزيران", "جوان"),
    ("يوليو", "يوليه", "تموز", "يوليوز", "جويلية"),
    ("أغسطس", "اغسطس", "آب", "غشت", "أوت"),
    ("سبتمبر", "أيلول", "شتنبر"),
    ("أكتوبر", "تشرين الأول", "تشرين أول"),
    ("نوفمبر", "تشرين الثاني", "نونبر"),
    ("ديسمبر", "كانون الأول", "دجنبر"),
]


@pytest.mark.parametrize("names", MONTHS, ids=lambda names: names[0])
def test_broad_analyzer_gives_every_name_of_a_month_one_term(names):
    terms = {name: [t.text for t in broad_analyzer()(name)][0] for name in names}
    assert len(set(terms.values())) == 1, terms


def test_months_of_different_numbers_keep_apart():
    assert len({[t.text for t in broad_analyzer()(names[-1])][0] for names in MONTHS}) == 12


def test_a_two_word_month_spans_both_words_and_keeps_their_own_terms():
    text = "في كانون الثاني 2018"
    assert _tokens(broad_analyzer(), text) == [("يناير", 0, 3, 15), ("كان", 0, 3, 8), ("ثان", 1, 9, 15), ("2018", 2, 16, 20)]


@pytest.mark.parametrize(("text", "month"), [("كانـون الثاني", "يناير"), ("وتَشرين الأول", "اكتوبر"), ("تشرين ثاني", "نوفمبر")])
def test_a_two_word_month_is_found_with_tatweel_diacritics_or_a_particle(text, month):
    assert month in {t.text for t in broad_analyzer()(text)}


@pytest.mark.parametrize("text", ["كانون وحده", "تشرين", "الأول"])
def test_kanun_or_tishrin_alone_is_no_month(text):
    assert not {"يناير", "اكتوبر", "نوفمبر", "ديسمبر"} & {t.text for t in broad_analyzer()(text)}


def test_exact_analyzer_keeps_month_names_as_written():
    assert [t.text for t in exact_analyzer()("أيلول كانون الثاني")] == ["ايلول", "كانون", "الثاني"]


@pytest.mark.parametrize(
    ("query", "found", "found_exact"),
    [
        ("سبتمبر", {"ailul", "shatanbar", "september"}, {"september"}),
        ("يناير", {"kanun", "janfi", "january"}, {"january"}),
        ("أيلول", {"ailul", "shatanbar", "september"}, {"ailul"}),
        ("كانون الثاني", {"kanun", "janfi", "january"}, {"kanun"}),
        ("الانتخابات كانون الثاني", {"kanun"}, {"kanun"}),
        ("وتشرين الأول", {"october"}, set()),
        ("كانون", {"kanun"}, {"kanun"}),
    ],
)
def test_broad_search_for_a_month_finds_it_in_every_system_and_exact_search_as_written(tmp_path, query, found, found_exact):
    docs = {
        "ailul": "افتتح المعرض في أيلول الماضي",
        "shatanbar": "انطلق الموسم في شتنبر",
        "september": "عقد المؤتمر في سبتمبر",
        "kanun": "جرت الانتخابات في كانون الثاني 2018",
        "janfi": "اجتمع المجلس في جانفي",
        "january": "أعلنت النتائج في يناير",
        "october": "بدأت المحادثات في أكتوبر",
        "other": "وصل الوفد في مارس",
    }
    schema = fields.Schema(doc_id=fields.ID(stored=True), **text_fields())
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        for doc_id, text in docs.items():
            writer.add_document(doc_id=doc_id, **index_values("", text))
    with ix.searcher(weighting=WEIGHTING) as searcher:
        hits = {hit["doc_id"] for hit in searcher.search(build_query(query, schema=schema), limit=None)}
        exact = {hit["doc_id"] for hit in searcher.search(build_query(query, mode="exact", schema=schema), limit=None)}
    assert hits == found
    assert exact == found_exact


@pytest.mark.parametrize(
    "text",
    [
        "وقال وزيرُ الخارجيّة إنّ الوزراء سيجتمعون في كانون الثاني 2018 في بيروت.",
        "أعلنت الحكومة من دون تفاصيل، وفي تشرين أول الماضي قالت إنها ستعلن",
        "الـمدرسة والمدارس ومدرستها: ترامب وترمب في «واشنطن» ولبنان",
        # A matched word met again inside longer words, after a mark, beside "_" and digits.
        "كتب المكتب كتبَ كتب_كتب ـكتب َكتب كتب2 2كتب الكتب، كتب",
        "مُحَمَّد محمد محمدٌ ومحمد محمدمحمد محمد",
        # Tatweel, invisible characters and direction marks in and around words.
        "ـمحمد مـحـمـد مح\u200cمد \u200fمحمد\u200f محمد\u202cعلي ًمحمد علي",
        # Folded letters, digits and Latin case.
        "الأمیرکي الأمريكي أحمد إحمد آحمد احمد مصطفى مصطفي ٢٠١٨ 2018 ۲۰۱۸ Trump TRUMP trump",
        # Words whose broad term is not in them: broken plurals and months of other systems.
        "الوزراء وزير الوزير مشاريع مشروع أيلول سبتمبر شتنبر وأيلول",
        # Not NFKC (a presentation form) and letters outside Arabic and ASCII: every word judged.
        "ﻻعب لاعب café Café CAFÉ",
    ],
)
@pytest.mark.parametrize("analyzer", [broad_analyzer(), exact_analyzer()], ids=["broad", "exact"])
def test_highlight_spans_are_the_analysers_tokens_that_match(text, analyzer):
    tokens = list((t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True))
    terms = {term for term, _start, _end in tokens[::2]}

    assert matching_spans(text, terms, stem=analyzer.stem) == [(s, e) for term, s, e in tokens if term in terms]


@pytest.mark.parametrize(
    "text",
    [
        "وقال وزيرُ الخارجيّة إنّ الوزراء سيجتمعون في كانون الثاني 2018 في بيروت.",
        "الـمدرسة والمدارس ومدرستها: ترامب وترمب في «واشنطن» ولبنان، في المدرسة",
    ],
)
def test_highlight_spans_of_both_analysers_are_each_ones_spans_together(text):
    broad, exact = broad_analyzer(), exact_analyzer()
    broad_terms = {t.text for t in broad(text)}
    exact_terms = {t.text for t in list(exact(text))[::3]}
    expected = set(matching_spans(text, broad_terms, stem=True)) | set(matching_spans(text, exact_terms, stem=False))

    assert spans_matching_any(text, [(broad_terms, True), (exact_terms, False)]) == sorted(
        expected, key=lambda span: (span[0], -span[1])
    )


@pytest.mark.parametrize(
    ("prefix", "stem", "marked"),
    [
        ("وزي", True, ["الوزراء", "وزير", "الوزير"]),
        ("الوز", False, ["الوزراء", "الوزير"]),
        ("مشر", True, ["مشاريع", "مشروع"]),
        ("سبت", True, ["أيلول", "سبتمبر", "شتنبر"]),
    ],
)
def test_highlight_of_a_prefix_marks_every_word_whose_term_starts_with_it(prefix, stem, marked):
    text = "الوزراء وزير الوزير مشاريع مشروع أيلول سبتمبر شتنبر"

    spans = spans_matching_any(text, [(TermSet(prefixes={prefix}), stem)])

    assert [text[s:e] for s, e in spans] == marked
