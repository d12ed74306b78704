"""From mentions to entities: the key spelling variants meet under, and in-article resolution of
short person mentions to the full name."""

import pytest

from articles.entities import Span, resolve
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
