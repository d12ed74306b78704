"""From mentions to entities: the key spelling variants meet under, and in-article resolution of
short person mentions to the full name."""

import pytest

from articles.entities import Span, resolve
from articles.entities.resolution import (
    clean_spans,
    is_given_name_or_title,
    normalize_role,
    owner_of_short_form,
    join_hyphenated,
    place_name,
    transliterations,
    variant_key,
    without_lineage,
)
from articles.text.keys import entity_key


@pytest.mark.parametrize("a, kind_a, b, kind_b, same", [
    ("أبو خليل", "PERS", "أبوخليل", "PERS", True),
    ("عبد الله", "PERS", "عبدالله", "PERS", True),
    ("أسامة الحداد", "PERS", "اسامه الحداد", "PERS", True),
    ("الحداد", "PERS", "حداد", "PERS", False),
    ("السودان", "LOC", "سودان", "LOC", True),
    ("الإدارة العامة", "ORG", "ادارة العامة", "ORG", True),
    ("مِصْر", "LOC", "مصر", "LOC", True),
    ("إسطنبول", "LOC", "اسطنبول", "LOC", True),
    ("“أبوخليل”", "PERS", "أبوخليل", "PERS", True),
    ("مصر", "LOC", "مصر", "ORG", False),
    ("سمير حداد", "PERS", "سمير", "PERS", False),
])
def test_entity_key_merges_spelling_variants_only(a, kind_a, b, kind_b, same):
    assert (entity_key(a, kind_a) == entity_key(b, kind_b)) is same


@pytest.mark.parametrize("a, b, kind, same", [
    ("سيرخيو راموس", "سيرجيو راموس", "PERS", True),
    ("أنطونيو غوتيريس", "أنتونيو غوتيريش", "PERS", True),
    ("إبراهيم كالن", "إبراهيم قالن", "PERS", True),
    ("سامر السبهان", "ثامر السبهان", "PERS", False),  # ث is no other way to write س
    ("الخليل", "الجليل", "LOC", False),  # Hebron and Galilee
    ("كوريا", "قوريا", "LOC", False),
])
def test_a_persons_name_written_with_one_letter_or_another_has_one_variant_key(a, b, kind, same):
    assert (variant_key(a, kind, lambda word: word) == variant_key(b, kind, lambda word: word)) is same


@pytest.mark.parametrize("word, forms", [
    ("سيرخيو", ["سيرخيو", "شيرخيو", "شيرجيو", "سيرجيو"]),
    ("راموس", ["راموس", "راموش"]),
    ("ميسي", ["ميسي", "ميشي"]),
    ("نيمار", ["نيمار"]),
])
def test_transliterations_write_each_letter_both_ways_the_word_itself_first(word, forms):
    assert transliterations(word) == forms


@pytest.mark.parametrize("texts, expected", [
    (["سمير حداد", "حداد"], ["سمير حداد", "سمير حداد"]),
    (["أبو خليل", "كريم أبوخليل"], ["كريم أبوخليل", "كريم أبوخليل"]),   # before the full name too
    (["مصطفى النجار", "النجار", "مصطفى"], ["مصطفى النجار"] * 3),
    (["النجار", "سمير حداد"], ["النجار", "سمير حداد"]),
    (["محمد علي", "محمد علي حسن", "علي"], ["محمد علي حسن"] * 3),       # the longest name wins
    (["علي حسن", "حسن"], ["علي حسن", "علي حسن"]),
    (["حسن علي", "علي حسن", "علي"], ["حسن علي", "علي حسن", "حسن علي"]),  # equals: the earliest
    (["حسن علي", "علي حسن"], ["حسن علي", "علي حسن"]),                   # order matters
])
def test_resolve_links_short_person_mentions_to_the_full_name(texts, expected):
    spans = [Span("PERS", i * 20, i * 20 + len(t), t) for i, t in enumerate(texts)]
    assert [name for _, name in resolve(spans)] == expected


def test_resolve_keeps_organisations_whole_and_places_in_dictionary_form():
    spans = [Span("ORG", 0, 22, "وزارة الصحة المصرية"), Span("ORG", 30, 44, "وزارة الصحة"),
             Span("LOC", 50, 56, "لقاهرة", name="القاهرة")]
    assert [name for _, name in resolve(spans)] == ["وزارة الصحة المصرية", "وزارة الصحة", "القاهرة"]



def _spans(*texts, kind="PERS"):
    return [Span(kind, i * 30, i * 30 + len(t), t) for i, t in enumerate(texts)]


@pytest.mark.parametrize("texts, expected", [
    (["لجعفر حسان", "جعفر حسان"], ["جعفر حسان", "جعفر حسان"]),
    (["دونالد ترمب", "وترمب"], ["دونالد ترمب", "ترمب"]),
    (["بوتين وترمب", "دونالد ترمب"], ["بوتين", "ترمب", "دونالد ترمب"]),
    (["بوتين و ترمب"], ["بوتين", "ترمب"]),
    (["وليد جنبلاط", "ليد"], ["وليد جنبلاط", "ليد"]),        # a given name keeps its first letter
    (["محمد بن وليد"], ["محمد بن وليد"]),
    (["لسعد اليعقوبي", "سعد اليعقوبي"], ["لسعد اليعقوبي", "سعد اليعقوبي"]),  # «لسعد» is a given name
])
def test_clean_spans_cuts_particles_and_splits_joined_names(texts, expected):
    assert [s.text for s in clean_spans(_spans(*texts))] == expected


def test_clean_spans_offsets_still_point_at_the_name():
    text = "قال بوتين وترمب"
    (span,) = [Span("PERS", 4, len(text), text[4:])]
    assert [text[s.start:s.end] for s in clean_spans([span], known={"ترمب"})] == ["بوتين", "ترمب"]


@pytest.mark.parametrize("texts, expected", [
    (["وزارة الداخلية"], ["وزارة الداخلية"]),
    (["لرويترز", "رويترز"], ["رويترز", "رويترز"]),       # its own name in the article
    (["لرويترز"], ["لرويترز"]),
])
def test_clean_spans_cuts_a_particle_off_an_organisation_only_before_its_own_name(texts, expected):
    assert [s.text for s in clean_spans(_spans(*texts, kind="ORG"), known={"رويترز"})] == expected


@pytest.mark.parametrize("name, shared", [
    ("عبدالله", True), ("عبد الله", True), ("الملك عبد الله", True), ("الرئيس", True),
    ("دونالد", True), ("عبدالله الباروني", False), ("ترمب", False),
])
def test_given_names_and_titles_alone_are_what_people_share(name, shared):
    assert is_given_name_or_title(name) is shared


def test_resolve_folds_loanword_spellings_when_given_variants():
    fold = {"ترامب": "ترمب"}.get
    spans = _spans("دونالد ترمب", "ترامب", "دونالد")
    names = [n for _, n in resolve(spans, lambda w: fold(w, w))]
    assert names == ["دونالد ترمب"] * 3


def test_resolve_never_makes_a_title_and_given_name_a_full_name():
    assert [n for _, n in resolve(_spans("الملك عبدالله", "عبدالله"))] == ["الملك عبدالله", "عبدالله"]


@pytest.mark.parametrize("counts, owner", [
    ({"دونالد ترمب": 40, "إيفانكا ترمب": 2}, "دونالد ترمب"),
    ({"عبدالله الباروني": 5, "عبدالله الثاني": 4}, None),
    ({"دونالد ترمب": 2}, None),                       # too few to be sure
    ({}, None),
])
def test_a_short_form_belongs_archive_wide_only_to_an_overwhelming_owner(counts, owner):
    assert owner_of_short_form(counts) == owner


@pytest.mark.parametrize("role, expected", [
    ("للرئيس الأمیرکي", "الرئيس الأميركي"),      # Persian letters, preposition
    ("الرئيس الأمريكي", "الرئيس الأميركي"),
    ("الرَّئيس الأميركي", "الرئيس الأميركي"),
    ("والرئيس الأميركي", "الرئيس الأميركي"),
    ("نائب رئيس في الحكومة", "نائب رئيس الحكومة"),
])
def test_roles_are_written_one_way(role, expected):
    spelling = {"الأمريكي": "الأميركي", "الامريكي": "الأميركي"}
    assert normalize_role(role, lambda w: spelling.get(w, w)) == expected


@pytest.mark.parametrize("texts, expected", [
    # A function word written with «ى» or a hamza normalises like a name («على» → «علي»).
    (["على ترمب", "دونالد ترمب"], ["ترمب", "دونالد ترمب"]),
    (["بأن ترامب"], ["ترامب"]),
    (["علي حسن"], ["علي حسن"]),                                   # the given name written «علي» stays
    # A kin word makes another person: «خطيبة جمال خاشقجي» must not take his mentions.
    (["خطيبة جمال خاشقجي", "جمال خاشقجي"], ["جمال خاشقجي", "جمال خاشقجي"]),
    (["ابن سلمان"], ["ابن سلمان"]),
    # A second name behind «ل», as behind «و».
    (["محمد بن سلمان لترامب", "دونالد ترامب"], ["محمد بن سلمان", "ترامب", "دونالد ترامب"]),
    (["محمد بن لادن"], ["محمد بن لادن"]),                          # after a name link it is the name
    # Two people side by side: one name's first word and another's last.
    (["كيم ترامب", "كيم جونغ أون", "دونالد ترامب"], ["كيم", "ترامب", "كيم جونغ أون", "دونالد ترامب"]),
    (["ترامب أوماروسا", "دونالد ترامب"], ["ترامب", "أوماروسا", "دونالد ترامب"]),   # «ووصف ترامب أوماروسا»
    (["علي أكبر صالحي", "صالحي ترامب"], ["علي أكبر صالحي", "صالحي", "ترامب"]),
    (["دونالد ترامب ترامب"], ["دونالد ترامب"]),                    # a word written twice
    (["دونالد ترامب", "دونالد توسك", "ميلانيا ترامب"], ["دونالد ترامب", "دونالد توسك", "ميلانيا ترامب"]),
    (["كيم ترامب", "كيم ترامب", "كيم جونغ أون", "دونالد ترامب"],
     ["كيم ترامب", "كيم ترامب", "كيم جونغ أون", "دونالد ترامب"]),            # written twice: a name
])
def test_clean_spans_cuts_function_words_and_separates_two_people(texts, expected):
    assert [s.text for s in clean_spans(_spans(*texts))] == expected


def test_a_son_of_the_same_name_does_not_take_his_fathers_mentions():
    spans = _spans("دونالد ترامب جي أر", "دونالد ترامب", "ترامب جي أر")
    assert [name for _, name in resolve(spans)] == ["دونالد ترامب جي أر", "دونالد ترامب", "دونالد ترامب جي أر"]


@pytest.mark.parametrize("name, filed", [
    ("المملكة العربية السعودية", "السعودية"),
    ("الولايات المتحدة الأمريكية", "الولايات المتحدة"),
    ("الولايات المتحدة الاميركية", "الولايات المتحدة"),
    ("الإمارات العربية المتحدة", "الإمارات"),
    ("سورية", "سوريا"),
    ("موريتانية", "موريتانيا"),
    ("سوريا", "سوريا"),
    ("القاهرة", "القاهرة"),
    ("نهاية", "نهاية"),                                            # no curated «نهايا»
])
def test_a_place_is_filed_under_its_everyday_name(name, filed):
    assert place_name(name) == filed


@pytest.mark.parametrize("name, short", [
    ("جمال بن أحمد خاشقجي", "جمال خاشقجي"),
    ("محمد بن سلمان", None),                                       # only a given name would be left
    ("حمد بن خليفة آل ثاني", None),                                # a family many share
    ("سمير حداد", None),
])
def test_a_name_without_its_fathers_name(name, short):
    assert without_lineage(name) == short


def test_a_name_cut_at_a_hyphen_goes_on_over_it():
    text = "رئيس كوريا، مون جاي-إن، وصل. وقال مون جاي - في"
    first, second = text.index("مون"), text.rindex("مون")
    spans = [Span("PERS", first, first + 7, "مون جاي"), Span("PERS", second, second + 7, "مون جاي")]
    assert [s.text for s in join_hyphenated(spans, text)] == ["مون جاي-إن", "مون جاي"]


@pytest.mark.parametrize("texts, expected", [
    # «ل» then «و» is no order of proclitics: «لوبيتيجي» is one word though the loanword lexicon
    # knows «وبيتيجي»; «لوليد» is «ل» + «وليد».
    (["جولين لوبيتيجي", "لوبيتيجي"], ["جولين لوبيتيجي", "لوبيتيجي"]),
    (["لوليد"], ["وليد"]),
    (["لترمب"], ["ترمب"]),
])
def test_a_particle_comes_off_only_in_the_order_arabic_writes_them(texts, expected):
    assert [s.text for s in clean_spans(_spans(*texts), known={"وبيتيجي", "ترمب"})] == expected
